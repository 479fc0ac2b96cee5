"""The roster file: its columns, and the django-import-export resource for the template.

The columns are the contract with the townships' rosters: headers and choice values are in
Chinese whatever the page's language. ``PersonResource`` is django-import-export's view of the
same columns: it makes the template and is the default, row-by-row import that
``people.imports`` is measured against (bench ``people_import``).
"""

from __future__ import annotations

import re

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from gongyi.importing import Column, headers_of
from gongyi.models import Region
from people.enums import AccountKind, Registration
from people.models import Person, PersonGroup, TargetGroup
from people.retirement import RetirementCategory
from posts.enums import AreaKind
from posts.resources import ChoiceLabelWidget

# Column kinds: text, id_number, long_number (digits Excel may turn into a float), int, choice,
# township, village, yes_no, grade, groups, date.
PERSON_COLUMNS = [
    Column("name", _("Full name"), "text"),
    Column("id_number", _("ID number"), "id_number", hint=_("18 characters; format as text")),
    Column("phone", _("Contact phone"), "text", required=False),
    Column("registration", _("Household registration"), "choice", choices=Registration),
    Column("township", _("Township or street"), "township", hint=_("name or 9-digit code")),
    Column(
        "village",
        _("Village or community"),
        "village",
        required=False,
        hint=_("name or 12-digit code, of the township"),
    ),
    Column("residence", _("Urban or rural residence"), "choice", choices=AreaKind),
    Column(
        "retirement_category",
        _("Retirement category"),
        "choice",
        required=False,
        choices=RetirementCategory,
        hint=_("empty: by sex (women: workers, originally 50)"),
    ),
    Column(
        "account_kind",
        _("Payout account type"),
        "choice",
        required=False,
        choices=AccountKind,
        hint=_("empty: social-security card"),
    ),
    Column(
        "account_number",
        _("Card or account number"),
        "long_number",
        required=False,
        hint=_("format as text"),
    ),
    Column("bank_name", _("Bank of the account"), "text", required=False),
    Column("dibao_family", _("Dibao family"), "yes_no", required=False, hint=_("yes or no")),
    Column(
        "zero_employment_family",
        _("Zero-employment household"),
        "yes_no",
        required=False,
        hint=_("yes or no"),
    ),
    Column(
        "disability_certificate",
        _("Disability certificate number"),
        "long_number",
        required=False,
        hint=_("the ID number and two digits; format as text"),
    ),
    Column(
        "disability_grade",
        _("Disability grade"),
        "grade",
        required=False,
        hint=_("grade 1 to 4"),
    ),
    Column(
        "groups",
        _("Target groups"),
        "groups",
        required=False,
        hint=_("names of the county's target groups, several separated by 、"),
    ),
    Column(
        "recognised_on",
        _("Recognition date"),
        "date",
        required=False,
        hint=_("of the target groups; required with them; such as 2020-03-01"),
    ),
    Column("evidence", _("Recognition evidence"), "text", required=False),
    Column("placements_used", _("Placements so far"), "int", required=False),
    Column("subsidy_months_used", _("Subsidy months so far"), "int", required=False),
]
#: Separators of several target groups in one cell.
GROUP_SEPARATORS = re.compile(r"[、，,;；]")
#: 一级 … 四级 (and 1级 … 4级) as the certificate writes the grade.
GRADE_WORDS = {"一级": 1, "二级": 2, "三级": 3, "四级": 4, "1级": 1, "2级": 2, "3级": 3, "4级": 4}


def file_headers() -> list[str]:
    return headers_of(PERSON_COLUMNS)


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return str(value or "").strip() in ("是", "1", "True", "true")

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class GradeWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().removesuffix(".0")
        return GRADE_WORDS.get(text) or (int(text) if text.isdigit() else None)


class PersonResource(resources.ModelResource):
    """django-import-export's resource for person files, with the roster's columns. Its import
    is the row-by-row baseline: the derived fields (sex, birth date, retirement date, the region
    code) and the row's target groups are filled in per row."""

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor
        for column in PERSON_COLUMNS:
            self.fields[column.key] = _resource_field(column)

    def before_save_instance(self, instance, row, **kwargs):
        from people.idnumbers import parse_id_number
        from people.retirement import default_category, retirement_date

        parsed = parse_id_number(instance.id_number, today=timezone.localdate())
        instance.id_number, instance.sex, instance.birth_date = (
            parsed.number,
            parsed.sex,
            parsed.birth_date,
        )
        instance.retirement_category = instance.retirement_category or default_category(parsed.sex)
        instance.retirement_date = retirement_date(instance.retirement_category, parsed.birth_date)
        instance.account_kind = instance.account_kind or AccountKind.CARD
        instance.region_code = (instance.village or instance.township).code
        instance.created_by = self.actor
        for key in ("phone", "account_number", "bank_name", "disability_certificate"):
            setattr(instance, key, getattr(instance, key) or "")
        for key in ("placements_used", "subsidy_months_used"):
            setattr(instance, key, getattr(instance, key) or 0)

    def after_save_instance(self, instance, row, **kwargs):
        with translation.override("zh-hans"):
            groups_header = str(PERSON_COLUMNS[15].header)
            date_header = str(PERSON_COLUMNS[16].header)
            evidence_header = str(PERSON_COLUMNS[17].header)
        names = [n.strip() for n in GROUP_SEPARATORS.split(str(row.get(groups_header) or ""))]
        recognised_on = widgets.DateWidget().clean(row.get(date_header))
        for name in filter(None, names):
            PersonGroup.objects.create(
                person=instance,
                group=TargetGroup.objects.get(name=name),
                recognised_on=recognised_on,
                evidence=row.get(evidence_header) or "",
                recorded_by=self.actor,
            )

    class Meta:
        model = Person
        fields = tuple(c.key for c in PERSON_COLUMNS if c.key not in ("groups", "recognised_on"))
        export_order = tuple(c.key for c in PERSON_COLUMNS)
        # A roster adds files; the set-based import refuses ID numbers already there.
        import_id_fields = ()


def _resource_field(column: Column) -> fields.Field:
    with translation.override("zh-hans"):
        header = str(column.header)
    if column.kind in ("groups", "date") or column.key == "evidence":
        return fields.Field(attribute=None, column_name=header, readonly=True)
    widget = {
        "township": lambda: widgets.ForeignKeyWidget(Region, "name"),
        "village": lambda: widgets.ForeignKeyWidget(Region, "name"),
        "int": widgets.IntegerWidget,
        "choice": lambda: ChoiceLabelWidget(column.choices),
        "yes_no": YesNoWidget,
        "grade": GradeWidget,
        "text": widgets.CharWidget,
        "id_number": widgets.CharWidget,
        "long_number": widgets.CharWidget,
    }[column.kind]()
    return fields.Field(attribute=column.key, column_name=header, widget=widget)
