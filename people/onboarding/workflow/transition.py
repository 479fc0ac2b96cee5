"""The table of allowed moves and the one function that makes them (docs/policy.md §6)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyi.audit import Change, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.scoping import scope_queryset
from people.onboarding.enums import CLOSED_STATES, ApplicationState, RecordKind
from people.onboarding.models import Application, StepRecord
from people.onboarding.roles import (
    INITIAL_REVIEW,
    NOT_APPROVE,
    PUBLICISE,
    RECORD_DEMOCRATIC_REVIEW,
    REREVIEW_AND_APPROVE,
    TOWNSHIP_STEPS,
    WITHDRAW,
)
from people.onboarding.workflow.context import Context, _load
from people.onboarding.workflow.save import _save
from people.onboarding.workflow.steps import (
    _agreement_checks,
    _apply_agreement,
    _apply_democratic_review,
    _apply_publicity,
    _apply_reject,
    _apply_start,
    _apply_waitlist,
    _approvable,
    _democratic_review_given,
    _opinions_in,
    _publicity_given,
    _reason_given,
    _startable,
    _training_given,
)

S = ApplicationState

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
