"""Reads of the workflow's printed documents: each object through ``scope_queryset`` (a 404
outside the user's area), with what its document prints and no more."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gongyi.scoping import get_scoped_object_or_404, scope_queryset
from people.models import TargetGroup
from people.onboarding.enums import ApplicationState, ObjectionStatus
from people.onboarding.models import (
    Application,
    Objection,
    Publicity,
    Round,
    RoundPost,
    TrainingAttendance,
    TrainingSession,
)

S = ApplicationState

#: The states an application has a signed agreement in.
AGREED_STATES = (S.AGREED, S.TRAINED, S.STARTED)


def announced_round(user, pk: int) -> tuple[Round, list[RoundPost]]:
    """The round with its township and county, and the posts it offers by title with their type
    and places."""
    round_ = get_scoped_object_or_404(user, Round.objects.select_related("township__parent"), pk=pk)
    round_posts = list(
        scope_queryset(user, round_.round_posts.all())
        .select_related("post__post_type", "post__township", "post__village")
        .order_by("post__title", "pk")
    )
    return round_, round_posts


def rejected_application(user, pk: int) -> Application:
    """A refused application with its person, post and round."""
    return get_scoped_object_or_404(
        user,
        Application.objects.select_related(
            "person", "post__township", "post__village", "round__township"
        ),
        pk=pk,
        state=S.REJECTED,
    )


def agreed_application(user, pk: int) -> Application:
    """An application with a signed agreement, with its person and post and their regions."""
    return get_scoped_object_or_404(
        user,
        Application.objects.select_related(
            "person__township",
            "person__village",
            "post__post_type",
            "post__township",
            "post__village",
        ).filter(state__in=AGREED_STATES),
        pk=pk,
    )


def publicity_of(user, pk: int) -> Publicity:
    return get_scoped_object_or_404(
        user, Publicity.objects.select_related("village", "round__township"), pk=pk
    )


def publicity_people(user, publicity: Publicity) -> list[dict[str, Any]]:
    """The people of a publicity list, by post and position. Only the columns a notice may show
    are read: the phone and the account never leave the database for it."""
    return list(
        scope_queryset(user, Application.objects.filter(publicity=publicity))
        .order_by("post__title", "rank", "pk")
        .values(
            "person__name",
            "person__sex",
            "person__id_number",
            "post__title",
            "rank",
            "eligibility",
        )
    )


def target_group_names(user, codes: Iterable[str]) -> dict[str, str]:
    """code → name of the target groups ``codes``. A county's own group of the same code comes
    after the shared one and wins."""
    names = {}
    for code, name in (
        scope_queryset(user, TargetGroup.objects.filter(code__in=codes))
        .order_by("county_id", "code")
        .values_list("code", "name")
    ):
        names[code] = name
    return names


def publicity_findings(user, publicity: Publicity) -> list[Objection]:
    """The findings made on objections to the people of the list, in the order they were made."""
    return list(
        scope_queryset(
            user,
            Objection.objects.filter(application__publicity=publicity).exclude(
                status=ObjectionStatus.OPEN
            ),
        )
        .select_related("application__person", "application__post")
        .only(
            "status",
            "finding",
            "found_on",
            "application__person__name",
            "application__post__title",
        )
        .order_by("found_on", "pk")
    )


def found_objection(user, pk: int) -> Objection:
    """An objection with its finding made, with the application it is about."""
    return get_scoped_object_or_404(
        user,
        Objection.objects.select_related(
            "application__person",
            "application__post",
            "application__publicity__village",
            "application__round__township",
        ).exclude(status=ObjectionStatus.OPEN),
        pk=pk,
    )


def training_session_of(user, pk: int) -> TrainingSession:
    return get_scoped_object_or_404(user, TrainingSession.objects.select_related("township"), pk=pk)


def training_attendance(user, session: TrainingSession) -> list[TrainingAttendance]:
    """The session's attendees by village and name, with their person and post."""
    return list(
        scope_queryset(user, TrainingAttendance.objects.filter(session=session))
        .select_related(
            "application__person__village",
            "application__person__township",
            "application__post",
        )
        .order_by("application__region_code", "application__person__name", "pk")
    )
