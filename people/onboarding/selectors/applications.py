"""Reads of an application's pages and the applications' API: one application with its
timeline, the people a township may enter an application for, relative declarations, training
sessions, a person's trace report, and the work each role has waiting."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from gongyi.scoping import get_scoped_object_or_404, scope_queryset
from people.models import Person, RelativeDeclaration
from people.onboarding.enums import STEP_OF, ApplicationState
from people.onboarding.models import (
    Application,
    DepartmentOpinion,
    Objection,
    Round,
    StepRecord,
    TrainingAttendance,
    TrainingSession,
)
from people.selectors import search_filter

S = ApplicationState


def application_of(user, pk: int) -> Application:
    """The application ``pk``, if it is in the user's area (else a 404)."""
    return get_scoped_object_or_404(user, Application.objects.all(), pk=pk)


def application_timeline(user, pk: int) -> Application:
    """The application ``pk`` with everything its page shows (倒查追溯): the person, post, round,
    publicity, declaration, placement and democratic review, and its step records, department
    opinions and objections with who made them; a 404 outside the user's area."""
    return get_scoped_object_or_404(
        user,
        Application.objects.select_related(
            "person",
            "post",
            "round",
            "publicity",
            "declaration",
            "placement",
            "created_by",
            "democratic_review",
        ).prefetch_related(
            Prefetch("records", queryset=StepRecord.objects.select_related("actor")),
            Prefetch("opinions", queryset=DepartmentOpinion.objects.select_related("reviewer")),
            Prefetch(
                "objections",
                queryset=Objection.objects.select_related("received_by", "found_by"),
            ),
        ),
        pk=pk,
    )


def applications_in_area(user, ids: Iterable[int]) -> set[int]:
    """Those of ``ids`` that are applications of the user's area, in one query."""
    return set(
        scope_queryset(user, Application.objects.filter(pk__in=list(ids))).values_list(
            "pk", flat=True
        )
    )


def application_state_counts(user, states: Iterable[str]) -> dict[str, int]:
    """The applications of the user's area in each of ``states``, in one aggregate query."""
    return scope_queryset(user, Application.objects.all()).aggregate(
        **{state: Count("pk", filter=Q(state=state)) for state in states}
    )


def api_applications(
    user,
    *,
    state: str = "",
    step: int | None = None,
    ids: dict[str, int] | None = None,
    township: str = "",
    village: str = "",
) -> QuerySet[Application]:
    """The applications of the API: of the user's area with their person, post, round and
    publicity, filtered by state, step (1–8), ``ids`` (``round``, ``post``, ``person``), the
    applicant's township and village."""
    apps = scope_queryset(
        user, Application.objects.select_related("person", "post", "round", "publicity")
    )
    if state:
        apps = apps.filter(state=state)
    if step is not None:
        apps = apps.filter(state__in=[s.value for s, n in STEP_OF.items() if n == step])
    for name, value in (ids or {}).items():
        apps = apps.filter(**{f"{name}_id": value})
    if township:
        apps = apps.filter(region_code__startswith=township)
    if village:
        apps = apps.filter(region_code=village)
    return apps


def application_records(user, application_id: int) -> QuerySet[StepRecord]:
    """The application's step records in order, with who made each."""
    return (
        scope_queryset(user, StepRecord.objects.all())
        .filter(application_id=application_id)
        .select_related("actor")
        .order_by("at", "id")
    )


# --- entering an application ----------------------------------------------------------------------


def round_people(user, round_: Round) -> QuerySet[Person]:
    """The registry of the round's township, as far as the user may see it."""
    return scope_queryset(user, Person.objects.filter(township_id=round_.township_id))


def round_people_search(user, round_: Round, q: str, limit: int) -> list[Person]:
    """Up to ``limit`` people of the round's township matching ``q`` (a name or the last digits
    of an ID number), by name, with their village."""
    return list(
        search_filter(round_people(user, round_), q)
        .select_related("village")
        .order_by("name", "pk")[:limit]
    )


def round_person(user, round_: Round, pk: int) -> Person | None:
    """The person ``pk`` of the round's township, if the user may see them."""
    return round_people(user, round_).filter(pk=pk).first()


def person_by_id_number(user, number: str) -> Person | None:
    """The person with the ID number ``number`` in the user's area."""
    return scope_queryset(user, Person.objects.filter(id_number=number)).first()


# --- objections and relative declarations ------------------------------------------------------


def objection_of(user, pk: int) -> Objection:
    return get_scoped_object_or_404(user, Objection.objects.all(), pk=pk)


def declaration_of(user, pk: int) -> RelativeDeclaration:
    return get_scoped_object_or_404(user, RelativeDeclaration.objects.all(), pk=pk)


def person_declarations(user, person_id: int) -> list[RelativeDeclaration]:
    """The person's relative declarations in the order they were made."""
    return list(
        scope_queryset(user, RelativeDeclaration.objects.filter(person_id=person_id)).order_by(
            "declared_on", "pk"
        )
    )


def latest_application(user, person_id: int) -> Application | None:
    """The person's latest application in the user's area."""
    return (
        scope_queryset(user, Application.objects.all())
        .filter(person_id=person_id)
        .order_by("-pk")
        .first()
    )


# --- training -------------------------------------------------------------------------------------


def _attendance(present: bool):
    rows = (
        TrainingAttendance.objects.filter(session=OuterRef("pk"), present=present)
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def training_sessions(user) -> QuerySet[TrainingSession]:
    """The training sessions of the user's area, newest first, each with the numbers
    ``present`` and ``absent``."""
    return (
        scope_queryset(user, TrainingSession.objects.select_related("township"))
        .annotate(present=_attendance(True), absent=_attendance(False))
        .order_by("-held_on", "-pk")
    )


def trainable_applications(user) -> QuerySet[Application]:
    """Applications of the user's area with a signed agreement, awaiting their training."""
    return (
        scope_queryset(user, Application.objects.filter(state=S.AGREED))
        .select_related("person", "post")
        .order_by("person__name", "pk")
    )


# --- the trace report per person ----------------------------------------------------------------


def person_of(user, pk: int) -> Person:
    return get_scoped_object_or_404(user, Person.objects.all(), pk=pk)


def person_trace(user, person: Person) -> list[Application]:
    """Every application of the person in order, each with its step records and who made them."""
    return list(
        scope_queryset(user, Application.objects.filter(person=person))
        .select_related("post", "round", "placement")
        .prefetch_related(Prefetch("records", queryset=StepRecord.objects.select_related("actor")))
        .order_by("pk")
    )
