"""Step 7 of the onboarding workflow: pre-job training (岗前培训)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import audit_created
from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from people.onboarding.models import Application, TrainingAttendance, TrainingSession
from people.onboarding.roles import TOWNSHIP_STEPS
from people.onboarding.services.common import S, _field_error
from people.onboarding.workflow import application_transition


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
