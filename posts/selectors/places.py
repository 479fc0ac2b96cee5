"""Places still free on a post (docs/policy.md §1 and §6), with what later apps register."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from posts.models import Post


@dataclass(frozen=True)
class PlaceHolders:
    """The people who hold places of a post: on it, and approved and not yet started."""

    on_post: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlaceHolderSource:
    """What a later app (the onboarding workflow, which knows who is approved) tells the posts
    about the people promised a place and not yet on it: how many per post, for many posts in
    one query, and who they are for one post, for a refusal that names them."""

    waiting: Callable[[Collection[int]], dict[int, int]]
    names: Callable[[Post], PlaceHolders]


#: Registered by later apps at start-up: posts may not import them (STYLE.md "Where things live").
_place_holder_sources: list[PlaceHolderSource] = []


def register_place_holders(*, waiting, names) -> None:
    source = PlaceHolderSource(waiting=waiting, names=names)
    if source not in _place_holder_sources:
        _place_holder_sources.append(source)


def place_holders(post: Post) -> PlaceHolders:
    """Who holds places of ``post``, by name, from every registered source."""
    found = [source.names(post) for source in _place_holder_sources]
    return PlaceHolders(
        on_post=[name for h in found for name in h.on_post],
        waiting=[name for h in found for name in h.waiting],
    )


def free_places(posts: Iterable[Post]) -> dict[int, int]:
    """Post id -> places still free on it: the headcount, less the people on it (``occupied``),
    less those approved for it and not yet started (approved, agreed, trained). One query for
    all the posts, whatever their number. When the figure decides a write, load the posts under
    their row lock first (``select_for_update``), then call this: the count is then read after
    any approval that held the lock has committed."""
    posts = list(posts)
    ids = [p.pk for p in posts]
    waiting: dict[int, int] = {}
    for source in _place_holder_sources:
        for post_id, n in source.waiting(ids).items():
            waiting[post_id] = waiting.get(post_id, 0) + n
    return {p.pk: p.headcount - p.occupied - waiting.get(p.pk, 0) for p in posts}
