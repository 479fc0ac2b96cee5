"""A relative declaration's statuses and the one way between them (docs/policy.md §2, "Relatives
of officials and cadres"; seed 003 §9).

Declared before applying; after the village's review and publicity the township approves or
refuses it, and the county HR bureau files what the township approved. A declaration entered by
mistake is withdrawn while nobody has decided on it. The person page's withdrawal and the
onboarding workflow's decisions both move a declaration through ``declaration_transition``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongyi.audit import audit_updated, snapshot
from gongyi.errors import DomainError
from people.enums import DeclarationStatus
from people.models import RelativeDeclaration

D = DeclarationStatus

#: Each status a declaration may move to, and the statuses it may move there from.
TRANSITIONS: dict[str, frozenset[str]] = {
    D.TOWNSHIP_APPROVED: frozenset({D.DECLARED}),
    D.REFUSED: frozenset({D.DECLARED}),
    D.FILED: frozenset({D.TOWNSHIP_APPROVED}),
    # Kept on the file, marked: a false declaration leads to dismissal and recovery later
    # (seed 003 §9), so what was declared must stay traceable.
    D.WITHDRAWN: frozenset({D.DECLARED}),
}


def declaration_moves(status: str) -> frozenset[str]:
    """The statuses a declaration in ``status`` may move to."""
    return frozenset(to for to, sources in TRANSITIONS.items() if status in sources)


def declaration_check(declaration: RelativeDeclaration, to: str) -> None:
    """Refuse the move to ``to`` unless ``TRANSITIONS`` allows it from the current status."""
    if declaration.status in TRANSITIONS[to]:
        return
    if to == D.WITHDRAWN:
        raise DomainError(_("A declaration that has been decided on stays on the file."))
    raise DomainError(
        _("The declaration is “%(status)s”; this step is not open to it.")
        % {"status": declaration.get_status_display()}
    )


def declaration_transition(
    *, actor, declaration: RelativeDeclaration, to: str, note: str = ""
) -> RelativeDeclaration:
    """Move ``declaration`` to ``to``: its status, and its note when one is given, saved, with
    one history entry. The caller has locked the row in its transaction and checked who acts."""
    declaration_check(declaration, to)
    before = snapshot(declaration)
    declaration.status = to
    if note:
        declaration.note = note.strip()[:200]
    declaration.save(update_fields=["status", "note"])
    audit_updated(actor=actor, instance=declaration, before=before)
    return declaration
