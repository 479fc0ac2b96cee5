"""Target groups: a county's own groups (docs/policy.md §2) and the memberships that record a person
was recognised in one."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import audit_created, audit_deleted
from gongyi.errors import DomainError
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from people.enums import GroupArea
from people.models import Person, PersonGroup, TargetGroup
from people.roles import EDIT_PEOPLE, MANAGE_GROUPS
from people.services.checks import _raise
from people.services.files import _locked


def group_code_for(county_code: str, name: str) -> str:
    """A county group's code, made from its name: nobody types or reads it (the imports and
    pages use the name); standard groups keep the codes the eligibility rules name."""
    digest = hashlib.sha1(name.strip().encode(), usedforsecurity=False).hexdigest()[:10]
    return f"c{county_code}_{digest}"


def target_group_create(
    *,
    actor,
    name: str,
    area: str,
    priority: int | None = None,
    may_be_placed_again: bool = False,
    source: str = "",
) -> TargetGroup:
    """A group of the actor's county (docs/policy.md §2: "extra groups can be added as data"), its
    code made from its name (``group_code_for``)."""
    require_role(actor, MANAGE_GROUPS)
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Enter the name.")
    if area not in GroupArea.values:
        errors["area"] = _("Choose one of the list.")
    if priority is not None and not 6 <= priority <= 99:
        errors["priority"] = _(
            "1 to 5 are the priority groups of seed 003 §8; a county's group comes after them "
            "(6 to 99) or has no priority."
        )
    _raise(errors)
    code = group_code_for(actor.region.code, name)
    visible = scope_queryset(actor, TargetGroup.objects.all())
    if visible.filter(code=code).exists() or visible.filter(name=name.strip()).exists():
        message = _("The county has a group of this name already.")
        raise DomainError(message, field_errors={"name": message})
    try:
        with transaction.atomic():
            group = TargetGroup.objects.create(
                county=actor.region,
                code=code,
                name=name.strip(),
                area=area,
                priority=priority,
                may_be_placed_again=may_be_placed_again,
                source=source,
            )
            audit_created(actor=actor, instance=group)
    except IntegrityError:  # the same name saved by someone else a moment ago
        message = _("The county has a group of this name already.")
        raise DomainError(message, field_errors={"name": message}) from None
    return group


def membership_add(
    *, actor, person: Person, group: TargetGroup, recognised_on: dt.date, evidence: str = ""
) -> PersonGroup:
    """Record that the person was recognised in a group, on a day, on some evidence."""
    require_role(actor, EDIT_PEOPLE)
    today = timezone.localdate()
    if not scope_queryset(actor, TargetGroup.objects.filter(pk=group.pk, is_active=True)).exists():
        message = _("Choose a target group of the county.")
        raise DomainError(message, field_errors={"group": message})
    with transaction.atomic():
        person = _locked(actor, Person, person.pk)
        if recognised_on is None or recognised_on > today:
            message = _("The recognition date cannot be in the future.")
            raise DomainError(message, field_errors={"recognised_on": message})
        if recognised_on < person.birth_date:
            message = _("The recognition date is before the birth date.")
            raise DomainError(message, field_errors={"recognised_on": message})
        if PersonGroup.objects.filter(person=person, group=group).exists():
            message = _("%(group)s is recorded for this person already.") % {"group": group.name}
            raise DomainError(message, field_errors={"group": message})
        membership = PersonGroup.objects.create(
            person=person,
            group=group,
            recognised_on=recognised_on,
            evidence=(evidence or "").strip()[:200],
            recorded_by=actor,
        )
        audit_created(actor=actor, instance=membership)
    return membership


def membership_remove(*, actor, membership: PersonGroup, reason: str) -> None:
    require_role(actor, EDIT_PEOPLE)
    if not (reason or "").strip():
        raise DomainError(_("Say why the group is removed."))
    with transaction.atomic():
        membership = _locked(actor, PersonGroup, membership.pk)
        audit_deleted(actor=actor, instance=membership, note=reason.strip())
        membership.delete()
