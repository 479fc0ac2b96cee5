"""Writes to the post catalogue: a post created or changed, a county's own standard post name."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import (
    audit_created,
    audit_updated,
    snapshot,
)
from gongyi.errors import DomainError
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from posts.enums import PostStatus
from posts.models import Post, PostType
from posts.roles import EDIT_POSTS, MANAGE_CATALOGUE
from posts.selectors import free_places, place_holders
from posts.services.checks import (
    FIXED_AFTER_PUBLISH,
    POST_FIELDS,
    _locked_in_area,
    _normalise,
    _raise_field_errors,
    post_errors,
    post_place_check,
    post_type_check,
)
from posts.services.pay import pay_rules
from posts.services.status import _status_follows_places


def post_create(*, actor, **data) -> Post:
    """Create a draft post in the actor's area, its pay checked against the minimum wage."""
    require_role(actor, EDIT_POSTS)
    data = _normalise({k: data.get(k) for k in POST_FIELDS})
    place = post_place_check(actor=actor, township=data["township"], village=data["village"])
    post_type_check(actor=actor, post_type=data["post_type"])
    _raise_field_errors(post_errors(data, **pay_rules(place.township.code)))
    post = Post(**data, created_by=actor)
    post.region_code = (place.village or place.township).code
    with transaction.atomic():
        post.save()
        audit_created(actor=actor, instance=post)
    return post


def _headcount_refusal(post: Post, headcount: int) -> str | None:
    """Why ``headcount`` is too low for the places already taken or promised, naming the people
    who hold them; ``None`` if it is not. Read under the post's row lock, which approval takes
    too, so nobody is approved for the post between this count and the save."""
    needed = post.headcount - free_places([post])[post.pk]
    if headcount >= needed:
        return None
    holders = place_holders(post)
    on_post, waiting = holders.on_post, holders.waiting
    if not waiting:
        return _("%(n)s people are on this post; the headcount cannot be lower.") % {
            "n": post.occupied
        }
    return _(
        "%(n)s places of this post are taken or promised (on the post: %(on_post)s; approved "
        "and not yet started: %(waiting)s); the headcount cannot be lower than %(n)s."
    ) % {
        "n": needed,
        "on_post": "、".join(on_post) or str(post.occupied),
        "waiting": "、".join(waiting),
    }


def post_update(*, actor, post: Post, **data) -> Post:
    """Change a post's fields. Headcount never below the people on it and those approved for
    it and not yet started; once published, the township, kind and plan year stay (they decide
    where the post counts in the plan)."""
    require_role(actor, EDIT_POSTS)
    with transaction.atomic():
        # Locked so that neither a placement nor an approval takes a place while the headcount is
        # being lowered.
        post = _locked_in_area(actor, post)
        if post.status == PostStatus.CLOSED:
            raise DomainError(_("A closed post cannot be changed."))
        before = snapshot(post)
        merged = _normalise({k: data.get(k, getattr(post, k)) for k in POST_FIELDS})
        if post.status != PostStatus.DRAFT:
            changed = [f for f in FIXED_AFTER_PUBLISH if merged[f] != getattr(post, f)]
            if changed:
                raise DomainError(
                    _(
                        "The township, urban or rural kind and plan year of a published post are "
                        "fixed; close it and create a new one instead."
                    )
                )
        place = post_place_check(
            actor=actor, township=merged["township"], village=merged["village"]
        )
        if merged["post_type"] != post.post_type:
            post_type_check(actor=actor, post_type=merged["post_type"])
        errors = post_errors(merged, **pay_rules(place.township.code))
        if "headcount" not in errors:
            refused = _headcount_refusal(post, merged["headcount"])
            if refused:
                errors["headcount"] = refused
        _raise_field_errors(errors)
        for key, value in merged.items():
            setattr(post, key, value)
        post.region_code = (place.village or place.township).code
        _status_follows_places(post, timezone.localdate())
        post.save()
        audit_updated(actor=actor, instance=post, before=before)
    return post


def post_type_create(*, actor, category: str, name: str, description: str = "") -> PostType:
    """A county adds a standard post name of its own under one of the five categories."""
    require_role(actor, MANAGE_CATALOGUE)
    name = name.strip()
    county = actor.region
    if not name:
        raise DomainError(_("Give the standard name."))
    visible = scope_queryset(actor, PostType.objects.filter(name=name))
    if visible.exists():
        raise DomainError(_("The standard name %(name)s exists already.") % {"name": name})
    try:
        with transaction.atomic():
            post_type = PostType.objects.create(
                category=category, name=name, county=county, description=description
            )
            audit_created(actor=actor, instance=post_type)
    except IntegrityError:  # the same name added at the same moment
        raise DomainError(
            _("The standard name %(name)s exists already.") % {"name": name}
        ) from None
    return post_type
