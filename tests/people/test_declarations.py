"""A relative declaration's moves (docs/policy.md §2): one table says which are open from each
status, the transition function refuses the rest, and each move is one history entry."""

import pytest
from django.utils.translation import gettext as _

from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from people import services
from people.declarations import TRANSITIONS, declaration_check
from people.enums import DeclarationStatus as D
from tests.factories import PersonFactory, RelativeDeclarationFactory

pytestmark = pytest.mark.django_db


def entries(declaration):
    return AuditEntry.objects.filter(
        object_type="people.relativedeclaration", object_pk=str(declaration.pk)
    )


def test_declarations_move_only_as_the_table_says(area):
    declaration = RelativeDeclarationFactory.build()
    for status in D.values:
        declaration.status = status
        for to, sources in TRANSITIONS.items():
            if status in sources:
                declaration_check(declaration, to)
            else:
                with pytest.raises(DomainError):
                    declaration_check(declaration, to)


def test_withdrawal_is_one_history_entry_and_keeps_the_reason(area, clerk):
    declaration = RelativeDeclarationFactory(person=PersonFactory(village=area.village))

    services.declaration_withdraw(actor=clerk, declaration=declaration, reason=" 录入错误 ")

    declaration.refresh_from_db()
    assert (declaration.status, declaration.note) == (D.WITHDRAWN, "录入错误")
    assert entries(declaration).count() == 1


def test_a_decided_declaration_is_not_withdrawn(area, clerk):
    declaration = RelativeDeclarationFactory(
        person=PersonFactory(village=area.village), status=D.TOWNSHIP_APPROVED
    )

    with pytest.raises(DomainError) as refused:
        services.declaration_withdraw(actor=clerk, declaration=declaration, reason="错了")

    assert str(refused.value) == _("A declaration that has been decided on stays on the file.")
    declaration.refresh_from_db()
    assert declaration.status == D.TOWNSHIP_APPROVED
    assert entries(declaration).count() == 0


def test_the_pages_offer_the_moves_of_the_table():
    declaration = RelativeDeclarationFactory.build()
    offered = {}
    for status in D.values:
        declaration.status = status
        offered[status] = declaration.moves

    assert offered == {
        D.DECLARED: {D.TOWNSHIP_APPROVED, D.REFUSED, D.WITHDRAWN},
        D.TOWNSHIP_APPROVED: {D.FILED},
        D.FILED: set(),
        D.REFUSED: set(),
        D.WITHDRAWN: set(),
    }
