"""The finding's lifecycle (docs/policy.md §8, "The match" and "Findings"): one transition
function, ``finding_transition``, by ``FINDING_TRANSITIONS``; its bulk form for the queue; and
the hold of the payout while a finding is open (``findings_hold``).

new → under investigation (the township looks into it) → confirmed (the exit is recorded,
effective the day before the fact began, and the debt follows) or dismissed (with a reason).
A new finding may be dismissed at once. Confirmed and dismissed are final for the township; the
match makes a dismissed finding new again only when its row in the newest data has changed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from audits.datasets.enums import OPEN_FINDING_STATES, FindingState
from audits.datasets.policy import HOLD_ON_FINDING
from audits.datasets.roles import DECIDE_FINDINGS
from audits.exits.enums import ExitKind
from audits.exits.services import exit_record
from audits.models import Finding
from gongyi.audit import Change, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.policy import policy_values
from gongyi.roles import has_role
from gongyi.scoping import scope_queryset
from subsidies.payout.enums import LineStatus
from subsidies.payout.models import PayoutLine
from subsidies.payout.services import payout_lines_stop
from subsidies.payout.services.lines import NOT_ISSUED

F = FindingState

#: The township's moves of a finding → the roles that make them (the match's own moves, to
#: *no longer in the data* and back, are in ``audits.datasets.match``).
FINDING_TRANSITIONS: dict[tuple[str, str], frozenset] = {
    (F.NEW, F.INVESTIGATING): DECIDE_FINDINGS,
    (F.NEW, F.DISMISSED): DECIDE_FINDINGS,
    (F.INVESTIGATING, F.CONFIRMED): DECIDE_FINDINGS,
    (F.INVESTIGATING, F.DISMISSED): DECIDE_FINDINGS,
}

#: The moves in words, for the messages.
TO_WORDS = {
    F.INVESTIGATING: pgettext_lazy("finding move", "put under investigation"),
    F.CONFIRMED: pgettext_lazy("finding move", "confirmed"),
    F.DISMISSED: pgettext_lazy("finding move", "dismissed"),
}

FIELDS = ["state", "state_changed_at", "decided_by", "note", "exit", "checked_at"]


def proposed_exit_date(finding: Finding) -> dt.date:
    """The last day on the post a confirmation proposes (docs/policy.md §8): the day before the
    fact began — the subsidy is due while the fact did not hold — and never before the placement
    began (a fact older than the placement: the person was never eligible; the township may
    rather record a false declaration, which recovers everything)."""
    return max(finding.fact_from - dt.timedelta(days=1), finding.placement.start_date)


def _locked(actor, finding_id: int) -> Finding:
    # Locked: two clerks deciding one finding at once decide it once; the second finds it moved.
    finding = (
        scope_queryset(actor, Finding.objects.select_for_update())
        .select_related("placement")
        .filter(pk=finding_id)
        .first()
    )
    if finding is None:
        raise DomainError(_("Not found, or outside your area."))
    return finding


def finding_transition(
    *,
    actor,
    finding_id: int,
    to: str,
    note: str = "",
    effective_date: dt.date | None = None,
    decided_by: str = "",
    decided_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Finding:
    """Move a finding to ``to`` by ``FINDING_TRANSITIONS`` (docs/policy.md §8). A dismissal needs
    its reason (``note``). A confirmation needs the evidence (``note``), who decided and when, and
    the effective date (the last day on the post; by default the day before the fact began): it
    records the exit, kind *dismissal on a confirmed finding*, through ``exit_record`` — which
    ends the placement, holds the payout not yet with the bank and opens the debt of what was
    paid after it — and links it to the finding. A date before the placement began is refused.
    The finding's row is locked; every move is on the audit trail. Nothing is released when a
    finding is dismissed: the township releases the held lines on the payout's pages."""
    note = (note or "").strip()
    with transaction.atomic():
        finding = _locked(actor, finding_id)
        roles = FINDING_TRANSITIONS.get((finding.state, to))
        if roles is None:
            raise DomainError(
                _("This finding is %(state)s: it cannot be %(to)s.")
                % {"state": finding.get_state_display(), "to": TO_WORDS.get(to, to)}
            )
        if not has_role(actor, roles):
            raise DomainError(
                _("Your role cannot make this finding %(to)s.") % {"to": TO_WORDS[to]}
            )
        before = finding.state
        if to == F.DISMISSED and not note:
            raise DomainError(_("Say why the finding is dismissed."))
        if to == F.CONFIRMED:
            if not note:
                raise DomainError(_("Say what the investigation found (the evidence)."))
            effective_date = effective_date or proposed_exit_date(finding)
            if effective_date < finding.placement.start_date:
                raise DomainError(
                    _("The placement began on %(date)s: the exit cannot take effect before it.")
                    % {"date": finding.placement.start_date}
                )
            finding.exit = exit_record(
                actor=actor,
                placement_id=finding.placement_id,
                kind=ExitKind.FINDING,
                effective_date=effective_date,
                reason=_("%(kind)s since %(date)s: %(note)s")
                % {"kind": finding.get_kind_display(), "date": finding.fact_from, "note": note},
                decided_by=decided_by,
                decided_on=decided_on,
                today=today,
            )
        finding.state = to
        finding.state_changed_at = timezone.now()
        finding.decided_by = actor
        if note:
            finding.note = note
        finding.save(update_fields=FIELDS)
        changes = {"state": [before, to]}
        if finding.exit_id:
            changes["exit"] = [None, finding.exit_id]
        audit_record_many(
            actor=actor,
            changes=[Change(AuditAction.TRANSITION, finding, changes, note=note)],
        )
    return finding


def findings_transition(*, actor, finding_ids: list[int], to: str, note: str = "") -> int:
    """The queue's bulk decision: several findings under investigation, or dismissed with one
    reason, all or none (a finding that cannot move refuses the whole). Confirmations are one by
    one (each has its own date and evidence)."""
    if to == F.CONFIRMED:
        raise DomainError(_("Confirm findings one by one, each with its date and evidence."))
    ids = sorted(set(finding_ids))
    if not ids:
        raise DomainError(_("Choose at least one finding."))
    with transaction.atomic():
        for finding_id in ids:  # in id order: two bulk decisions at once lock alike
            finding_transition(actor=actor, finding_id=finding_id, to=to, note=note)
    return len(ids)


def findings_hold(*, actor=None, county: str) -> int:
    """Hold the payout of the people with an open finding in ``county`` where its setting
    ``audits.hold_on_finding`` is 1 (docs/policy.md §8): every line to be paid of the finding's
    placement, for the month the fact began and later, in a batch not yet with the bank, by the
    payout's own ``payout_lines_stop``. One query finds the placements with such lines; called
    by the match in its transaction. Returns the lines held."""
    if not policy_values(county, [HOLD_ON_FINDING])[HOLD_ON_FINDING]:
        return 0
    open_findings = Finding.objects.filter(
        region_code__startswith=county, state__in=OPEN_FINDING_STATES
    )
    lines = PayoutLine.objects.filter(
        placement_id__in=open_findings.values("placement_id"),
        status=LineStatus.PENDING,
        batch__state__in=NOT_ISSUED,
    ).values_list("placement_id", flat=True)
    placements = set(lines)
    if not placements:
        return 0
    first: dict[int, Finding] = {}
    for finding in open_findings.filter(placement_id__in=placements).order_by("fact_from"):
        first.setdefault(finding.placement_id, finding)
    held = 0
    for placement_id, finding in sorted(first.items()):
        held += len(
            payout_lines_stop(
                actor=actor,
                placement_id=placement_id,
                from_month=finding.fact_from.replace(day=1),
                reason=_(
                    "A cross-check finding is open (%(kind)s since %(date)s): held until "
                    "the township decides it."
                )
                % {"kind": finding.get_kind_display(), "date": finding.fact_from},
            )
        )
    return held


def findings_hold_generated(*, actor, batch) -> int:
    """The payout's generation hook (``add_generation_hook``): a batch's new lines of people with
    an open finding are held at once, not at the next match."""
    return findings_hold(actor=actor, county=batch.region_code[:6])
