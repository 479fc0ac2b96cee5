"""Reads of the village's page: its applicants awaiting the democratic review, its meetings and
their results, and its publicity lists with their people and objections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from gongyi.models import Region
from gongyi.scoping import get_scoped_object_or_404, scope_queryset
from people.onboarding.enums import ApplicationState
from people.onboarding.models import Application, DemocraticReview, Objection, Publicity
from posts.selectors import villages_for

S = ApplicationState


def village_work_counts(user, villages: QuerySet) -> dict[str, dict[str, int]]:
    """village code → number of its applicants awaiting the democratic review and in publicity,
    in one query (for a clerk's choice of village)."""
    counts: dict[str, dict[str, int]] = {}
    rows = (
        scope_queryset(
            user,
            Application.objects.filter(state__in=[S.INITIAL_PASSED, S.PUBLICITY]),
        )
        .filter(region_code__in=villages.values("code"))
        .values("region_code")
        .annotate(
            waiting=Count("pk", filter=Q(state=S.INITIAL_PASSED)),
            publicity=Count("pk", filter=Q(state=S.PUBLICITY)),
        )
        .order_by()
    )
    for row in rows:
        counts[row["region_code"]] = {"waiting": row["waiting"], "publicity": row["publicity"]}
    return counts


def village_awaiting_review(user, village: Region, limit: int = 200) -> list[Application]:
    """The village's applicants who passed the initial review and await its democratic review."""
    return list(
        scope_queryset(user, Application.objects.filter(state=S.INITIAL_PASSED))
        .filter(region_code__startswith=village.code)
        .select_related("person", "post", "round")
        .order_by("round_id", "post__title", "person__name", "pk")[:limit]
    )


@dataclass
class PublicityList:
    publicity: Publicity
    applications: list[Application] = field(default_factory=list)
    current: bool = False
    print_url: str | None = None
    pdf_url: str | None = None


def village_publicities(
    user, village: Region, *, today: dt.date | None = None, limit: int = 20
) -> list[PublicityList]:
    """The village's publicity lists, newest first, each with its people and their objections:
    three queries for any number of lists (the lists, the people, the objections)."""
    today = today or timezone.localdate()
    publicities = list(
        scope_queryset(user, Publicity.objects.filter(village=village))
        .select_related("round")
        .prefetch_related(
            Prefetch(
                "applications",
                queryset=Application.objects.select_related("person", "post")
                .prefetch_related(
                    Prefetch("objections", queryset=Objection.objects.order_by("raised_on", "pk"))
                )
                .order_by("rank", "pk"),
            )
        )
        .order_by("-starts_on", "-pk")[:limit]
    )
    return [
        PublicityList(p, list(p.applications.all()), current=p.ends_on >= today)
        for p in publicities
    ]


def village_reviews(user, village: Region, limit: int = 20) -> list[DemocraticReview]:
    """The village's democratic review meetings, newest first, with their numbers of results."""
    return list(
        scope_queryset(user, DemocraticReview.objects.filter(village=village))
        .annotate(
            reviewed=Count("applications"),
            passed=Count(
                "applications",
                filter=~Q(
                    applications__state=S.REJECTED,
                    applications__rejected_state=S.INITIAL_PASSED,
                ),
            ),
        )
        .order_by("-held_on", "-pk")[:limit]
    )


def village_choices(user) -> QuerySet[Region]:
    """The villages of the user's area, by code, for a clerk's choice of village."""
    return villages_for(user).only("pk", "code", "name", "parent_id")


def village_by_code(user, code: str) -> Region | None:
    """The village ``code`` if it is in the user's area."""
    return village_choices(user).filter(code=code).first()


def democratic_review_of(user, pk: int) -> DemocraticReview:
    """The meeting ``pk`` with its village and who recorded it, if it is in the user's area
    (else a 404)."""
    return get_scoped_object_or_404(
        user, DemocraticReview.objects.select_related("village", "created_by"), pk=pk
    )


def democratic_review_results(user, review: DemocraticReview) -> list[Application]:
    """The applications the meeting reviewed, by name, with their person and post."""
    return list(
        scope_queryset(user, review.applications.select_related("person", "post")).order_by(
            "person__name", "pk"
        )
    )
