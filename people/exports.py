"""The registry's workbooks: the registry export and the empty roster template. The rows come from
the selectors (already scoped by ``gongyi.scoping``); every text is in Chinese whatever the
reader's language, as the county files them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.audit import audit_record
from gongyi.enums import AuditAction
from gongyi.excel import Sheet, xlsx_response
from gongyi.masking import sees_in_full
from gongyi.scoping import user_region_code
from people import selectors
from people.enums import Sex
from people.masking import id_masker
from people.models import Person
from people.resources import PERSON_COLUMNS, PersonResource
from posts.enums import AreaKind


def person_registry_export(*, actor, people: QuerySet[Person]) -> HttpResponse:
    """``people`` (the registry list's filtered rows) as Excel. Full ID numbers only for the roles
    that need them, and every export is on the audit trail (docs/policy.md §9)."""
    full = sees_in_full(actor, Person, "id_number", bulk=True)
    masker = id_masker(actor)
    count = people.count()
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="people.person",
        region_code=user_region_code(actor),
        object_repr=_("person registry"),
        note=(_("%(n)s rows, full ID numbers") if full else _("%(n)s rows, masked ID numbers"))
        % {"n": count},
    )
    with translation.override("zh-hans"):
        title = _("Person registry")
        headers = [
            _("Full name"),
            _("ID number"),
            _("Sex"),
            _("Birth date"),
            _("Township"),
            _("Village or community"),
            _("Residence"),
            _("Statutory retirement date"),
            _("Target groups"),
        ]

    def rows():
        with translation.override("zh-hans"):
            for r in selectors.person_export_rows(people):
                yield [
                    r["name"],
                    r["id_number"] if full else masker(r["id_number"]),
                    str(Sex(r["sex"]).label),
                    r["birth_date"],
                    r["township__name"],
                    r["village__name"] or "",
                    str(AreaKind(r["residence"]).label),
                    r["retirement_date"],
                    "、".join(r["groups"]),
                ]

    return xlsx_response(f"{title}.xlsx", [Sheet(title, headers, rows())])


def person_import_template(*, actor) -> HttpResponse:
    """The empty roster template, made by the resource, with a sheet explaining the columns and
    one listing the target groups of the actor's county."""
    with translation.override("zh-hans"):
        dataset = PersonResource().export(queryset=Person.objects.none())
        rules = [
            [
                str(c.header),
                _("yes") if c.required else _("no"),
                "、".join(str(label) for _v, label in c.choices.choices) if c.choices else "",
                str(c.hint),
            ]
            for c in PERSON_COLUMNS
        ]
        groups = selectors.active_groups_for(actor)
        sheets = [
            Sheet(_("People"), dataset.headers, []),
            Sheet(
                _("Instructions"),
                [_("Column"), _("Required"), _("Allowed values"), _("Note")],
                rules,
                widths=[22, 8, 60, 40],
            ),
            Sheet(
                _("Target groups"),
                [_("Target group"), _("Posts")],
                [[g.name, g.get_area_display()] for g in groups],
                widths=[30, 20],
            ),
        ]
        title = _("Roster import template")
    return xlsx_response(f"{title}.xlsx", sheets)
