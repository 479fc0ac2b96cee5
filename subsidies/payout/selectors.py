"""Reads of the payout (docs/policy.md §7): a batch's totals and the months not ready for it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongyi.models import Job, JobStatus, Region
from gongyi.scoping import scope_queryset
from subsidies.payout.enums import PAST_PERIOD, YEARLY_KINDS
from subsidies.payout.models import GradeRule, PayoutBatch


@dataclass(frozen=True)
class NotReady:
    """A unit's month not closed (or a placement's month not prepared, ``region_code`` the
    placement's) with the people of the batch's kind on it: reported, not paid."""

    region_code: str
    state: str  # the sheet's state; "missing" without a row, "no_standard" without a standard
    people: int


def batch_totals(batch: PayoutBatch) -> dict[str, dict[str, int]]:
    """Status → {"lines": n, "fen": total} of the batch's lines."""
    rows = batch.lines.values("status").annotate(lines=Count("id"), fen=Sum("amount_fen"))
    return {r["status"]: {"lines": r["lines"], "fen": int(r["fen"] or 0)} for r in rows}


def past_period_lines(batch: PayoutBatch) -> dict[str, int]:
    """Status → the number of the batch's lines past their subsidy period (held when made; a
    pending one was released with a reason): what the approver is shown apart."""
    rows = (
        batch.lines.filter(period_reason__in=PAST_PERIOD)
        .values("status")
        .annotate(lines=Count("id"))
    )
    return {r["status"]: r["lines"] for r in rows}


NOT_READY_SQL = """
SELECT coalesce(s.region_code, p.region_code),
       CASE WHEN m.id IS NULL THEN 'missing'
            WHEN s.state <> 'closed' THEN s.state ELSE 'no_standard' END,
       count(*)
FROM people_placement p
JOIN posts_post post ON post.id = p.post_id AND post.area_kind = %(kind)s
LEFT JOIN attendance_attendancemonth m ON m.placement_id = p.id AND m.month = %(month)s
LEFT JOIN attendance_attendancesheet s ON s.id = m.sheet_id
WHERE p.region_code LIKE %(prefix)s
  AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date >= %(month)s)
  AND (m.id IS NULL OR s.state <> 'closed'
       OR CASE WHEN m.hourly THEN p.hourly_rate ELSE p.monthly_subsidy END IS NULL)
GROUP BY 1, 2 ORDER BY 1, 2
"""


def batch_not_ready(batch: PayoutBatch) -> list[NotReady]:
    """The placements on the township's posts of the batch's kind in its month that cannot be
    paid yet: their unit's month is not closed, not prepared at all, or they have no standard."""
    from subsidies.attendance.workdays import month_days

    with connection.cursor() as cursor:
        cursor.execute(
            NOT_READY_SQL,
            {
                "kind": batch.kind,
                "month": batch.month,
                "last": month_days(batch.month)[-1],
                "prefix": batch.region_code + "%",
            },
        )
        return [NotReady(*row) for row in cursor.fetchall()]


# --- pages and API ---------------------------------------------------------------------------------

#: A line's statuses that the batch pays (a held line waits, a released one is paid elsewhere, a
#: failed one was not paid: its follow-up line pays it, and counting it here too would show the
#: month's money twice across the batch and its follow-up).
PAID_BY_BATCH = ("pending", "paid")


def township_name_of_batch():
    """A subquery: the name of a payout batch's township (annotate a batch queryset with it)."""
    return Subquery(Region.objects.filter(code=OuterRef("region_code")).values("name")[:1])


def batch_list(user, *, month=None, state: str = "", kind: str = ""):
    """The payout batches of ``user``'s area (a township's own; the county's every township's),
    newest month first, each with its township's name, its lines (released ones left out) and
    the total it pays in fen (held and released lines left out)."""
    batches = scope_queryset(user, PayoutBatch.objects.all())
    if month is not None:
        batches = batches.filter(month=month)
    if state:
        batches = batches.filter(state=state)
    if kind:
        batches = batches.filter(kind=kind)
    return batches.annotate(
        township_name=township_name_of_batch(),
        line_count=Count("lines", filter=~Q(lines__status="released")),
        total_fen=Sum("lines__amount_fen", filter=Q(lines__status__in=PAID_BY_BATCH), default=0),
    ).order_by("-month", "region_code", "kind", "pk")


def township_names(codes) -> dict[str, str]:
    """Region code → name of the townships of ``codes``, in one query."""
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


def payout_batch_title(batch: PayoutBatch, township_name: str = "") -> str:
    """A batch as its users name it: "2026年11月发放：岱庙街道，城镇公益岗", and which follow-up
    batch (补发) it is."""
    if batch.kind in YEARLY_KINDS:
        title = _("%(kind)s of %(year)s: %(name)s") % {
            "kind": batch.get_kind_display(),
            "year": batch.month.year,
            "name": township_name or batch.region_code,
        }
    else:
        title = _("Payout of %(month)s: %(name)s, %(kind)s") % {
            "month": date_format(batch.month, "Y年n月"),
            "name": township_name or batch.region_code,
            "kind": batch.get_kind_display(),
        }
    if batch.sequence:
        title = _("%(title)s (follow-up batch %(n)s)") % {"title": title, "n": batch.sequence}
    return title


def batch_lines(user, batch: PayoutBatch):
    """The batch's lines in ``user``'s area, by name: every field a page or the API shows is on the
    line itself (the snapshot), so a page of lines is one query; with the name and ID number on
    the person file (``file_name``, ``file_id_number``), which the payment file's check compares
    (``subsidies.bankfiles.check``), and the status of the line it pays on from (a held line
    released, or a failed one paid again)."""
    return (
        scope_queryset(user, batch.lines.all())
        .annotate(
            file_name=F("person__name"),
            file_id_number=F("person__id_number"),
            follows_status=F("follows__status"),
        )
        .order_by("person_name", "pk")
    )


def release_targets(user, batch: PayoutBatch):
    """The batches a held line of ``batch`` may be released into: the same township's and kind's
    batches being prepared, of its month or later."""
    return (
        scope_queryset(user, PayoutBatch.objects.all())
        .filter(
            region_code=batch.region_code, kind=batch.kind, state="draft", month__gte=batch.month
        )
        .order_by("month", "pk")
    )


def grade_rule_list(user):
    """The county's grade rules (those of ``user``'s county), each grade's newest first."""
    return (
        scope_queryset(user, GradeRule.objects.all())
        .select_related("county", "created_by")
        .order_by("grade", "-effective_from", "-pk")
    )


def generation_job(batch: PayoutBatch):
    """The batch's latest generation job (``subsidies.payout.jobs``), or None."""
    from subsidies.payout.jobs import GENERATE

    return (
        Job.objects.filter(kind=GENERATE, params__batch=batch.pk)
        .defer("payload")
        .order_by("-created_at", "-pk")
        .first()
    )


def bank_job(batch: PayoutBatch):
    """The batch's latest bank job (its payment file issued, its return read:
    ``subsidies.payout.jobs``), or None."""
    from subsidies.payout.jobs import BANK_JOBS

    return (
        Job.objects.filter(kind__in=BANK_JOBS, params__batch=batch.pk)
        .defer("payload")
        .order_by("-created_at", "-pk")
        .first()
    )


def job_still_running(job) -> bool:
    """Whether ``job`` has yet to end, read again: a worker that runs at once (or a quick job)
    has ended it by the time the page is sent, and then the page tells how it ended instead of
    "being made"."""
    job.refresh_from_db(fields=["status"])
    return job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
