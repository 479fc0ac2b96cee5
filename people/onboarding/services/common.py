"""What the onboarding services share: the row lock within the actor's area, the error that
names a form field, and the record of an act that moves no application."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.errors import DomainError
from gongyi.scoping import scope_queryset
from people.onboarding.enums import ApplicationState
from people.onboarding.models import Application, StepRecord

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
