"""The debts workbook (docs/policy.md §8, "Exits and recovery"): the debts by township and age,
and the debts still followed one by one, with masked ID numbers. The rows come from the
selectors (already scoped); every text is in Chinese whatever the reader's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audits.exits import selectors
from gongyi.audit import audit_record
from gongyi.enums import AuditAction
from gongyi.excel import Sheet, xlsx_response
from gongyi.scoping import user_region_code
from people.masking import id_masker


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def debts_export(*, actor, today: dt.date) -> HttpResponse:
    """The area's debts as Excel: one sheet by township with the ageing, one of the debts still
    followed. On the audit trail."""
    ageing = selectors.debt_ageing(actor, today)
    debts = list(selectors.debt_list(actor).filter(state__in=selectors.FOLLOWED))
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="audits.debt",
        region_code=user_region_code(actor),
        object_repr=_("debts"),
        note=_("%(n)s rows, masked ID numbers") % {"n": len(debts)},
    )
    masker = id_masker(actor)
    with translation.override("zh-hans"):
        title = _("Debts to recover")
        by_township = Sheet(
            _("By township"),
            [
                _("Township"),
                _("Debts"),
                _("To recover (yuan)"),
                _("Repaid (yuan)"),
                _("Written off (yuan)"),
                _("Outstanding (yuan)"),
                _("0–30 days"),
                _("31–90 days"),
                _("91–180 days"),
                _("Over 180 days"),
            ],
            [
                [
                    r.name,
                    r.debts,
                    _yuan(r.amount_fen),
                    _yuan(r.repaid_fen),
                    _yuan(r.written_off_fen),
                    _yuan(r.outstanding_fen),
                    _yuan(r.d30),
                    _yuan(r.d90),
                    _yuan(r.d180),
                    _yuan(r.older),
                ]
                for r in ageing
            ],
        )
        rows = [
            [
                d.person.name,
                masker(d.person.id_number),
                d.region_code[:9],
                d.exit.placement.post.title,
                d.exit.effective_date,
                str(d.exit.get_kind_display()),
                _yuan(d.amount_fen),
                _yuan(d.repaid_fen),
                _yuan(d.outstanding),
                str(d.get_state_display()),
                (today - timezone.localtime(d.created_at).date()).days,
            ]
            for d in debts
        ]
        followed = Sheet(
            _("Debts followed"),
            [
                _("Full name"),
                _("ID number"),
                _("Township code"),
                _("Post"),
                _("Last day on the post"),
                _("Kind of exit"),
                _("To recover (yuan)"),
                _("Repaid (yuan)"),
                _("Outstanding (yuan)"),
                _("State"),
                _("Days open"),
            ],
            rows,
        )
    return xlsx_response(f"{title} {today.isoformat()}.xlsx", [by_township, followed])
