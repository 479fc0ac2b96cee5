"""Reads of exits and debts (docs/policy.md §8, "Exits and recovery"), every one through
``gongyi.scoping``: the area's exits, the placements that may leave, a debt with its lines and
repayments, and the debts by township and age (0–30, 31–90, 91–180, over 180 days)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr

from audits.exits.enums import DebtState, ExitKind
from audits.models import Debt, DebtLine, Exit, Repayment
from gongyi.models import Region
from gongyi.scoping import get_scoped_object_or_404, scope_queryset
from people.models import Placement
from subsidies.payout.enums import LineStatus
from subsidies.payout.models import PayoutLine

#: The debts still followed: something is outstanding on them.
FOLLOWED = (DebtState.OPEN, DebtState.WRITE_OFF_ASKED)
OUTSTANDING = F("amount_fen") - F("repaid_fen") - F("written_off_fen")


def exit_list(user, *, kind: str = "", q: str = "") -> QuerySet[Exit]:
    exits = scope_queryset(user, Exit.objects.all()).select_related(
        "person", "placement__post", "debt"
    )
    if kind in ExitKind.values:
        exits = exits.filter(kind=kind)
    if q:
        exits = exits.filter(Q(person__name__contains=q) | Q(person__id_number=q.upper()))
    return exits.order_by("-effective_date", "-id")


def exit_of(user, pk: int) -> Exit:
    return get_scoped_object_or_404(
        user,
        Exit.objects.select_related("person", "placement__post", "recorded_by"),
        pk=pk,
    )


def placement_of(user, pk: int) -> Placement:
    """An open placement of the area, for the exit form."""
    return get_scoped_object_or_404(
        user,
        Placement.objects.filter(end_date__isnull=True).select_related("person", "post"),
        pk=pk,
    )


def open_placements(user, q: str, limit: int = 20) -> list[Placement]:
    """The area's people on a post whose name contains ``q`` or whose ID number is ``q``."""
    q = (q or "").strip()
    if not q:
        return []
    return list(
        scope_queryset(user, Placement.objects.filter(end_date__isnull=True))
        .filter(Q(person__name__contains=q) | Q(person__id_number=q.upper()))
        .select_related("person", "post")
        .order_by("person__name", "pk")[:limit]
    )


def debt_of(user, pk: int) -> Debt:
    return get_scoped_object_or_404(
        user,
        Debt.objects.select_related(
            "person", "exit__placement__post", "write_off_asked_by", "write_off_decided_by"
        ),
        pk=pk,
    )


def debt_lines(user, debt: Debt) -> QuerySet[DebtLine]:
    return scope_queryset(user, DebtLine.objects.filter(debt=debt)).order_by("month", "pk")


def debt_repayments(user, debt: Debt) -> QuerySet[Repayment]:
    return (
        scope_queryset(user, Repayment.objects.filter(debt=debt))
        .select_related("recorded_by")
        .order_by("paid_on", "pk")
    )


def debt_list(user, *, state: str = "", township: str = "") -> QuerySet[Debt]:
    debts = scope_queryset(user, Debt.objects.all()).select_related(
        "person", "exit__placement__post"
    )
    if state in DebtState.values:
        debts = debts.filter(state=state)
    if township:
        debts = debts.filter(region_code__startswith=township)
    return debts.annotate(outstanding=OUTSTANDING).order_by("-created_at", "-id")


def offset_lines(user, debt: Debt) -> QuerySet[PayoutLine]:
    """The person's lines still to be paid in batches being prepared: where an offset may go."""
    return (
        scope_queryset(user, PayoutLine.objects.filter(person_id=debt.person_id))
        .filter(status=LineStatus.PENDING, batch__state="draft")
        .order_by("month", "pk")
    )


# --- ageing ------------------------------------------------------------------------------------

#: The age brackets of a debt (days since it was opened): (key, first day, last day or None).
BRACKETS = (("d30", 0, 30), ("d90", 31, 90), ("d180", 91, 180), ("older", 181, None))


@dataclass
class AgeingRow:
    code: str
    name: str
    debts: int
    amount_fen: int
    repaid_fen: int
    written_off_fen: int
    outstanding_fen: int
    d30: int
    d90: int
    d180: int
    older: int


def debt_ageing(user, today: dt.date) -> list[AgeingRow]:
    """The area's debts by township, in one query: how many, how much to recover, repaid, written
    off and outstanding, and the outstanding sum by its age (days since the debt was opened,
    counted in Asia/Shanghai)."""
    brackets = {}
    for key, first, last in BRACKETS:
        condition = Q(created_at__date__lte=today - dt.timedelta(days=first))
        if last is not None:
            condition &= Q(created_at__date__gte=today - dt.timedelta(days=last))
        brackets[key] = Sum(OUTSTANDING, filter=condition & Q(state__in=FOLLOWED), default=0)
    rows = (
        scope_queryset(user, Debt.objects.all())
        .annotate(township=Substr("region_code", 1, 9))
        .values("township")
        .annotate(
            n=Count("id"),
            amount=Sum("amount_fen"),
            repaid=Sum("repaid_fen"),
            written_off=Sum("written_off_fen"),
            outstanding=Sum(OUTSTANDING, filter=Q(state__in=FOLLOWED), default=0),
            **brackets,
        )
        .order_by("township")
    )
    rows = list(rows)
    names = dict(
        Region.objects.filter(code__in=[r["township"] for r in rows]).values_list("code", "name")
    )
    return [
        AgeingRow(
            code=r["township"],
            name=names.get(r["township"], r["township"]),
            debts=r["n"],
            amount_fen=r["amount"],
            repaid_fen=r["repaid"],
            written_off_fen=r["written_off"],
            outstanding_fen=r["outstanding"],
            **{key: r[key] for key, _f, _l in BRACKETS},
        )
        for r in rows
    ]


def person_exits(user, person) -> list[Exit]:
    """The person's exits with their debts, for the trace report."""
    return list(
        scope_queryset(user, Exit.objects.filter(person=person))
        .select_related("placement__post", "recorded_by", "debt")
        .order_by("effective_date", "pk")
    )
