"""Step 2 of the onboarding workflow: the application (报名申请).

The township enters a person's application for a post of a published round; the initial review
(初审) that follows is a move of ``workflow.application_transition``."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import audit_created
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from people.enums import DeclarationStatus
from people.models import Person, RelativeDeclaration
from people.onboarding.enums import CLOSED_STATES, RecordKind, RoundStatus
from people.onboarding.models import Application, Round, RoundPost, StepRecord
from people.onboarding.roles import ENTER_APPLICATIONS
from people.onboarding.services.common import S, _field_error, _locked
from people.selectors import person_verdict
from posts.enums import PostStatus
from posts.models import Post


def application_submit(
    *,
    actor,
    round_: Round,
    post: Post,
    person: Person,
    applied_on: dt.date | None = None,
    comment: str = "",
    evidence: str = "",
) -> Application:
    """Enter a person's application for a post of a published round (step 2).

    Refused outside the application window, for a post the round does not offer or that has no
    free place, for a person outside the round's township, for someone who already has an
    application in progress, and for anyone the eligibility rules refuse (on another post, two
    placements used, age, group: ``people.eligibility``). The verdict is kept with the
    application, and so is the person's relative declaration, if any (seed 003 §9).
    """
    require_role(actor, ENTER_APPLICATIONS)
    today = timezone.localdate()
    applied_on = applied_on or today
    with transaction.atomic():
        round_ = scope_queryset(actor, Round.objects).filter(pk=round_.pk).first()
        if round_ is None:
            raise _field_error("round", _("Not found, or outside your area."))
        if round_.status != RoundStatus.PUBLISHED:
            raise _field_error("round", _("This round is not taking applications."))
        if applied_on > today:
            raise _field_error("applied_on", _("The application date cannot be in the future."))
        if not (round_.opens_on <= applied_on <= round_.closes_on) or today > round_.closes_on:
            raise _field_error(
                "applied_on",
                _("Applications are taken from %(opens)s to %(closes)s.")
                % {"opens": round_.opens_on, "closes": round_.closes_on},
            )
        # Locks the post: an application for its last place and the last approval queue up.
        offered = (
            RoundPost.objects.filter(round=round_, post_id=post.pk).select_related("post").first()
        )
        if offered is None:
            raise _field_error("post", _("This round does not offer that post."))
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.status not in (PostStatus.OPEN, PostStatus.VACANT) or post.free_places < 1:
            raise _field_error("post", _("%(post)s has no free place.") % {"post": post.title})
        person = _locked(actor, Person.objects, person.pk)
        if not person.region_code.startswith(round_.region_code):
            raise _field_error(
                "person",
                _("%(name)s's file is kept by another township; apply there.")
                % {"name": person.name},
            )
        current = (
            Application.objects.filter(person=person)
            .exclude(state__in=list(CLOSED_STATES))
            .select_related("post")
            .first()
        )
        if current is not None:
            raise _field_error(
                "person",
                _("%(name)s already has an application in progress (%(post)s, %(state)s).")
                % {
                    "name": person.name,
                    "post": current.post.title,
                    "state": current.get_state_display(),
                },
            )
        verdict = person_verdict(person, post.area_kind, applied_on)
        if not verdict.eligible:
            reasons = "；".join(str(r.reason) for r in verdict.rules if r.outcome == "fail")
            raise _field_error("person", _("Not eligible: %(reasons)s") % {"reasons": reasons})
        declaration = (
            RelativeDeclaration.objects.filter(person=person)
            .exclude(status=DeclarationStatus.WITHDRAWN)
            .order_by("-declared_on", "-pk")
            .first()
        )
        app = Application(
            round=round_,
            post=post,
            person=person,
            region_code=person.region_code,
            state=S.APPLIED,
            state_changed_at=timezone.now(),
            applied_on=applied_on,
            eligibility=verdict.as_dict(),
            declaration=declaration,
            created_by=actor,
        )
        try:
            with transaction.atomic():
                app.save()
        except IntegrityError:
            # Another clerk entered the same person a moment ago (the one-open constraint).
            raise _field_error(
                "person",
                _("%(name)s already has an application in progress.") % {"name": person.name},
            ) from None
        StepRecord.objects.create(
            application=app,
            region_code=app.region_code,
            kind=RecordKind.TRANSITION,
            from_state="",
            to_state=S.APPLIED,
            actor=actor,
            actor_role=actor.role,
            at=app.state_changed_at,
            evidence=(evidence or "").strip()[:300],
            comment=(comment or "").strip(),
            data={"eligible": verdict.eligible, "ready": verdict.ready},
        )
        audit_created(actor=actor, instance=app)
    return app
