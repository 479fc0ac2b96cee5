"""What a page or the API of the registry reads of the user's area: the people, one file and what
is on it (a 404 outside the area, never a 403 that confirms it exists), the posts to check a
person's eligibility for or to rank people for."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from gongyi.models import Region
from gongyi.scoping import get_scoped_object_or_404, scope_queryset, user_region_code
from people.models import Person, PersonDocument, PersonGroup, RelativeDeclaration, TargetGroup
from people.selectors.eligibility import Ranking, eligible_people, rank_people
from posts.enums import PostStatus
from posts.models import Post
from posts.selectors import townships_for, villages_for


def people_for(user) -> QuerySet[Person]:
    """The people of the user's area."""
    return scope_queryset(user, Person.objects.all())


def person_get(user, pk, *, related: tuple[str, ...] = ()) -> Person:
    """The file ``pk`` if it is in the user's area, with ``related`` read along; else a 404."""
    people = Person.objects.select_related(*related) if related else Person.objects.all()
    return get_scoped_object_or_404(user, people, pk=pk)


def person_membership_get(user, person_pk, pk) -> PersonGroup:
    """A target group membership of the file ``person_pk`` in the user's area; else a 404."""
    return get_scoped_object_or_404(user, PersonGroup.objects.filter(person_id=person_pk), pk=pk)


def person_declaration_get(user, person_pk, pk) -> RelativeDeclaration:
    """A relative declaration of the file ``person_pk`` in the user's area; else a 404."""
    return get_scoped_object_or_404(
        user, RelativeDeclaration.objects.filter(person_id=person_pk), pk=pk
    )


def person_document_get(user, pk) -> PersonDocument:
    """A scan of a file in the user's area; else a 404."""
    return get_scoped_object_or_404(user, PersonDocument.objects.all(), pk=pk)


def person_records(person: Person) -> dict[str, QuerySet]:
    """What a file shows below it, each read when the page shows it: its target groups,
    declarations, documents and placements."""
    return {
        "memberships": person.memberships.select_related("group", "recorded_by"),
        "declarations": person.declarations.all(),
        "documents": person.documents.select_related("uploaded_by"),
        "placements": person.placements.select_related("post"),
    }


def person_api_people(people: QuerySet[Person]) -> QuerySet[Person]:
    """``people`` with what the API's ``PersonSerializer`` reads of each, in three queries."""
    return people.select_related("township", "village").prefetch_related(
        Prefetch("memberships", PersonGroup.objects.select_related("group")),
        "declarations",
    )


def active_groups_for(user) -> QuerySet[TargetGroup]:
    """The target groups in use in the user's county."""
    return scope_queryset(user, TargetGroup.objects.filter(is_active=True))


def list_regions_for(user, township: str) -> tuple[QuerySet[Region], QuerySet[Region] | list]:
    """The townships and villages the registry list offers as filters: the villages of the chosen
    township (all of them for a township's user), none before one is chosen."""
    townships = townships_for(user).only("code", "name")
    if not (township or user.region.level == "township"):
        return townships, []
    return townships, villages_for(user).filter(code__startswith=township).only("code", "name")


def group_counts(user) -> list[TargetGroup]:
    """The groups the user's county uses, each with the number of people of the user's area."""
    area = Q(people__region_code__startswith=user_region_code(user))
    return list(
        scope_queryset(user, TargetGroup.objects.all())
        .annotate(people_count=Count("people", filter=area))
        .order_by("priority", "area", "code")
    )


def post_for(user, pk: str) -> Post | None:
    """The post ``pk`` (digits) if it is in the user's area."""
    return scope_queryset(user, Post.objects.all()).filter(pk=pk).first()


def _open_posts(user) -> QuerySet[Post]:
    return scope_queryset(
        user, Post.objects.filter(status__in=[PostStatus.OPEN, PostStatus.VACANT])
    )


def township_open_posts(user, person: Person, limit: int = 200) -> QuerySet[Post]:
    """Open and vacant posts of the person's township, to check the person's eligibility for."""
    return (
        _open_posts(user)
        .filter(township=person.township_id)
        .only("pk", "title", "area_kind")[:limit]
    )


def ranking_posts(user, limit: int = 500) -> QuerySet[Post]:
    """The open and vacant posts of the user's area, to choose one to rank people for."""
    return (
        _open_posts(user).select_related("township").only("pk", "title", "township__name")[:limit]
    )


def ranking_post(user, pk: str) -> Post | None:
    """The open or vacant post ``pk`` (digits) if it is in the user's area, with its township."""
    return _open_posts(user).select_related("township").filter(pk=pk).first()


def post_candidates(user, post: Post, on: dt.date) -> Ranking:
    """The people of the user's area in the post's township whom the rules find eligible for it
    on ``on``, in priority order (docs/policy.md §3)."""
    candidates = eligible_people(
        people_for(user).filter(township=post.township_id), area_kind=post.area_kind, on=on
    )
    return rank_people(candidates, area_kind=post.area_kind, on=on, county_code=post.region_code)
