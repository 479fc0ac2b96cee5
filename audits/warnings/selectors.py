"""Warnings' reads (docs/policy.md §8), every one through ``scope_queryset``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from audits.models import ExpiryWarning
from audits.warnings.enums import PERSON_KINDS, WarningKind
from gongyi.scoping import get_scoped_object_or_404, scope_queryset

#: The list's ``due`` filter: past the date (and still open), or within the horizon.
OVERDUE, COMING = "overdue", "coming"


def warnings_open(user, *, kind: str = "", due: str = "", today: dt.date | None = None) -> QuerySet:
    """The area's warnings not yet dealt with, soonest first (``warning_open_area_idx``)."""
    today = today or timezone.localdate()
    warnings = scope_queryset(user, ExpiryWarning.objects.filter(resolved_on__isnull=True))
    if kind in WarningKind.values:
        warnings = warnings.filter(kind=kind)
    if due == OVERDUE:
        warnings = warnings.filter(due_on__lt=today)
    elif due == COMING:
        warnings = warnings.filter(due_on__gte=today)
    return warnings.select_related(
        "person", "post", "post__township", "post__village", "placement", "notified_by"
    ).order_by("due_on", "id")


def warning_counts(user, today: dt.date | None = None) -> dict[str, tuple[int, int]]:
    """kind → (open warnings, of them overdue) in the area, in one query."""
    today = today or timezone.localdate()
    rows = (
        scope_queryset(user, ExpiryWarning.objects.filter(resolved_on__isnull=True))
        .values("kind")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    )
    counts = {kind: (0, 0) for kind in WarningKind.values}
    counts.update({r["kind"]: (r["n"], r["overdue"]) for r in rows})
    return counts


def warning_for_notice(user, pk: int) -> ExpiryWarning:
    """A person's warning for its advance notice: outside the area, or a post's, a 404."""
    return get_scoped_object_or_404(
        user,
        ExpiryWarning.objects.filter(kind__in=PERSON_KINDS).select_related(
            "person", "post", "post__township", "post__village", "placement"
        ),
        pk=pk,
    )
