"""Step 4's publicity (公示) and what may stop an approval during it: the ranking and the
publicity lists, objections and their findings, and the township's and county's decisions on a
relative declaration (seed 003 §6, §9)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import audit_created, audit_updated, snapshot
from gongyi.calendar import working_days_end
from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.policy import policy_value
from gongyi.roles import require_role
from people.declarations import declaration_check, declaration_transition
from people.enums import DeclarationStatus
from people.models import Person, RelativeDeclaration
from people.onboarding.enums import CLOSED_STATES, ObjectionStatus, RecordKind
from people.onboarding.models import Application, Objection, Publicity, RankingRecord, RoundPost
from people.onboarding.policy import PUBLICITY_WORKING_DAYS
from people.onboarding.roles import (
    DECIDE_DECLARATIONS,
    FILE_DECLARATIONS,
    PUBLICISE,
    RECORD_OBJECTIONS,
    RESOLVE_OBJECTIONS,
)
from people.onboarding.selectors import round_free_places
from people.onboarding.services.common import S, _field_error, _locked, _record
from people.onboarding.workflow import application_transition
from people.selectors import rank_people
from posts.models import Post


def publicity_start(
    *, actor, round_post: RoundPost, starts_on: dt.date | None = None
) -> RankingRecord:
    """Rank the post's qualified applicants (docs/policy.md §3) and publicise as many as it has
    places, each in their own village's list for the publicity period (docs/policy.md §6: a setting,
    5 working days by default); the others wait for a place in their ranked order. The ranking is
    kept with its reasons."""
    require_role(actor, PUBLICISE)
    today = timezone.localdate()
    starts_on = starts_on or today
    if starts_on < today:
        raise _field_error("starts_on", _("Publicity cannot start in the past."))
    with transaction.atomic():
        round_post = _locked(actor, RoundPost.objects.select_related("round"), round_post.pk)
        # The post's row lock: two rankings of the same post cannot both hand out its last place.
        post = Post.objects.select_for_update().get(pk=round_post.post_id)
        candidates = list(
            Application.objects.filter(
                round_id=round_post.round_id,
                post=post,
                state__in=[S.REREVIEW_PASSED, S.WAITLISTED],
            ).select_related("person")
        )
        if not candidates:
            raise DomainError(_("Nobody has passed the re-review for this post yet."))
        by_person = {a.person_id: a for a in candidates}
        ranking = rank_people(
            Person.objects.filter(pk__in=list(by_person)),
            area_kind=post.area_kind,
            on=starts_on,
            county_code=round_post.round.region_code[:6],
        )
        free = round_free_places(post, round_post)
        days = policy_value(round_post.round.region_code, PUBLICITY_WORKING_DAYS, starts_on)
        ends_on = working_days_end(starts_on, days)
        proposed = ranking.ranked[:free]
        waiting = ranking.ranked[free:]
        villages = {by_person[r.facts.person_id].region_code for r in proposed}
        regions = {r.code: r for r in Region.objects.filter(code__in=villages)}
        lists = {}
        for code in sorted(villages):
            lists[code] = Publicity.objects.create(
                village=regions[code],
                region_code=code,
                round=round_post.round,
                starts_on=starts_on,
                ends_on=ends_on,
                working_days=days,
                created_by=actor,
            )
        record = RankingRecord.objects.create(
            round_post=round_post,
            region_code=round_post.round.region_code,
            made_on=starts_on,
            places=free,
            rows=[
                {**r.as_dict(), "application": by_person[r.facts.person_id].pk}
                for r in ranking.ranked
            ]
            + [
                {
                    "application": by_person[facts.person_id].pk,
                    "name": facts.name,
                    "not_eligible": [str(x.reason) for x in v.rules if x.outcome == "fail"],
                }
                for facts, v in ranking.not_eligible
            ],
            made_by=actor,
        )
        audit_created(actor=actor, instance=record)
        evidence = _("Ranking of %(date)s") % {"date": starts_on}
        if proposed:
            per = {
                by_person[r.facts.person_id].pk: {
                    "publicity": lists[by_person[r.facts.person_id].region_code].pk,
                    "rank": r.position,
                    "reason": r.reason,
                }
                for r in proposed
            }
            application_transition(
                actor=actor,
                applications=list(per),
                to=S.PUBLICITY,
                evidence=evidence,
                per_application=per,
                data={"ranking": record.pk},
                via_service=True,
            )
        if waiting:
            per = {
                by_person[r.facts.person_id].pk: {"rank": r.position, "reason": r.reason}
                for r in waiting
            }
            application_transition(
                actor=actor,
                applications=list(per),
                to=S.WAITLISTED,
                evidence=evidence,
                per_application=per,
                data={"ranking": record.pk},
                via_service=True,
            )
    return record


def objection_raise(
    *, actor, application: Application, content: str, raised_by: str = "", raised_on=None
) -> Objection:
    """An objection to a publicised applicant, received during the period (seed 003 §6): it
    blocks the approval until the township records its finding."""
    require_role(actor, RECORD_OBJECTIONS)
    raised_on = raised_on or timezone.localdate()
    if not (content or "").strip():
        raise _field_error("content", _("Write down what the objection says."))
    with transaction.atomic():
        app = _locked(actor, Application.objects.select_related("publicity"), application.pk)
        if app.state != S.PUBLICITY:
            raise DomainError(_("Objections are received while the person is in publicity."))
        if raised_on > timezone.localdate():
            raise _field_error("raised_on", _("The date cannot be in the future."))
        if not (app.publicity.starts_on <= raised_on <= app.publicity.ends_on):
            raise _field_error(
                "raised_on",
                _("The publicity period runs from %(start)s to %(end)s.")
                % {"start": app.publicity.starts_on, "end": app.publicity.ends_on},
            )
        objection = Objection.objects.create(
            application=app,
            raised_on=raised_on,
            raised_by=(raised_by or "").strip()[:50],
            content=content.strip(),
            received_by=actor,
        )
        audit_created(actor=actor, instance=objection)
        _record(app, actor, RecordKind.OBJECTION, comment=objection.content).save()
    return objection


def objection_resolve(*, actor, objection: Objection, upheld: bool, finding: str) -> Objection:
    """The township's finding on an objection, published with the list (seed 003 §6). Upheld:
    the applicant is not passed, with the finding as the reason; not upheld: the way to approval
    is open again."""
    require_role(actor, RESOLVE_OBJECTIONS)
    if not (finding or "").strip():
        raise _field_error("finding", _("Write down the finding of the investigation."))
    with transaction.atomic():
        objection = _locked(actor, Objection.objects, objection.pk)
        if objection.status != ObjectionStatus.OPEN:
            raise DomainError(_("This objection has its finding already."))
        before = snapshot(objection)
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        objection.finding = finding.strip()
        objection.found_on = timezone.localdate()
        objection.found_by = actor
        objection.save(update_fields=["status", "finding", "found_on", "found_by"])
        audit_updated(actor=actor, instance=objection, before=before)
        app = objection.application
        _record(
            app, actor, RecordKind.FINDING, comment=objection.finding, data={"upheld": upheld}
        ).save()
        if upheld:
            application_transition(
                actor=actor,
                applications=[app.pk],
                to=S.REJECTED,
                comment=objection.finding,
                evidence=_("Objection upheld"),
            )
    return objection


def declaration_decide(*, actor, declaration: RelativeDeclaration, approve: bool, comment: str):
    """The township's decision on a relative declaration, after the village's review and
    publicity without objection (seed 003 §9)."""
    require_role(actor, DECIDE_DECLARATIONS)
    return _declaration_step(
        actor,
        declaration,
        to=DeclarationStatus.TOWNSHIP_APPROVED if approve else DeclarationStatus.REFUSED,
        comment=comment,
    )


def declaration_file(*, actor, declaration: RelativeDeclaration, comment: str = ""):
    """The county HR bureau files a declaration the township approved (seed 003 §9)."""
    require_role(actor, FILE_DECLARATIONS)
    return _declaration_step(
        actor,
        declaration,
        to=DeclarationStatus.FILED,
        comment=comment,
    )


def _declaration_step(actor, declaration, *, to, comment):
    """Move the declaration (``people.declarations``) once the application allows the decision,
    and note it among the application's steps."""
    with transaction.atomic():
        declaration = _locked(actor, RelativeDeclaration.objects, declaration.pk)
        declaration_check(declaration, to)
        app = (
            Application.objects.select_for_update()
            .filter(person_id=declaration.person_id)
            .exclude(state__in=list(CLOSED_STATES))
            .first()
        )
        if app is None:
            raise DomainError(_("The person has no application in progress."))
        if app.state not in (S.PUBLICITY, S.APPROVED):
            raise DomainError(
                _("The declaration is decided after the village's review and publicity.")
            )
        if app.objections.filter(status=ObjectionStatus.OPEN).exists():
            raise DomainError(_("An objection is under investigation; record the finding first."))
        if to == DeclarationStatus.REFUSED and not (comment or "").strip():
            raise _field_error("comment", _("Say why the township refuses."))
        declaration_transition(actor=actor, declaration=declaration, to=to, note=comment)
        _record(
            app,
            actor,
            RecordKind.DECLARATION,
            comment=(comment or "").strip(),
            data={"declaration": declaration.pk, "status": to},
        ).save()
        if to == DeclarationStatus.REFUSED and app.state == S.PUBLICITY:
            application_transition(
                actor=actor,
                applications=[app.pk],
                to=S.REJECTED,
                comment=comment,
                evidence=_("Relative declaration refused by the township"),
            )
    return declaration
