"""A post's status (docs/policy.md §1): the table of allowed changes and the one function that
makes them, by hand (``post_transition``) or as people start on or leave the post
(``post_occupancy_change``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import (
    audit_record,
    audit_updated,
    snapshot,
)
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.roles import require_role
from posts.enums import PostStatus
from posts.models import Post
from posts.roles import EDIT_POSTS
from posts.services.checks import _locked_in_area, _raise_field_errors, post_errors, snapshot_data
from posts.services.pay import no_minimum_wage_message, pay_rules

#: The allowed changes of a post's status (docs/policy.md §1): (from, to) → who may ask for it.
#: ``None``: nobody asks for it; the status follows the people on the post (a placement in
#: ``post_occupancy_change``, or a new headcount in ``post_update``).
POST_TRANSITIONS: dict[tuple[str, str], frozenset | None] = {
    (PostStatus.DRAFT, PostStatus.OPEN): EDIT_POSTS,
    (PostStatus.DRAFT, PostStatus.CLOSED): EDIT_POSTS,
    (PostStatus.OPEN, PostStatus.FILLED): None,
    (PostStatus.OPEN, PostStatus.CLOSED): EDIT_POSTS,
    (PostStatus.FILLED, PostStatus.VACANT): None,
    (PostStatus.VACANT, PostStatus.FILLED): None,
    (PostStatus.VACANT, PostStatus.OPEN): EDIT_POSTS,
    (PostStatus.VACANT, PostStatus.CLOSED): EDIT_POSTS,
}

#: What a change of status writes, for ``save(update_fields=...)``.
STATUS_FIELDS = [
    "status",
    "status_changed_at",
    "opened_on",
    "vacant_since",
    "closed_on",
    "close_reason",
    "updated_at",
]


def post_allowed_transitions(post: Post, user) -> list[str]:
    """The statuses ``user`` may move ``post`` to by hand (for the buttons on the page)."""
    return [
        to
        for (frm, to), roles in POST_TRANSITIONS.items()
        if frm == post.status and roles is not None and user.role in roles
    ]


def _status_change(
    post: Post, to: str, *, on: dt.date, actor=None, reason: str = ""
) -> tuple[str, str]:
    """The one place a post's status changes (docs/policy.md §1), by ``POST_TRANSITIONS``: sets
    the status and its dates on ``post``, which the caller holds under its row lock, saves and
    records in one audit entry (a transition entry when the status was asked for, else the
    entry of the placement or edit it follows from). With ``actor`` the change is asked for by
    hand: the actor's role, and closing's and publishing's own conditions, are checked too.
    Returns (before, after)."""
    key = (post.status, to)
    if key not in POST_TRANSITIONS:
        raise DomainError(
            _("A post cannot go from %(from)s to %(to)s.")
            % {"from": post.get_status_display(), "to": PostStatus(to).label}
        )
    if actor is not None:
        roles = POST_TRANSITIONS[key]
        if roles is None:
            raise DomainError(_("This status follows from the people placed on the post."))
        require_role(actor, roles)
        if to == PostStatus.CLOSED:
            if post.occupied:
                raise DomainError(
                    _("%(n)s people are on this post; they must leave it before it closes.")
                    % {"n": post.occupied}
                )
            if not reason.strip():
                raise DomainError(_("Say why the post is closed."))
            post.close_reason = reason.strip()[:200]
        if to == PostStatus.OPEN and post.status == PostStatus.DRAFT:
            rules = pay_rules(post.region_code)
            if rules["minimum"] is None:
                raise DomainError(no_minimum_wage_message())
            _raise_field_errors(post_errors(snapshot_data(post), **rules))
    before = post.status
    post.status = to
    post.status_changed_at = timezone.now()
    if to == PostStatus.OPEN:
        post.opened_on = post.opened_on or on
        post.vacant_since = post.vacant_since or on
    elif to == PostStatus.FILLED:
        post.vacant_since = None
    elif to == PostStatus.VACANT:
        post.vacant_since = on
    elif to == PostStatus.CLOSED:
        post.closed_on = on
        post.vacant_since = None
    return before, to


def _status_follows_places(post: Post, on: dt.date) -> None:
    """Filled when every place is taken, vacant when a filled post has places free again."""
    if post.status not in (PostStatus.OPEN, PostStatus.FILLED, PostStatus.VACANT):
        return
    if post.occupied >= post.headcount and post.status != PostStatus.FILLED:
        _status_change(post, PostStatus.FILLED, on=on)
    elif post.occupied < post.headcount and post.status == PostStatus.FILLED:
        _status_change(post, PostStatus.VACANT, on=on)


def post_transition(*, actor, post: Post, to: str, reason: str = "") -> Post:
    """Move a post to another status by hand: publish, recruit again, or close (seed 003 §1.3),
    through ``_status_change``; one transition entry in the audit trail."""
    with transaction.atomic():
        post = _locked_in_area(actor, post)
        before, after = _status_change(
            post, to, on=timezone.localdate(), actor=actor, reason=reason
        )
        post.save(update_fields=STATUS_FIELDS)
        audit_record(
            actor=actor,
            action=AuditAction.TRANSITION,
            instance=post,
            changes={"status": [before, after]},
            note=reason,
        )
    return post


def post_occupancy_change(*, actor, post_id: int, delta: int, on: dt.date | None = None) -> Post:
    """People start on (``delta`` > 0) or leave (< 0) a post: the count, status and dates follow.

    Called by the placements of a later app (the onboarding workflow). The row lock makes two
    placements at the same moment queue up, so the headcount is never exceeded (the check
    constraint is the backstop).
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post_id)
        if delta > 0 and post.status not in (PostStatus.OPEN, PostStatus.VACANT):
            raise DomainError(_("Only an open post takes people."))
        occupied = post.occupied + delta
        if occupied > post.headcount:
            raise DomainError(
                _("%(title)s has %(free)s free places.")
                % {"title": post.title, "free": post.free_places}
            )
        if occupied < 0:
            raise DomainError(_("Nobody is on this post."))
        before = snapshot(post)
        post.occupied = occupied
        if delta > 0 and post.first_filled_on is None:
            post.first_filled_on = on
        _status_follows_places(post, on)
        post.save()
        audit_updated(actor=actor, instance=post, before=before)
    return post
