"""Step 1 of the onboarding workflow: the recruitment round (发布公告).

A township (or the county for it) drafts a round with the posts it offers and their places,
publishes it, and closes it; applications are taken while it is published."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_created, audit_record_many, audit_updated, snapshot
from gongyi.enums import AuditAction, RegionLevel, Role
from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from people.onboarding.enums import RoundStatus
from people.onboarding.models import Round, RoundPost
from people.onboarding.roles import MANAGE_ROUNDS
from people.onboarding.services.common import _field_error, _locked
from posts.enums import PostStatus
from posts.models import Post


def _round_township(actor, township: Region | None) -> Region:
    if actor.role == Role.CLERK:
        # Named or not, a clerk's round is of the clerk's township: another is refused, not
        # silently replaced (a client must learn that its choice was not taken).
        if township is not None and township.pk != actor.region_id:
            raise _field_error(
                "township",
                _("A township clerk opens rounds of their own township only (%(township)s).")
                % {"township": actor.region.name},
            )
        return actor.region
    if township is None or township.level != RegionLevel.TOWNSHIP:
        raise _field_error("township", _("Choose the township that runs the round."))
    if not scope_queryset(actor, Region.objects.filter(pk=township.pk)).exists():
        raise _field_error("township", _("Not found, or outside your area."))
    return township


def _round_fields_check(data: dict[str, Any]) -> None:
    if not (data.get("title") or "").strip():
        raise _field_error("title", _("Give the round a title."))
    opens, closes = data.get("opens_on"), data.get("closes_on")
    if not opens or not closes:
        raise _field_error("closes_on", _("Enter the first and last day of applications."))
    if closes < opens:
        raise _field_error("closes_on", _("Applications cannot close before they open."))
    if not (data.get("who_may_apply") or "").strip():
        raise _field_error("who_may_apply", _("Say who may apply."))
    if not (data.get("apply_at") or "").strip():
        raise _field_error("apply_at", _("Say where to apply."))


def _round_posts_set(actor, round_: Round, places: dict[int, int]) -> None:
    """The posts a round offers and the places of each: open posts of the round's township,
    at most their free places."""
    if not places:
        raise _field_error("posts", _("Choose at least one post and its number of places."))
    posts = {
        p.pk: p
        for p in scope_queryset(actor, Post.objects.all()).filter(
            pk__in=list(places), township_id=round_.township_id
        )
    }
    for post_id, n in places.items():
        post = posts.get(post_id)
        if post is None:
            raise _field_error("posts", _("Not found, or outside your area."))
        if post.status not in (PostStatus.OPEN, PostStatus.VACANT):
            raise _field_error(
                "posts", _("%(post)s is not open for recruitment.") % {"post": post.title}
            )
        if n < 1 or n > post.free_places:
            raise _field_error(
                "posts",
                _("%(post)s has %(free)s free places; offer between 1 and %(free)s.")
                % {"post": post.title, "free": post.free_places},
            )
    RoundPost.objects.filter(round=round_).delete()
    RoundPost.objects.bulk_create(
        RoundPost(round=round_, post_id=pk, places=n) for pk, n in sorted(places.items())
    )


def round_create(*, actor, places: dict[int, int], township: Region | None = None, **data) -> Round:
    """A draft round of the actor's township (a county user names the township)."""
    require_role(actor, MANAGE_ROUNDS)
    township = _round_township(actor, township)
    _round_fields_check(data)
    fields = {k: (data.get(k) or "") for k in ("title", "who_may_apply", "apply_at", "contact")}
    with transaction.atomic():
        round_ = Round.objects.create(
            township=township,
            region_code=township.code,
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            created_by=actor,
            **{k: v.strip() for k, v in fields.items()},
        )
        _round_posts_set(actor, round_, places)
        audit_created(actor=actor, instance=round_, note=_places_note(places))
    return round_


def _places_note(places: dict[int, int]) -> str:
    return "posts " + ", ".join(f"{pk}×{n}" for pk, n in sorted(places.items()))


def round_update(*, actor, round_: Round, places: dict[int, int] | None = None, **data) -> Round:
    """Change a draft round; a published one keeps what it announced."""
    require_role(actor, MANAGE_ROUNDS)
    _round_fields_check(data)
    with transaction.atomic():
        round_ = _locked(actor, Round.objects, round_.pk)
        if round_.status != RoundStatus.DRAFT:
            raise DomainError(_("A published round cannot be changed; close it and open another."))
        before = snapshot(round_)
        for key in ("title", "who_may_apply", "apply_at", "contact"):
            setattr(round_, key, (data.get(key) or "").strip())
        round_.opens_on, round_.closes_on = data["opens_on"], data["closes_on"]
        round_.save()
        note = ""
        if places is not None:
            _round_posts_set(actor, round_, places)
            note = _places_note(places)
        audit_updated(actor=actor, instance=round_, before=before, note=note)
    return round_


def round_publish(*, actor, round_: Round) -> Round:
    """Publish the announcement (step 1): from now on people may apply within the window."""
    require_role(actor, MANAGE_ROUNDS)
    today = timezone.localdate()
    with transaction.atomic():
        round_ = _locked(actor, Round.objects, round_.pk)
        if round_.status != RoundStatus.DRAFT:
            raise DomainError(_("Only a draft round is published."))
        if round_.closes_on < today:
            raise DomainError(_("The application window has already closed; change its dates."))
        if not round_.round_posts.exists():
            raise DomainError(_("Choose at least one post and its number of places."))
        round_.status, round_.published_on = RoundStatus.PUBLISHED, today
        round_.save(update_fields=["status", "published_on"])
        _audit_status(actor, round_, {"status": [RoundStatus.DRAFT, RoundStatus.PUBLISHED]})
    return round_


def round_close(*, actor, round_: Round, reason: str = "") -> Round:
    """Close a round: no more applications; those in progress go on."""
    require_role(actor, MANAGE_ROUNDS)
    with transaction.atomic():
        round_ = _locked(actor, Round.objects, round_.pk)
        if round_.status == RoundStatus.CLOSED:
            raise DomainError(_("The round is closed already."))
        before = round_.status
        round_.status = RoundStatus.CLOSED
        round_.save(update_fields=["status"])
        _audit_status(actor, round_, {"status": [before, RoundStatus.CLOSED]}, note=reason)
    return round_


def _audit_status(actor, instance, changes, note=""):
    audit_record_many(
        actor=actor, changes=[Change(AuditAction.TRANSITION, instance, changes, note=note)]
    )
