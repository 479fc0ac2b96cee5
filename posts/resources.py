"""The post file: its columns, the django-import-export resource, the template and the exports.

The columns are the contract with the townships' spreadsheets. Headers and choice values are in
Chinese whatever the page's language (files travel between offices). ``PostResource`` is
django-import-export's view of the same columns: it makes the template and is the default,
row-by-row import that ``posts.imports`` is measured against (bench ``posts_import``).
"""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from gongyi.importing import Column, headers_of
from gongyi.models import Region
from posts.enums import AreaKind, InsuranceKind, LeadDepartment, PostStatus, WorkPattern
from posts.models import Post, PostType

# Column kinds: text, int, money, hours, choice, post_type, township, village.
POST_COLUMNS = [
    Column("post_type", _("Standard post name"), "post_type", hint=_("as in the catalogue")),
    Column("title", _("Local post title"), "text"),
    Column("area_kind", _("Urban or rural"), "choice", choices=AreaKind),
    Column("work_pattern", _("Working pattern"), "choice", choices=WorkPattern),
    Column(
        "hours_per_week", _("Hours a week"), "hours", required=False, hint=_("hourly posts only")
    ),
    Column("township", _("Township or street"), "township", hint=_("name or 9-digit code")),
    Column(
        "village",
        _("Village or community"),
        "village",
        required=False,
        hint=_("name or 12-digit code; empty if the work is at the township"),
    ),
    Column("department", _("Department in charge"), "choice", choices=LeadDepartment),
    Column("duties", _("Duties"), "text"),
    Column("requirements", _("Work requirements"), "text", required=False),
    Column("headcount", _("Headcount"), "int"),
    Column(
        "monthly_subsidy",
        _("Monthly subsidy (yuan)"),
        "money",
        required=False,
        hint=_("full-time posts only"),
    ),
    Column(
        "hourly_rate", _("Hourly rate (yuan)"), "money", required=False, hint=_("hourly posts only")
    ),
    Column(
        "insurance_kind",
        _("Insurance"),
        "choice",
        required=False,
        choices=InsuranceKind,
        hint=_("empty: by urban or rural"),
    ),
    Column("plan_year", _("Plan year"), "int"),
    Column(
        "status",
        _("Status"),
        "choice",
        required=False,
        choices=PostStatus,
        hint=_("Draft or Open; empty: Draft"),
    ),
]
IMPORT_STATUSES = (PostStatus.DRAFT, PostStatus.OPEN)


def file_headers() -> list[str]:
    return headers_of(POST_COLUMNS)


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Chinese label in the file, stored as its value."""

    def __init__(self, choices: type[TextChoices], **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        with translation.override("zh-hans"):
            by_label = {str(label): v for v, label in self.choices.choices}
        return by_label.get(text, text) or None

    def render(self, value, obj=None, **kwargs):
        with translation.override("zh-hans"):
            return str(self.choices(value).label) if value else ""


class PostResource(resources.ModelResource):
    """django-import-export's resource for posts, with the file's columns."""

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor
        for column in POST_COLUMNS:
            self.fields[column.key] = _resource_field(column)

    def before_save_instance(self, instance, row, **kwargs):
        instance.region_code = (instance.village or instance.township).code
        instance.created_by = self.actor
        instance.status = instance.status or PostStatus.DRAFT

    class Meta:
        model = Post
        fields = tuple(c.key for c in POST_COLUMNS)
        export_order = fields
        # A file adds posts; it never updates them, so rows are not looked up by id.
        import_id_fields = ()


def _resource_field(column: Column) -> fields.Field:
    with translation.override("zh-hans"):
        header = str(column.header)
    widget = {
        "post_type": lambda: widgets.ForeignKeyWidget(PostType, "name"),
        "township": lambda: widgets.ForeignKeyWidget(Region, "name"),
        "village": lambda: widgets.ForeignKeyWidget(Region, "name"),
        "int": widgets.IntegerWidget,
        "money": widgets.DecimalWidget,
        "hours": widgets.DecimalWidget,
        "choice": lambda: ChoiceLabelWidget(column.choices),
        "text": widgets.CharWidget,
    }[column.kind]()
    return fields.Field(attribute=column.key, column_name=header, widget=widget)
