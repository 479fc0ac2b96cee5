"""Writes of the onboarding workflow: rounds, applications and the acts of each step.

Every change of an application's state goes through ``workflow.application_transition``; the
services here gather what a step needs (a meeting, a ranking, a publicity list, a training
session, the department opinions) and then call it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_created, audit_record_many, audit_updated, snapshot
from gongyi.calendar import working_days_end
from gongyi.enums import AuditAction, Department, RegionLevel, Role
from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.policy import policy_value
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from people.declarations import declaration_check, declaration_transition
from people.enums import DeclarationStatus
from people.models import Person, RelativeDeclaration
from people.onboarding.enums import (
    CLOSED_STATES,
    ApplicationState,
    ObjectionStatus,
    Opinion,
    RecordKind,
    RoundStatus,
)
from people.onboarding.models import (
    Application,
    DemocraticReview,
    DepartmentOpinion,
    Objection,
    Publicity,
    RankingRecord,
    Round,
    RoundPost,
    StepRecord,
    TrainingAttendance,
    TrainingSession,
)
from people.onboarding.policy import PUBLICITY_WORKING_DAYS
from people.onboarding.roles import (
    DECIDE_DECLARATIONS,
    ENTER_APPLICATIONS,
    FILE_DECLARATIONS,
    GIVE_OPINIONS,
    MANAGE_ROUNDS,
    PUBLICISE,
    RECORD_DEMOCRATIC_REVIEW,
    RECORD_OBJECTIONS,
    RESOLVE_OBJECTIONS,
    TOWNSHIP_STEPS,
)
from people.onboarding.selectors import round_free_places
from people.onboarding.workflow import application_transition
from people.scans import MAX_SCAN_BYTES, scan_name, scan_type
from people.selectors import person_verdict, rank_people
from posts.enums import PostStatus
from posts.models import Post

S = ApplicationState


def _locked(actor, queryset, pk):
    """The row, locked, if it is in the actor's area; else the same refusal as a page's 404."""
    row = scope_queryset(actor, queryset.select_for_update(of=("self",))).filter(pk=pk).first()
    if row is None:
        raise DomainError(_("Not found, or outside your area."))
    return row


def _field_error(field: str, message: str) -> DomainError:
    return DomainError(message, field_errors={field: message})


def _record(app: Application, actor, kind: str, comment: str = "", evidence="", data=None):
    return StepRecord(
        application=app,
        region_code=app.region_code,
        kind=kind,
        from_state=app.state,
        to_state=app.state,
        actor=actor,
        actor_role=actor.role,
        at=timezone.now(),
        comment=comment,
        evidence=evidence[:300],
        data=data or {},
    )


# --- step 1: the recruitment round (发布公告) ------------------------------------------------------


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


# --- step 2: the application (报名申请) and the initial review (初审) -------------------------------


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


# --- step 3: the democratic review (民主评议) ------------------------------------------------------


def democratic_review_record(
    *,
    actor,
    village: Region,
    held_on: dt.date,
    attendance: int,
    minutes: str,
    results: dict[int, tuple[bool, int | None, str]],
    place: str = "",
    minutes_file=None,
) -> DemocraticReview:
    """The village's meeting and its result for each applicant: ``results`` maps an application
    to (passed, votes for, reason if not passed). Those who pass go on to the re-review, the
    others are not passed with the reason (seed 003 §6: organised by the person's village)."""
    require_role(actor, RECORD_DEMOCRATIC_REVIEW)
    today = timezone.localdate()
    if village is None or not scope_queryset(actor, Region.objects.filter(pk=village.pk)).exists():
        raise _field_error("village", _("Not found, or outside your area."))
    if held_on is None or held_on > today:
        raise _field_error("held_on", _("The meeting's date cannot be in the future."))
    if attendance is None or attendance < 1:
        raise _field_error("attendance", _("Enter how many people attended."))
    if not (minutes or "").strip():
        raise _field_error("minutes", _("Summarise the minutes of the meeting."))
    if not results:
        raise _field_error("results", _("Give the result for at least one applicant."))
    if minutes_file:
        content_type = scan_type(minutes_file)
        if content_type is None or minutes_file.size > MAX_SCAN_BYTES:
            raise _field_error(
                "minutes_file", _("Attach a PDF, JPEG or PNG scan of at most 10 MB.")
            )
        # Stored under a random name with the extension of what the bytes are, not the client's.
        minutes_file.name = scan_name(content_type)
    for _passed, votes, _reason in results.values():
        if votes is not None and (votes < 0 or votes > attendance):
            raise _field_error(
                "results",
                _("Votes for cannot exceed the people attending (%(n)s).") % {"n": attendance},
            )
    with transaction.atomic():
        outside = Application.objects.filter(pk__in=list(results)).exclude(
            region_code__startswith=village.code
        )
        if outside.exists():
            raise _field_error("results", _("Only the village's own applicants are reviewed here."))
        if Application.objects.filter(pk__in=list(results), applied_on__gt=held_on).exists():
            raise _field_error("held_on", _("The meeting cannot be before the application."))
        review = DemocraticReview.objects.create(
            village=village,
            region_code=village.code,
            held_on=held_on,
            place=(place or "").strip(),
            attendance=attendance,
            minutes=minutes.strip(),
            minutes_file=minutes_file or "",
            created_by=actor,
        )
        audit_created(actor=actor, instance=review)
        evidence = _("Democratic review of %(date)s, %(n)s attending") % {
            "date": held_on,
            "n": attendance,
        }
        passed = {pk: {"votes_for": v} for pk, (ok, v, _r) in results.items() if ok}
        failed = {pk: (v, r) for pk, (ok, v, r) in results.items() if not ok}
        if passed:
            application_transition(
                actor=actor,
                applications=list(passed),
                to=S.REVIEWED,
                evidence=evidence,
                data={"democratic_review": review.pk},
                per_application=passed,
                via_service=True,
            )
        for pk, (votes, reason) in failed.items():
            application_transition(
                actor=actor,
                applications=[pk],
                to=S.REJECTED,
                comment=reason,
                evidence=evidence,
                data={"democratic_review": review.pk, "votes_for": votes},
                via_service=True,
            )
    return review


# --- step 4: the re-review with the departments (复审, 联审) and publicity (公示) -----------------


def opinion_record(*, actor, applications: list[int], opinion: str, comment: str = "") -> int:
    """A department reviewer's opinion on applications awaiting the re-review (seed 003 §5); a
    second opinion of the same department replaces the first, on record. Returns how many."""
    require_role(actor, GIVE_OPINIONS)
    if opinion not in Opinion.values:
        raise _field_error("opinion", _("Choose agree or disagree."))
    if opinion == Opinion.DISAGREE and not (comment or "").strip():
        raise _field_error("comment", _("Say why the department disagrees."))
    department = actor.department
    if department not in Department.values:
        raise DomainError(_("Only a department's reviewer gives its opinion."))
    now = timezone.now()
    with transaction.atomic():
        apps = list(
            scope_queryset(actor, Application.objects.select_for_update())
            .filter(pk__in=applications)
            .order_by("pk")
        )
        if len(apps) != len(set(applications)):
            raise DomainError(_("Not found, or outside your area."))
        waiting = [a for a in apps if a.state != S.REVIEWED]
        if waiting:
            raise DomainError(
                _("%(n)s of the applications are not awaiting the re-review.") % {"n": len(waiting)}
            )
        existing = {
            o.application_id: o
            for o in DepartmentOpinion.objects.filter(application__in=apps, department=department)
        }
        new, changed, changes = [], [], []
        for app in apps:
            row = existing.get(app.pk)
            if row is None:
                row = DepartmentOpinion(
                    application=app,
                    department=department,
                    opinion=opinion,
                    comment=(comment or "").strip(),
                    reviewer=actor,
                    at=now,
                )
                new.append(row)
            else:
                changes.append(
                    Change(
                        AuditAction.UPDATE,
                        row,
                        {"opinion": [row.opinion, opinion], "comment": [row.comment, comment]},
                        region_code=app.region_code,
                    )
                )
                row.opinion, row.comment, row.reviewer, row.at = opinion, comment or "", actor, now
                changed.append(row)
        DepartmentOpinion.objects.bulk_create(new)
        DepartmentOpinion.objects.bulk_update(changed, ["opinion", "comment", "reviewer", "at"])
        changes += [
            Change(
                AuditAction.CREATE,
                row,
                {"department": [None, department], "opinion": [None, opinion]},
                region_code=row.application.region_code,
                object_repr=str(row),
            )
            for row in new
        ]
        label = Department(department).label
        StepRecord.objects.bulk_create(
            _record(
                app,
                actor,
                RecordKind.OPINION,
                comment=(comment or "").strip(),
                evidence=str(label),
                data={"department": department, "opinion": opinion},
            )
            for app in apps
        )
        audit_record_many(actor=actor, changes=changes)
    return len(apps)


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


# --- step 7: pre-job training (岗前培训) -----------------------------------------------------------


def training_session_record(
    *,
    actor,
    held_on: dt.date,
    topic: str,
    place: str,
    hours,
    present: list[int],
    absent: list[int] | None = None,
    trainer: str = "",
    township: Region | None = None,
) -> TrainingSession:
    """A training session and its attendance; those present with a signed agreement are
    trained (step 7), those absent stay where they are and are listed on the sign-in sheet."""
    require_role(actor, TOWNSHIP_STEPS)
    township = actor.region if township is None else township
    today = timezone.localdate()
    if held_on is None or held_on > today:
        raise _field_error("held_on", _("The session's date cannot be in the future."))
    if not (topic or "").strip():
        raise _field_error("topic", _("Give the training's topic."))
    if not (place or "").strip():
        raise _field_error("place", _("Say where the training was held."))
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, TypeError):
        raise _field_error("hours", _("Enter the hours as a number.")) from None
    if not (Decimal("0.5") <= hours <= Decimal("200")):
        raise _field_error("hours", _("Enter between 0.5 and 200 hours."))
    absent = [pk for pk in absent or [] if pk not in set(present)]
    if not present and not absent:
        raise _field_error("present", _("Mark who attended."))
    with transaction.atomic():
        session = TrainingSession.objects.create(
            township=township,
            region_code=township.code,
            held_on=held_on,
            topic=topic.strip(),
            place=place.strip(),
            hours=hours,
            trainer=(trainer or "").strip(),
            created_by=actor,
        )
        audit_created(actor=actor, instance=session)
        apps = list(scope_queryset(actor, Application.objects).filter(pk__in=[*present, *absent]))
        if len(apps) != len(set(present) | set(absent)):
            raise DomainError(_("Not found, or outside your area."))
        if any(a.signed_on and a.signed_on > held_on for a in apps if a.pk in set(present)):
            raise _field_error("held_on", _("Training comes after the agreement is signed."))
        TrainingAttendance.objects.bulk_create(
            TrainingAttendance(session=session, application=a, present=a.pk in set(present))
            for a in apps
        )
        if present:
            application_transition(
                actor=actor,
                applications=present,
                to=S.TRAINED,
                evidence=_("Training of %(date)s: %(topic)s, %(hours)s hours")
                % {"date": held_on, "topic": session.topic, "hours": hours},
                data={"training_session": session.pk},
                via_service=True,
            )
    return session
