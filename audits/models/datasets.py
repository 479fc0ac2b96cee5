"""External datasets (比对数据源): other departments' lists, each upload a dated version, and its
rows (docs/policy.md §8; RULES §8; seed 003 §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audits.datasets.enums import DatasetKind, DatasetStatus


def dataset_path(version: DatasetVersion, filename: str) -> str:
    return f"datasets/{version.region_code}/{version.kind}/{version.sha256}"


class DatasetVersion(models.Model):
    """One upload of one department's list for one county: a dated version of its kind.

    The background job (``audits.datasets.loading``) checks every row and loads them all, or
    none: the version is then loaded, or refused with its bad rows listed. The same file (by its
    sha256) is taken once per county and kind; a refused one may be uploaded again."""

    kind = models.CharField(_("kind"), max_length=32, choices=DatasetKind.choices)
    region_code = models.CharField(_("county code"), max_length=6, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=DatasetStatus.choices, default=DatasetStatus.CHECKING
    )
    #: The day the department's data describes (数据截止日期): a fact not in it is not known after.
    as_of = models.DateField(_("data as of"))
    file = models.FileField(_("file"), upload_to=dataset_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    file_size = models.BigIntegerField(_("file size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    job = models.ForeignKey(
        "gongyi.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    loaded_at = models.DateTimeField(_("loaded"), null=True, blank=True)
    #: Data rows in the file (the header not counted), and of them loaded (all or none).
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    loaded_rows = models.PositiveIntegerField(_("rows loaded"), default=0)
    error_count = models.PositiveIntegerField(_("bad rows"), default=0)
    #: The file's own problem (a missing column, too many rows), when it was refused as a whole.
    error = models.TextField(_("error"), blank=True)
    #: The first bad cells: {"row", "column", "message"} (``gongyi.importing.MAX_REPORTED_ERRORS``).
    errors = models.JSONField(default=list, blank=True)

    scope_code_field = "region_code"

    class Meta:
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "kind", "sha256"],
                condition=~models.Q(status=DatasetStatus.REJECTED),
                name="dataset_version_file_once",
            )
        ]
        indexes = [
            models.Index(fields=["region_code", "kind", "status"], name="dataset_version_kind_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uploaded_at:%Y-%m-%d %H:%M}"


class DatasetRow(models.Model):
    """One row of a loaded version, as its kind's template reads it (``audits.datasets.kinds``).

    Written only by COPY (``audits.datasets.loading``). The key (version, ID number, row) is
    also the index a match reads a version's rows by ID number through. The version is not a
    database foreign key: a constraint trigger per row would cost a 5,000,000-row load more than
    the rest of its writing (bench ``datasets``); the rows go with their version by its id."""

    pk = models.CompositePrimaryKey("version", "id_number", "line")
    version = models.ForeignKey(
        DatasetVersion, on_delete=models.DO_NOTHING, db_constraint=False, related_name="rows"
    )
    id_number = models.CharField(_("ID number"), max_length=18)
    #: The row's number in the file (the header is row 1): the evidence names it.
    line = models.PositiveIntegerField(_("row"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    #: The day the fact began: death, first month of the pension or of the contributions, the
    #: licence's registration, on the payroll since.
    start = models.DateField(_("from"))
    #: The last day of the fact where the list says (contributions to, licence cancelled).
    end = models.DateField(_("until"), null=True, blank=True)
    #: The employer or the paying unit.
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    #: The licence number (统一社会信用代码 or 注册号).
    reference = models.CharField(_("reference"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("dataset row")
        verbose_name_plural = _("dataset rows")

    def __str__(self) -> str:
        return f"{self.id_number} ({self.line})"
