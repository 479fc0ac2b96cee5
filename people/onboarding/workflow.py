"""The one transition function of the onboarding workflow and its table (docs/policy.md §6).

``TRANSITIONS`` lists every allowed move ``(from state, to state)`` with the roles that may make
it, the check it needs and what it records. ``application_transition`` is the only code that
changes ``Application.state``: it locks the applications (and, for approval, their posts), checks
every one, and then either moves all of them, each with a ``StepRecord`` and an audit entry, or
none, with one message per application that cannot move. Pages, the API, bulk actions and the
step services (democratic review, publicity, training, start) all come through here.

The order is the seeds' (seed 001 §二(三), seed 003 §6): 发布公告 → 报名申请 (初审) → 民主评议 →
审核公示 (复审, 公示) → 县级审批 → 协议签订 → 岗前培训 → 安排上岗. There is no move backwards
and none that skips a step: a move that is not in the table is refused, with the next step said.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyi.audit import Change, audit_record_many, snapshot
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.policy import policy_value
from gongyi.scoping import scope_queryset, user_region_code
from people.eligibility import add_months, eligibility
from people.enums import DeclarationStatus, Outcome
from people.models import Person, Placement, RelativeDeclaration
from people.onboarding.enums import (
    CLOSED_STATES,
    AgreementKind,
    ApplicationState,
    ObjectionStatus,
    Opinion,
    RecordKind,
)
from people.onboarding.models import Application, DepartmentOpinion, Objection, StepRecord
from people.onboarding.policy import REQUIRED_OPINIONS
from people.onboarding.roles import (
    INITIAL_REVIEW,
    NOT_APPROVE,
    PUBLICISE,
    RECORD_DEMOCRATIC_REVIEW,
    REREVIEW_AND_APPROVE,
    TOWNSHIP_STEPS,
    WITHDRAW,
)
from people.policy import SUBSIDY_MONTHS_PER_PLACEMENT as SUBSIDY_MONTHS
from people.selectors import eligibility_settings, person_facts
from posts.enums import AreaKind, PostStatus
from posts.models import Post
from posts.selectors import free_places
from posts.services import post_occupancy_change

S = ApplicationState


@dataclass
class Context:
    """What one call knows: who acts, when, with what evidence, and what was loaded for all the
    applications at once (so that checking 5,000 takes a handful of queries, not 5,000)."""

    actor: Any
    today: dt.date
    to: str
    comment: str
    evidence: str
    data: dict[str, Any]
    per_application: dict[int, dict[str, Any]]
    opinions: dict[int, Counter] = field(default_factory=dict)
    open_objections: set[int] = field(default_factory=set)
    declarations: dict[int, list[str]] = field(default_factory=dict)
    #: post id → places still free for approval (headcount − on post − approved and not started)
    free_places: dict[int, int] = field(default_factory=dict)
    required_opinions: int = 0
    posts: dict[int, Post] = field(default_factory=dict)
    ineligible: dict[int, str] = field(default_factory=dict)
    #: audit entries a move adds besides its own (the placement, the person's count)
    extra_changes: list[Change] = field(default_factory=list)

    def value(self, application: Application, key: str, default: Any = None) -> Any:
        own = self.per_application.get(application.pk, {})
        return own[key] if key in own else self.data.get(key, default)


Guard = Callable[[Context, Application], "str | None"]
Apply = Callable[[Context, Application], list[str]]  # returns the fields it changed


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset
    label: Any  # lazy text for the button and the record
    guard: Guard | None = None
    apply: Apply | None = None
    needs_comment: bool = False
    #: Only through a step service that supplies its data (a meeting, a publicity list, a
    #: training session); the generic button and the API say where to go instead.
    via: Any = None
    loads: tuple[str, ...] = ()


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


def _t(source, target, roles, label, **kw) -> tuple[tuple[str, str], Transition]:
    return (source, target), Transition(source, target, roles, label, **kw)


_REJECT = {"guard": _reason_given, "apply": _apply_reject, "needs_comment": True}

TRANSITIONS: dict[tuple[str, str], Transition] = dict(
    [
        # Step 2: the township's initial review of the materials and the data (初审, seed 003 §5).
        _t(S.APPLIED, S.INITIAL_PASSED, INITIAL_REVIEW, gettext_lazy("Pass the initial review")),
        _t(
            S.APPLIED,
            S.REJECTED,
            INITIAL_REVIEW,
            gettext_lazy("Fail the initial review"),
            **_REJECT,
        ),
        # Step 3: the applicant's village holds the democratic review (seed 003 §6).
        _t(
            S.INITIAL_PASSED,
            S.REVIEWED,
            RECORD_DEMOCRATIC_REVIEW,
            gettext_lazy("Democratic review passed"),
            guard=_democratic_review_given,
            apply=_apply_democratic_review,
            via="democratic-review",
        ),
        _t(
            S.INITIAL_PASSED,
            S.REJECTED,
            RECORD_DEMOCRATIC_REVIEW,
            gettext_lazy("Democratic review not passed"),
            guard=lambda ctx, app: _democratic_review_given(ctx, app) or _reason_given(ctx, app),
            apply=lambda ctx, app: _apply_reject(ctx, app) + _apply_democratic_review(ctx, app),
            needs_comment=True,
            via="democratic-review",
        ),
        # Step 4: the county's re-review with the departments (复审, 联审), then publicity.
        _t(
            S.REVIEWED,
            S.REREVIEW_PASSED,
            REREVIEW_AND_APPROVE,
            gettext_lazy("Pass the re-review"),
            guard=_opinions_in,
            loads=("opinions",),
        ),
        _t(
            S.REVIEWED,
            S.REJECTED,
            REREVIEW_AND_APPROVE,
            gettext_lazy("Fail the re-review"),
            **_REJECT,
        ),
        _t(
            S.REREVIEW_PASSED,
            S.PUBLICITY,
            PUBLICISE,
            gettext_lazy("Publicise"),
            guard=_publicity_given,
            apply=_apply_publicity,
            via="publicity",
        ),
        _t(
            S.REREVIEW_PASSED,
            S.WAITLISTED,
            PUBLICISE,
            gettext_lazy("Wait for a place"),
            apply=_apply_waitlist,
            via="publicity",
        ),
        _t(
            S.WAITLISTED,
            S.PUBLICITY,
            PUBLICISE,
            gettext_lazy("Publicise"),
            guard=_publicity_given,
            apply=_apply_publicity,
            via="publicity",
        ),
        _t(
            S.WAITLISTED,
            S.WAITLISTED,
            PUBLICISE,
            gettext_lazy("Wait for a place"),
            apply=_apply_waitlist,
            via="publicity",
        ),
        # An objection the township upholds, or the county refusing at approval.
        _t(S.PUBLICITY, S.REJECTED, NOT_APPROVE, gettext_lazy("Not approved"), **_REJECT),
        # Step 5: county approval, one or many at once.
        _t(
            S.PUBLICITY,
            S.APPROVED,
            REREVIEW_AND_APPROVE,
            gettext_lazy("Approve"),
            guard=_approvable,
            loads=("objections", "declarations", "places", "eligibility"),
        ),
        # Steps 6–8.
        _t(
            S.APPROVED,
            S.AGREED,
            TOWNSHIP_STEPS,
            gettext_lazy("Record the signed agreement"),
            guard=_agreement_checks,
            apply=_apply_agreement,
        ),
        _t(
            S.AGREED,
            S.TRAINED,
            TOWNSHIP_STEPS,
            gettext_lazy("Record the training"),
            guard=_training_given,
            via="training",
        ),
        _t(
            S.TRAINED,
            S.STARTED,
            TOWNSHIP_STEPS,
            gettext_lazy("Start on the post"),
            guard=_startable,
            apply=_apply_start,
        ),
    ]
    + [
        _t(state, S.WITHDRAWN, WITHDRAW, gettext_lazy("Withdraw"), **_REJECT)
        for state in S
        if state not in CLOSED_STATES
    ]
)

#: The next state on the way to a post, for "what comes next" messages.
FORWARD = {
    S.APPLIED: S.INITIAL_PASSED,
    S.INITIAL_PASSED: S.REVIEWED,
    S.REVIEWED: S.REREVIEW_PASSED,
    S.REREVIEW_PASSED: S.PUBLICITY,
    S.WAITLISTED: S.PUBLICITY,
    S.PUBLICITY: S.APPROVED,
    S.APPROVED: S.AGREED,
    S.AGREED: S.TRAINED,
    S.TRAINED: S.STARTED,
}


def allowed_transitions(application: Application, user) -> list[Transition]:
    """The moves ``user``'s role may make from the application's state (for the buttons)."""
    return [
        t
        for (source, _target), t in TRANSITIONS.items()
        if source == application.state and user.role in t.roles
    ]


def refusal(state: str, to: str) -> str:
    """Why ``state`` → ``to`` is not a move, and which step comes next."""
    nxt = FORWARD.get(state)
    message = _("An application cannot go from “%(from)s” to “%(to)s”.") % {
        "from": S(state).label,
        "to": S(to).label,
    }
    if nxt is not None:
        message += " " + _("Its next step is “%(next)s”.") % {"next": S(nxt).label}
    return message


class TransitionRefused(DomainError):
    """Some applications cannot move: ``refused`` maps each id to its reason; none moved."""

    def __init__(self, refused: dict[int, str], names: dict[int, str]):
        self.refused = refused
        lines = [f"{names.get(pk, pk)}：{reason}" for pk, reason in refused.items()]
        if len(refused) == 1:
            message = next(iter(refused.values()))
        else:
            message = _("%(n)s applications cannot take this step; nothing was changed.") % {
                "n": len(refused)
            }
        super().__init__(message)
        self.lines = lines


def _load(ctx: Context, transitions: set[Transition], apps: list[Application]) -> None:
    loads = {name for t in transitions for name in t.loads}
    ids = [a.pk for a in apps]
    if "opinions" in loads:
        ctx.required_opinions = policy_value(
            user_region_code(ctx.actor), REQUIRED_OPINIONS, ctx.today
        )
        for app_id, opinion, n in (
            DepartmentOpinion.objects.filter(application_id__in=ids)
            .values_list("application_id", "opinion")
            .annotate(n=Count("pk"))
        ):
            ctx.opinions.setdefault(app_id, Counter())[opinion] = n
    if "objections" in loads:
        ctx.open_objections = set(
            Objection.objects.filter(
                application_id__in=ids, status=ObjectionStatus.OPEN
            ).values_list("application_id", flat=True)
        )
    if "declarations" in loads:
        people = {a.person_id for a in apps}
        for person_id, status in RelativeDeclaration.objects.filter(
            person_id__in=people
        ).values_list("person_id", "status"):
            ctx.declarations.setdefault(person_id, []).append(status)
    if "places" in loads:
        # Two approvals of the same post at the same moment queue up on the post's row lock,
        # so the places counted here are the places left after the other one committed.
        post_ids = sorted({a.post_id for a in apps})
        posts = list(Post.objects.select_for_update().filter(pk__in=post_ids).order_by("pk"))
        ctx.posts = {p.pk: p for p in posts}
        ctx.free_places = free_places(posts)
    if "eligibility" in loads:
        # Checked again at approval (前置比对, seed 003 §7): a person may have started on
        # another post, or passed the age limit, since applying.
        settings = eligibility_settings(user_region_code(ctx.actor), ctx.today)
        facts = person_facts(Person.objects.filter(pk__in={a.person_id for a in apps}), ctx.today)
        for app in apps:
            verdict = eligibility(facts[app.person_id], app.post.area_kind, ctx.today, settings)
            failed = [r.reason for r in verdict.rules if r.outcome == Outcome.FAIL]
            if failed:
                ctx.ineligible[app.pk] = "；".join(str(r) for r in failed)


def application_transition(
    *,
    actor,
    applications: Iterable[Application | int],
    to: str,
    comment: str = "",
    evidence: str = "",
    data: dict[str, Any] | None = None,
    per_application: dict[int, dict[str, Any]] | None = None,
    on: dt.date | None = None,
    record_kind: str = RecordKind.TRANSITION,
    via_service: bool = False,
) -> list[Application]:
    """Move every application to ``to``, all or none (docs/policy.md §6).

    Each must be in the actor's area and in a state from which ``TRANSITIONS`` allows ``to`` for
    the actor's role, and pass that move's check. Writes ``update_fields`` saves, one
    ``StepRecord`` and one audit entry per application, in one transaction. Raises
    ``TransitionRefused`` (a ``DomainError``) naming each application that cannot move.
    """
    if to not in S.values:
        raise DomainError(_("Unknown step."))
    ids = sorted({a.pk if isinstance(a, Application) else int(a) for a in applications})
    if not ids:
        raise DomainError(_("Choose at least one application."))
    ctx = Context(
        actor=actor,
        today=on or timezone.localdate(),
        to=to,
        comment=comment or "",
        evidence=(evidence or "").strip()[:300],
        data=data or {},
        per_application=per_application or {},
    )
    with transaction.atomic():
        # Locked in id order: two bulk approvals that overlap wait for each other instead of
        # deadlocking, and the second sees the states the first left.
        apps = list(
            scope_queryset(actor, Application.objects.select_for_update(of=("self",)))
            .filter(pk__in=ids)
            .select_related("post", "person", "publicity")
            .order_by("pk")
        )
        names = {a.pk: a.person.name for a in apps}
        refused: dict[int, str] = {}
        for pk in set(ids) - set(names):
            refused[pk] = _("Not found, or outside your area.")
        transitions = {}
        for app in apps:
            t = TRANSITIONS.get((app.state, to))
            if t is None:
                refused[app.pk] = refusal(app.state, to)
            elif actor.role not in t.roles:
                refused[app.pk] = _("Your role cannot take this step: “%(step)s”.") % {
                    "step": t.label
                }
            elif t.via and not via_service:
                refused[app.pk] = _VIA_MESSAGES[t.via]()
            else:
                transitions[app.pk] = t
        if refused:
            raise TransitionRefused(refused, names)
        _load(ctx, set(transitions.values()), apps)
        for app in apps:
            guard = transitions[app.pk].guard
            message = guard(ctx, app) if guard else None
            if message:
                refused[app.pk] = message
        if refused:
            raise TransitionRefused(refused, names)
        now = timezone.now()
        records, changes = [], []
        by_fields: dict[tuple[str, ...], list[Application]] = defaultdict(list)
        for app in apps:
            t = transitions[app.pk]
            source = app.state
            fields = t.apply(ctx, app) if t.apply else []
            app.state, app.state_changed_at = to, now
            by_fields[tuple(sorted(set(fields)))].append(app)
            records.append(
                StepRecord(
                    application=app,
                    region_code=app.region_code,
                    kind=record_kind,
                    from_state=source,
                    to_state=to,
                    actor=actor,
                    actor_role=actor.role,
                    at=now,
                    evidence=ctx.evidence,
                    comment=ctx.comment.strip(),
                    data=_plain_data(ctx, app),
                )
            )
            changes.append(
                Change(
                    AuditAction.TRANSITION,
                    app,
                    {"state": [source, to]},
                    note=ctx.comment.strip(),
                    object_repr=f"{app.person.name} → {app.post.title}",
                )
            )
        for fields, group in by_fields.items():
            _save(group, ["state", "state_changed_at", *fields])
        StepRecord.objects.bulk_create(records)
        audit_record_many(actor=actor, changes=changes + ctx.extra_changes)
    return apps


#: Up to this many different sets of values, one UPDATE per set; more, one UPDATE from a list.
FEW_VALUE_SETS = 10
#: Rows per UPDATE ... FROM (VALUES ...).
SAVE_CHUNK = 2000


def _save(apps: list[Application], names: list[str]) -> None:
    """Write the fields ``names`` of ``apps``, nothing else (as ``bulk_update``: no signals).

    Rows whose values are equal share one ``UPDATE ... WHERE id IN (...)``: a bulk approval of
    5,000 is one statement. Values that differ row by row (ranks, agreement numbers) go in one
    ``UPDATE ... FROM (VALUES ...)`` per chunk. ``bulk_update`` writes a CASE WHEN per row and
    field instead, which took 6 of the 7 seconds of approving 5,000 (Python building it, then
    PostgreSQL evaluating it for every row)."""
    fields = [Application._meta.get_field(name) for name in names]
    groups: dict[tuple, list[int]] = defaultdict(list)
    for app in apps:
        groups[tuple(getattr(app, f.attname) for f in fields)].append(app.pk)
    if len(groups) <= FEW_VALUE_SETS:
        for values, pks in groups.items():
            Application.objects.filter(pk__in=pks).update(
                **{f.attname: v for f, v in zip(fields, values, strict=True)}
            )
        return
    qn = connection.ops.quote_name
    pk = Application._meta.pk
    casts = [pk.rel_db_type(connection), *(f.db_type(connection) for f in fields)]
    row = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    columns = ", ".join(qn(c) for c in (pk.column, *(f.column for f in fields)))
    assignments = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields)
    for start in range(0, len(apps), SAVE_CHUNK):
        chunk = apps[start : start + SAVE_CHUNK]
        params: list[Any] = []
        for app in chunk:
            params.append(app.pk)
            params += [f.get_db_prep_save(getattr(app, f.attname), connection) for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {qn(Application._meta.db_table)} AS t SET {assignments} "
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v({columns}) "
                f"WHERE t.{qn(pk.column)} = v.{qn(pk.column)}",
                params,
            )


def _plain_data(ctx: Context, app: Application) -> dict[str, Any]:
    merged = {**ctx.data, **ctx.per_application.get(app.pk, {})}
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in merged.items()}


_VIA_MESSAGES = {
    "democratic-review": lambda: _(
        "The democratic review is recorded on the village's page, with the meeting's date, "
        "attendance and minutes."
    ),
    "publicity": lambda: _(
        "Publicity starts from the round's page, where the ranking decides who is listed."
    ),
    "training": lambda: _("Training is recorded as a session with its attendance."),
}


__all__ = [
    "TRANSITIONS",
    "Transition",
    "TransitionRefused",
    "allowed_transitions",
    "application_transition",
    "refusal",
]
