"""What each move of the table checks before it is made (the guards: a message if it cannot be)
and what it records on the application besides its state (the fields it changed)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import Change, snapshot
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.policy import policy_value
from people.eligibility import add_months
from people.enums import DeclarationStatus
from people.models import Person, Placement
from people.onboarding.enums import AgreementKind, Opinion
from people.onboarding.models import Application
from people.onboarding.workflow.context import Context
from people.policy import SUBSIDY_MONTHS_PER_PLACEMENT as SUBSIDY_MONTHS
from posts.enums import AreaKind, PostStatus
from posts.services import post_occupancy_change

# --- guards ---------------------------------------------------------------------------------------


def _democratic_review_given(ctx: Context, app: Application) -> str | None:
    if not ctx.value(app, "democratic_review"):
        return _("Record the village's democratic review meeting first.")
    return None


def _opinions_in(ctx: Context, app: Application) -> str | None:
    got = ctx.opinions.get(app.pk, Counter())
    if sum(got.values()) < ctx.required_opinions:
        return _("%(got)s of the %(need)s department opinions are in.") % {
            "got": sum(got.values()),
            "need": ctx.required_opinions,
        }
    if got[Opinion.DISAGREE] and not ctx.comment.strip():
        return _("A department disagrees: say why the re-review passes nonetheless.")
    return None


def _publicity_given(ctx: Context, app: Application) -> str | None:
    if not ctx.value(app, "publicity"):
        return _("Publicity starts from the round's page, where the ranking decides who is listed.")
    return None


def _approvable(ctx: Context, app: Application) -> str | None:
    """County approval (县级审批, step 5): after the publicity period, with no open objection, a
    relative declaration filed, by someone other than the user who entered the application, and
    within the post's places (docs/policy.md §2, §6; seed 003 §6, §9)."""
    if app.created_by_id == ctx.actor.pk:
        return _("You entered this application; another county user must approve it.")
    if app.publicity is None or app.publicity.ends_on >= ctx.today:
        ends = app.publicity.ends_on if app.publicity else None
        return _(
            "The publicity period ends on %(date)s; approval is possible from the next day."
        ) % {"date": ends}
    if app.pk in ctx.open_objections:
        return _("An objection is under investigation; the township must record its finding.")
    statuses = ctx.declarations.get(app.person_id, [])
    if DeclarationStatus.REFUSED in statuses:
        return _("The township refused the relative declaration.")
    if DeclarationStatus.DECLARED in statuses:
        return _("A relative declaration awaits the township's decision and the county's filing.")
    if DeclarationStatus.TOWNSHIP_APPROVED in statuses:
        return _("A relative declaration awaits the county's filing.")
    if app.pk in ctx.ineligible:
        return _("No longer eligible: %(reasons)s") % {"reasons": ctx.ineligible[app.pk]}
    post = ctx.posts[app.post_id]
    if post.status not in (PostStatus.OPEN, PostStatus.FILLED, PostStatus.VACANT):
        return _("%(post)s is %(status)s.") % {
            "post": post.title,
            "status": post.get_status_display(),
        }
    if ctx.free_places.get(app.post_id, 0) < 1:
        return _("%(post)s has no place left for another approval.") % {"post": app.post.title}
    ctx.free_places[app.post_id] -= 1
    return None


def _agreement_checks(ctx: Context, app: Application) -> str | None:
    """The agreement's term (step 6): it starts on or after the signing day, lasts at most the
    subsidy period (``people.subsidy_months_per_placement``, 36 months by default: seed 001
    §二(四), seed 004) and, for urban posts, ends by the statutory retirement date
    (docs/policy.md §2)."""
    signed_on = ctx.value(app, "signed_on")
    start, end = ctx.value(app, "term_start"), ctx.value(app, "term_end")
    if not (signed_on and start and end):
        return _("Enter the signing date and the term's first and last day.")
    if signed_on > ctx.today:
        return _("The signing date cannot be in the future.")
    approved_on = timezone.localtime(app.state_changed_at).date()
    if signed_on < approved_on:
        # The seeds' order: the agreement follows the county's approval (docs/policy.md §6).
        return _("The agreement is signed after the county's approval of %(date)s.") % {
            "date": approved_on
        }
    if start < signed_on:
        return _("The term cannot start before the agreement is signed.")
    if end < start:
        return _("The term cannot end before it starts.")
    months = policy_value(app.region_code, SUBSIDY_MONTHS, start)
    last = add_months(start, months) - dt.timedelta(days=1)
    if end > last:
        return _("A term lasts at most %(months)s months: until %(date)s.") % {
            "months": months,
            "date": last,
        }
    if app.post.area_kind == AreaKind.URBAN and end > app.person.retirement_date:
        return _("An urban post ends by the statutory retirement date, %(date)s.") % {
            "date": app.person.retirement_date
        }
    return None


def _training_given(ctx: Context, app: Application) -> str | None:
    if not ctx.value(app, "training_session"):
        return _("Record the training session and who attended it.")
    return None


def _startable(ctx: Context, app: Application) -> str | None:
    start = ctx.value(app, "start_date") or ctx.today
    if app.term_start and start < app.term_start:
        return _("The agreement's term starts on %(date)s.") % {"date": app.term_start}
    if start > ctx.today:
        return _("The start date cannot be in the future.")
    return None


def _reason_given(ctx: Context, app: Application) -> str | None:
    if not ctx.comment.strip():
        return _("Give the reason; the applicant is told it.")
    return None


# --- what each move records -----------------------------------------------------------------------


def _apply_reject(ctx: Context, app: Application) -> list[str]:
    app.rejected_reason = ctx.comment.strip()
    app.rejected_state = app.state
    return ["rejected_reason", "rejected_state"]


def _apply_democratic_review(ctx: Context, app: Application) -> list[str]:
    app.democratic_review_id = ctx.value(app, "democratic_review")
    app.votes_for = ctx.value(app, "votes_for")
    return ["democratic_review", "votes_for"]


def _apply_publicity(ctx: Context, app: Application) -> list[str]:
    app.publicity_id = ctx.value(app, "publicity")
    app.rank = ctx.value(app, "rank")
    return ["publicity", "rank"]


def _apply_waitlist(ctx: Context, app: Application) -> list[str]:
    app.rank = ctx.value(app, "rank")
    return ["rank"]


def _apply_agreement(ctx: Context, app: Application) -> list[str]:
    app.agreement_kind = (
        AgreementKind.SERVICE_AGREEMENT
        if app.post.area_kind == AreaKind.RURAL
        else AgreementKind.LABOUR_CONTRACT
    )
    app.signed_on = ctx.value(app, "signed_on")
    # The township's own number if it has one, else year-township-application: unique and stable.
    app.agreement_number = (ctx.value(app, "agreement_number") or "").strip()[:40] or (
        f"{app.signed_on.year}-{app.post.region_code[:9]}-{app.pk}"
    )
    app.term_start = ctx.value(app, "term_start")
    app.term_end = ctx.value(app, "term_end")
    return ["agreement_kind", "agreement_number", "signed_on", "term_start", "term_end"]


def _apply_start(ctx: Context, app: Application) -> list[str]:
    """Step 8 (安排上岗): the placement, with the subsidy standard as it stands today; the post's
    count, status and the plan's progress follow (``post_occupancy_change``); the person's
    lifetime count of placements goes up (docs/policy.md §2: at most 2)."""
    start = ctx.value(app, "start_date") or ctx.today
    post = app.post
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                person_id=app.person_id,
                post_id=post.pk,
                region_code=post.region_code,
                start_date=start,
                monthly_subsidy=post.monthly_subsidy,
                hourly_rate=post.hourly_rate,
                hours_per_week=post.hours_per_week,
                subsidy_start=app.term_start,
                subsidy_end=app.term_end,
            )
    except IntegrityError:
        raise DomainError(_("%(name)s is already on a post.") % {"name": app.person.name}) from None
    post_occupancy_change(actor=ctx.actor, post_id=post.pk, delta=1, on=start)
    used = app.person.placements_used
    Person.objects.filter(pk=app.person_id).update(placements_used=F("placements_used") + 1)
    app.person.placements_used = used + 1
    app.placement = placement
    ctx.extra_changes += [
        Change(
            AuditAction.CREATE,
            placement,
            {k: [None, v] for k, v in snapshot(placement).items()},
            note=str(app),
        ),
        Change(AuditAction.UPDATE, app.person, {"placements_used": [used, used + 1]}),
    ]
    return ["placement"]
