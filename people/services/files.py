"""Opening and changing a person file: one file per ID number in the whole registry (docs/policy.md
§5), in the actor's area, each change on the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import audit_created, audit_updated, snapshot
from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.roles import has_role, require_role
from gongyi.scoping import scope_queryset
from people.models import Person
from people.roles import CORRECT_PAST_COUNTERS, EDIT_PEOPLE
from people.services.checks import PERSON_FIELDS, _normalise, _raise, person_errors
from posts.services import post_place_check


@dataclass(frozen=True)
class Existing:
    """Who keeps the file of an ID number already in the registry, as much as the actor may know:
    the file itself in the actor's area; elsewhere only the township and county to ask."""

    person: Person | None
    township: str
    county: str

    def message(self) -> str:
        if self.person is not None:
            return _("%(name)s has a file already; it is shown below.") % {"name": self.person.name}
        return _(
            "This ID number has a file already, kept by %(township)s (%(county)s). Ask that "
            "township; a second file is not made."
        ) % {"township": self.township, "county": self.county}


def person_existing(*, actor, id_number: str) -> Existing | None:
    """The file of ``id_number`` if the registry has one, whoever keeps it (the ID number is
    unique across the whole database)."""
    row = (
        Person.objects.filter(id_number=id_number)
        .select_related("township")
        .only("pk", "name", "region_code", "township__name", "township__code")
        .first()
    )
    if row is None:
        return None
    county = Region.objects.filter(code=row.township.code[:6]).values_list("name", flat=True)
    visible = scope_queryset(actor, Person.objects.filter(pk=row.pk)).exists()
    return Existing(row if visible else None, row.township.name, county.first() or "")


def _duplicate(actor, id_number: str) -> DomainError:
    existing = person_existing(actor=actor, id_number=id_number)
    message = existing.message() if existing else _("This ID number has a file already.")
    error = DomainError(message, field_errors={"id_number": message})
    error.existing = existing
    return error


def person_create(*, actor, **data) -> Person:
    """Open a file in the actor's area. An ID number already in the registry is refused with where
    its file is (``Existing``): never a second file, even when two clerks save at once."""
    require_role(actor, EDIT_PEOPLE)
    errors, parsed = person_errors(data, today=timezone.localdate())
    _raise(errors)
    data = _normalise(data, parsed)
    place = post_place_check(
        actor=actor,
        township=data["township"],
        village=data["village"],
        missing=_("Choose the township that keeps the file."),
    )
    if Person.objects.filter(id_number=parsed.number).exists():
        raise _duplicate(actor, parsed.number)
    person = Person(**data, created_by=actor)
    person.region_code = (place.village or place.township).code
    try:
        with transaction.atomic():
            person.save()
            audit_created(actor=actor, instance=person)
    except IntegrityError:
        # Another clerk saved the same ID number between the check and the insert.
        raise _duplicate(actor, parsed.number) from None
    return person


def _locked(actor, model, pk) -> Any:
    """The row, locked, if it is in the actor's area; else the same refusal as a page's 404."""
    row = scope_queryset(actor, model.objects.select_for_update()).filter(pk=pk).first()
    if row is None:
        raise DomainError(_("Not found, or outside your area."))
    return row


def person_update(*, actor, person: Person, **data) -> Person:
    """Change a file. Sex, birth date and retirement date follow a corrected ID number."""
    require_role(actor, EDIT_PEOPLE)
    with transaction.atomic():
        person = _locked(actor, Person, person.pk)
        before = snapshot(person)
        merged = {k: data.get(k, getattr(person, k)) for k in PERSON_FIELDS}
        if "retirement_category" not in data and merged["id_number"] != person.id_number:
            merged["retirement_category"] = None  # a new ID number may say another sex
        errors, parsed = person_errors(merged, today=timezone.localdate())
        _raise(errors)
        merged = _normalise(merged, parsed)
        place = post_place_check(
            actor=actor,
            township=merged["township"],
            village=merged["village"],
            missing=_("Choose the township that keeps the file."),
        )
        if (
            merged["id_number"] != person.id_number
            and Person.objects.filter(id_number=merged["id_number"]).exists()
        ):
            raise _duplicate(actor, merged["id_number"])
        counters = [
            k for k in ("placements_used", "subsidy_months_used") if merged[k] != getattr(person, k)
        ]
        if counters and not has_role(actor, CORRECT_PAST_COUNTERS):
            message = _(
                "The placements and subsidy months of a person's past are entered when the file is "
                "opened; after that only the county HR bureau may correct them."
            )
            raise DomainError(message, field_errors={k: message for k in counters})
        for key, value in merged.items():
            setattr(person, key, value)
        person.region_code = (place.village or place.township).code
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            raise _duplicate(actor, merged["id_number"]) from None
        audit_updated(actor=actor, instance=person, before=before)
    return person
