"""Places a post has promised: who holds them and how many a round may still propose
(registered with ``posts.selectors``, which counts free places in one place)."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, Q

from people.models import Placement
from people.onboarding.enums import HOLDING_STATES, ApplicationState
from people.onboarding.models import Application, RoundPost
from posts.models import Post
from posts.selectors import PlaceHolders, free_places


def post_place_holders(post: Post) -> PlaceHolders:
    """Who holds places of ``post``: the people on it (open placements) and those approved and not
    yet started (``HOLDING_STATES``), by name in the order they came. Registered with the post
    services, which must not lower the headcount below them."""
    on_post = (
        Placement.objects.filter(post=post, end_date__isnull=True)
        .order_by("start_date", "pk")
        .values_list("person__name", flat=True)
    )
    waiting = (
        Application.objects.filter(post=post, state__in=list(HOLDING_STATES))
        .order_by("state_changed_at", "pk")
        .values_list("person__name", flat=True)
    )
    return PlaceHolders(on_post=list(on_post), waiting=list(waiting))


def post_waiting_counts(post_ids: Collection[int]) -> dict[int, int]:
    """Post id -> people approved for it and not yet started (``HOLDING_STATES``), in one query.
    Registered with the posts' ``free_places``, the one place free places are counted."""
    return dict(
        Application.objects.filter(post_id__in=list(post_ids), state__in=list(HOLDING_STATES))
        .values("post_id")
        .annotate(n=Count("pk"))
        .values_list("post_id", "n")
    )


def round_free_places(post: Post, round_post: RoundPost) -> int:
    """Places a round may still propose people for (docs/policy.md §6): the post's free places
    (``posts.selectors.free_places``) less the people in publicity for it, and at most the round's
    places less those proposed, approved, or started from this round. Read under the post's row
    lock when it decides who is publicised."""
    taken_states = [ApplicationState.PUBLICITY, *HOLDING_STATES]
    counts = Application.objects.aggregate(
        round_taken=Count(
            "pk",
            filter=Q(round_id=round_post.round_id, post_id=post.pk)
            & Q(state__in=[*taken_states, ApplicationState.STARTED]),
        ),
        in_publicity=Count("pk", filter=Q(post_id=post.pk, state=ApplicationState.PUBLICITY)),
    )
    return max(
        0,
        min(
            round_post.places - counts["round_taken"],
            free_places([post])[post.pk] - counts["in_publicity"],
        ),
    )
