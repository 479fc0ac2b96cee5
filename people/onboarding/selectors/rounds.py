"""Reads of the township's round pages and the rounds' API: a round of the user's area, the
rounds' list, a round's board (its posts, applications per state with the first names of each
column, and the latest ranking of each post) and the applications of one state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber

from gongyi.models import Region
from gongyi.scoping import get_scoped_object_or_404, scope_queryset
from people.onboarding.enums import BOARD_STATES, ApplicationState, RoundStatus
from people.onboarding.models import Application, RankingRecord, Round, RoundPost
from posts.selectors import townships_for

S = ApplicationState


def round_of(user, pk: int) -> Round:
    """The round ``pk`` with its township, if it is in the user's area (else a 404)."""
    return get_scoped_object_or_404(user, Round.objects.select_related("township"), pk=pk)


def round_post_of(user, pk: int, *, round_id: int) -> RoundPost:
    """A post offered by the round ``round_id``, if it is in the user's area (else a 404)."""
    return get_scoped_object_or_404(user, RoundPost.objects.all(), pk=pk, round_id=round_id)


def township_of(user, code: str) -> Region | None:
    """The township ``code`` if it is in the user's area (a county user's choice for a round)."""
    return townships_for(user).filter(pk=code).first()


def round_list(user, status: str = "") -> QuerySet[Round]:
    """The rounds of the user's area, newest first, of ``status`` if it is one."""
    rounds = scope_queryset(user, Round.objects.select_related("township"))
    if status in RoundStatus.values:
        rounds = rounds.filter(status=status)
    return rounds.order_by("-opens_on", "-pk")


def round_state_counts(user, round_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Applications per round and state, for a page of rounds in one GROUP BY query."""
    counts: dict[int, dict[str, int]] = {pk: {} for pk in round_ids}
    rows = (
        scope_queryset(user, Application.objects.filter(round_id__in=list(counts)))
        .values_list("round_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for round_id, state, n in rows:
        counts[round_id][state] = n
    return counts


def with_state_counts(user, rounds: Iterable[Round]) -> list[Round]:
    """The rounds, each with ``state_counts`` (state → its applications), in one query."""
    rounds = list(rounds)
    counts = round_state_counts(user, [r.pk for r in rounds])
    for r in rounds:
        r.state_counts = counts[r.pk]
    return rounds


def api_rounds(
    user, *, status: str = "", township: str = "", year: int | None = None
) -> QuerySet[Round]:
    """The rounds of the API: of the user's area, with the township and the posts offered,
    filtered by status, township code and the year they open."""
    rounds = scope_queryset(
        user,
        Round.objects.select_related("township").prefetch_related(
            Prefetch("round_posts", RoundPost.objects.select_related("post").order_by("pk"))
        ),
    )
    if status:
        rounds = rounds.filter(status=status)
    if township:
        rounds = rounds.filter(region_code=township)
    if year is not None:
        rounds = rounds.filter(opens_on__year=year)
    return rounds


# --- a round's board ------------------------------------------------------------------------------


def round_application_counts(user, round_: Round) -> dict[str, int]:
    """The round's applications per state, in one GROUP BY query."""
    apps = scope_queryset(user, Application.objects.filter(round=round_))
    return dict(apps.values_list("state").annotate(n=Count("pk")).order_by())


def round_applications_in_state(user, round_: Round, state: str) -> QuerySet[Application]:
    """The round's applications in ``state``, in the board's order (priority position, then
    entry)."""
    return (
        scope_queryset(user, Application.objects.filter(round=round_, state=state))
        .select_related("person", "person__village", "post")
        .order_by(F("rank").asc(nulls_last=True), "pk")
    )


@dataclass
class RoundBoard:
    """A round's board: its posts (each with ``candidates``, the qualified applicants waiting,
    and ``ranking``, its latest ranking or None), the applications per state (``counts``, always
    the full number) and the first of them in each state (``columns``)."""

    round_posts: list[RoundPost]
    counts: dict[str, int]
    columns: dict[str, list[Application]]


def round_board(user, round_: Round, *, names: int) -> RoundBoard:
    """The round's board, with up to ``names`` applications in each column. A fixed number of
    queries, however many applications: counts by one GROUP BY, names by one windowed query."""
    round_posts = list(
        scope_queryset(user, RoundPost.objects.filter(round=round_)).select_related(
            "post", "post__post_type", "post__village", "post__township"
        )
    )
    apps = scope_queryset(user, Application.objects.filter(round=round_))
    per_post_state = apps.values_list("post_id", "state").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(BOARD_STATES, 0)
    candidates: dict[int, int] = {}
    for post_id, state, n in per_post_state:
        counts[state] += n
        if state in (S.REREVIEW_PASSED, S.WAITLISTED):
            candidates[post_id] = candidates.get(post_id, 0) + n
    first = (
        apps.annotate(
            row=Window(
                RowNumber(),
                partition_by=[F("state")],
                order_by=[F("rank").asc(nulls_last=True), F("pk").asc()],
            )
        )
        .filter(row__lte=names)
        .select_related("person", "post")
        .order_by("state", "row")
    )
    columns: dict[str, list[Application]] = {state: [] for state in BOARD_STATES}
    for app in first:
        columns[app.state].append(app)
    latest = {
        r.round_post_id: r
        for r in scope_queryset(user, RankingRecord.objects.filter(round_post__round=round_))
        .order_by("round_post_id", "-created_at", "-pk")
        .distinct("round_post_id")
    }
    for rp in round_posts:
        rp.candidates = candidates.get(rp.post_id, 0)
        rp.ranking = latest.get(rp.pk)
    return RoundBoard(round_posts=round_posts, counts=counts, columns=columns)
