"""The shared core: the region tree, users with roles, and the append-only audit trail.

Every model that users see declares ``scope_code_field``: the lookup path from the model to the
official code of the region it belongs to. ``gongyi.scoping.scope_queryset`` reads it; nothing else
decides who sees what.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi.enums import AuditAction, Department, RegionKind, RegionLevel, Role


class Region(models.Model):
    """A county, township/street or village/community, keyed by its official code
    (docs/policy.md §10).

    Codes are prefixes of their children's codes, so "everything under a region" is the set of
    rows whose code starts with the region's code: one indexed range scan, no recursion.
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    scope_code_field = "code"

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(level=RegionLevel.COUNTY, code__regex=r"^\d{6}$")
                    | models.Q(level=RegionLevel.TOWNSHIP, code__regex=r"^\d{9}$")
                    | models.Q(level=RegionLevel.VILLAGE, code__regex=r"^\d{12}$")
                ),
                name="region_code_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def ancestors(self) -> list["Region"]:
        """From the county down to the parent; at most two queries for a three-level tree."""
        prefixes = [self.code[:n] for n in (6, 9) if n < len(self.code)]
        return list(Region.objects.filter(code__in=prefixes).order_by("code"))


class GongyiUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. Tied to exactly one region; the role says what they may do there."""

    name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="users"
    )
    department = models.CharField(
        _("department"), max_length=32, choices=Department.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = GongyiUserManager()

    REQUIRED_FIELDS = ["region"]
    scope_code_field = "region__code"
    audit_exclude = frozenset({"password", "last_login"})

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(role=Role.REVIEWER) & ~models.Q(department=""))
                    | (~models.Q(role=Role.REVIEWER) & models.Q(department=""))
                ),
                name="user_department_iff_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username


class ApiToken(models.Model):
    """An API token, issued by ``gongyi.tokens.api_token_issue``. It opens the API until
    ``expires_at`` or until it is revoked: by its owner, by the administrator, or when the owner's
    password changes or the account is deactivated. Only the SHA-256 of the key is kept: the key
    itself is shown once, when it is issued."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    scope_code_field = "user__region__code"
    audit_exclude = frozenset({"key_hash"})

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.user}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class AuditEntry(models.Model):
    """One change, as it happened: append-only, each entry hashed together with the previous one.

    ``hash`` = SHA-256 over the entry's fields and ``prev_hash`` (``gongyi.audit.entry_hash``), so
    editing, deleting or inserting any entry breaks the chain from there on; ``audit_verify``
    finds the first broken link. On PostgreSQL a trigger refuses UPDATE and DELETE outright.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        User,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_pk = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    scope_code_field = "region_code"

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_pk", "seq"], name="audit_object_idx"),
            models.Index(fields=["region_code", "seq"], name="audit_region_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.object_repr}"


class AuditChainHead(models.Model):
    """The chain's last link, one row (pk=1). Appending locks it, so the chain never forks."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash[:12]}"


def county_foreign_key(*, null: bool = False) -> models.ForeignKey:
    """The county that keeps a row of reference data (settings, standards, plans)."""
    return models.ForeignKey(
        Region,
        verbose_name=_("county"),
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": RegionLevel.COUNTY},
    )


class PolicySetting(models.Model):
    """One value of a policy setting for a county from a date on (docs/policy.md §11).

    Where sources disagree, the rule is a setting: stored per county and effective-dated, edited by
    county staff, never a literal in code. ``gongyi.policy`` knows the keys and their defaults; a
    row with no county applies to every county that has no row of its own.
    """

    county = county_foreign_key(null=True)
    key = models.CharField(_("setting"), max_length=64)
    value = models.JSONField(_("value"))
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("source or reason"), max_length=200, blank=True)

    scope_code_field = "county__code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("policy setting")
        verbose_name_plural = _("policy settings")
        ordering = ["key", "county__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "key", "effective_from"],
                name="policy_setting_once_per_day",
                nulls_distinct=False,  # one province-wide row (no county) per key and day, too
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value} ({self.effective_from})"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """Long work run by a Celery worker (imports, payouts, cross-checks), with its progress.

    The page that started it polls ``/jobs/<id>/`` and shows ``done`` of ``total``. The uploaded file
    travels in ``payload`` so that a worker on another machine can read it.
    """

    kind = models.CharField(_("kind"), max_length=48)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    payload = models.BinaryField(editable=False, default=bytes)
    params = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    scope_code_field = "region_code"

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class CalendarDay(models.Model):
    """A day that is not what its weekday says: a public holiday on a weekday, or a make-up
    working day (调休) on a weekend. Periods counted in working days (the publicity period,
    docs/policy.md §6) read these rows; every other Saturday and Sunday is a rest day."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
