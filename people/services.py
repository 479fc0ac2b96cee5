"""Every write to the person registry. Each runs in one transaction and puts its change on the
audit trail; refusals are ``DomainError`` with the message shown as it is (STYLE.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import audit_created, audit_deleted, audit_updated, snapshot
from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.roles import has_role, require_role
from gongyi.scoping import scope_queryset
from people.declarations import declaration_transition
from people.enums import (
    AccountKind,
    DeclarationStatus,
    DocumentKind,
    GroupArea,
    Registration,
    Relation,
    RelativeKind,
    Sex,
)
from people.idnumbers import IdNumberError, parse_id_number
from people.models import Person, PersonDocument, PersonGroup, RelativeDeclaration, TargetGroup
from people.retirement import RetirementCategory, default_category, retirement_date
from people.roles import CORRECT_PAST_COUNTERS, EDIT_PEOPLE, MANAGE_GROUPS
from people.scans import MAX_SCAN_BYTES, SCAN_TYPES, scan_type
from posts.enums import AreaKind
from posts.services import post_place_check

#: The fields of a person file that a form, the API or an import row gives.
PERSON_FIELDS = (
    "name",
    "id_number",
    "phone",
    "registration",
    "township",
    "village",
    "residence",
    "retirement_category",
    "account_kind",
    "account_number",
    "bank_name",
    "dibao_family",
    "zero_employment_family",
    "disability_certificate",
    "disability_grade",
    "placements_used",
    "subsidy_months_used",
    "note",
)
#: Read once: ``TextChoices.values`` builds a new list on every call, and an import checks every row.
_CHOICE_VALUES = {
    "registration": frozenset(Registration.values),
    "residence": frozenset(AreaKind.values),
    "account_kind": frozenset(AccountKind.values),
}
_CATEGORIES = frozenset(RetirementCategory.values)
_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$")
_NAME = re.compile(r"^[^\d<>@#$%^&*=+{}\[\]|\\/]{1,50}$")
MAX_DOCUMENT_BYTES = MAX_SCAN_BYTES
DOCUMENT_TYPES = SCAN_TYPES


# --- checks that need no query ------------------------------------------------------------------


def person_errors(data: dict[str, Any], *, today: dt.date) -> tuple[dict[str, str], Any]:
    """Field → message for everything wrong with a file's data that needs no query, and the
    parsed ID number (``people.idnumbers.IdNumber``, None if it is wrong). Used by the forms, the
    API and every row of an import alike."""
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Enter the name.")
    elif not _NAME.match(name):
        errors["name"] = _("A name has at most 50 characters and no digits or symbols.")
    parsed = None
    try:
        parsed = parse_id_number(data.get("id_number"), today=today)
    except IdNumberError as exc:
        errors["id_number"] = str(exc)
    phone = (data.get("phone") or "").replace(" ", "")
    if phone and not _PHONE.match(phone):
        errors["phone"] = _(
            "Enter a mobile number of 11 digits or a landline such as 0538-6221234."
        )
    for key, values in _CHOICE_VALUES.items():
        if key == "account_kind" and not data.get(key):
            continue  # the one-card account by default (docs/policy.md §7)
        if data.get(key) not in values:
            errors[key] = _("Choose one of the list.")
    category = data.get("retirement_category")
    if category and category not in _CATEGORIES:
        errors["retirement_category"] = _("Choose one of the list.")
    elif parsed and category:
        male = parsed.sex == Sex.MALE
        if male != (category == RetirementCategory.MALE_60):
            errors["retirement_category"] = _(
                "The ID number says this person is a %(sex)s; choose a category for %(sexes)s."
            ) % {
                "sex": _("man") if male else _("woman"),
                "sexes": _("men") if male else _("women"),
            }
    account = (data.get("account_number") or "").replace(" ", "")
    if account and not (account.isdigit() and 9 <= len(account) <= 32):
        errors["account_number"] = _("A card or account number has 9 to 32 digits.")
    errors.update(_disability_errors(data, parsed))
    for key in ("placements_used", "subsidy_months_used"):
        value = data.get(key) or 0
        if not isinstance(value, int) or value < 0:
            errors[key] = _("Enter a whole number, 0 or more.")
    if (data.get("placements_used") or 0) > 2 and "placements_used" not in errors:
        errors["placements_used"] = _("Nobody can have been placed more than twice.")
    if (data.get("subsidy_months_used") or 0) > 600 and "subsidy_months_used" not in errors:
        errors["subsidy_months_used"] = _("Enter the months of subsidy, not days.")
    return errors, parsed


def _disability_errors(data: dict[str, Any], parsed) -> dict[str, str]:
    """The second-generation disability certificate number is the ID number followed by the kind
    (1–7) and the grade (1–4) (残疾人证管理办法); the grade must agree with it."""
    certificate = (data.get("disability_certificate") or "").strip().upper()
    grade = data.get("disability_grade")
    if not certificate:
        if grade:
            return {"disability_certificate": _("Enter the certificate number for the grade.")}
        return {}
    if len(certificate) != 20 or not certificate[18:].isdigit():
        return {
            "disability_certificate": _(
                "A disability certificate number is the ID number followed by two digits."
            )
        }
    if parsed and certificate[:18] != parsed.number:
        return {
            "disability_certificate": _(
                "The certificate number does not begin with this person's ID number."
            )
        }
    if certificate[18] not in "1234567" or certificate[19] not in "1234":
        return {
            "disability_certificate": _(
                "The last two digits are the kind (1–7) and the grade (1–4) of disability."
            )
        }
    if grade and int(grade) != int(certificate[19]):
        return {
            "disability_grade": _("The certificate number says grade %(g)s.")
            % {"g": certificate[19]}
        }
    return {}


def _normalise(data: dict[str, Any], parsed) -> dict[str, Any]:
    """The values stored: the ID number in its 18-character form, sex and birth from it, the
    default retirement category (women: the 50 category, docs/policy.md §4), the grade from the
    certificate, spaces dropped from numbers."""
    data = {k: data.get(k) for k in PERSON_FIELDS}
    data["name"] = data["name"].strip()
    data["id_number"] = parsed.number
    for key in ("phone", "account_number", "bank_name", "disability_certificate", "note"):
        data[key] = (data.get(key) or "").replace(" ", "" if key != "note" else " ").strip()
    data["disability_certificate"] = data["disability_certificate"].upper()
    if data["disability_certificate"] and not data.get("disability_grade"):
        data["disability_grade"] = int(data["disability_certificate"][19])
    data["disability_grade"] = data.get("disability_grade") or None
    data["retirement_category"] = data.get("retirement_category") or default_category(parsed.sex)
    data["account_kind"] = data.get("account_kind") or AccountKind.CARD
    for key in ("dibao_family", "zero_employment_family"):
        data[key] = bool(data.get(key))
    for key in ("placements_used", "subsidy_months_used"):
        data[key] = data.get(key) or 0
    data["sex"] = parsed.sex
    data["birth_date"] = parsed.birth_date
    data["retirement_date"] = retirement_date(data["retirement_category"], parsed.birth_date)
    return data


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise DomainError(" ".join(errors.values()), field_errors=errors)


# --- one file per person ------------------------------------------------------------------------


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


# --- target groups ------------------------------------------------------------------------------


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


# --- relative declarations (seed 003 §9) ---------------------------------------------------------


def declaration_add(
    *,
    actor,
    person: Person,
    relation: str,
    relative_name: str,
    relative_kind: str,
    relative_post: str,
    declared_on: dt.date,
    note: str = "",
) -> RelativeDeclaration:
    """The person's declaration of a relative who is a public official or a cadre."""
    require_role(actor, EDIT_PEOPLE)
    errors = {}
    if relation not in Relation.values:
        errors["relation"] = _("Choose one of the list.")
    if relative_kind not in RelativeKind.values:
        errors["relative_kind"] = _("Choose one of the list.")
    if not (relative_name or "").strip():
        errors["relative_name"] = _("Enter the relative's name.")
    if not (relative_post or "").strip():
        errors["relative_post"] = _("Enter the relative's unit and post.")
    if declared_on is None or declared_on > timezone.localdate():
        errors["declared_on"] = _("The declaration date cannot be in the future.")
    _raise(errors)
    with transaction.atomic():
        person = _locked(actor, Person, person.pk)
        declaration = RelativeDeclaration.objects.create(
            person=person,
            relation=relation,
            relative_name=relative_name.strip(),
            relative_kind=relative_kind,
            relative_post=relative_post.strip(),
            declared_on=declared_on,
            note=(note or "").strip()[:200],
            created_by=actor,
        )
        audit_created(actor=actor, instance=declaration)
    return declaration


def declaration_withdraw(*, actor, declaration: RelativeDeclaration, reason: str) -> None:
    """Withdraw a declaration entered by mistake, only while nobody has decided on it; it stays
    on the file as withdrawn (``people.declarations``)."""
    require_role(actor, EDIT_PEOPLE)
    if not (reason or "").strip():
        raise DomainError(_("Say why the declaration is withdrawn."))
    with transaction.atomic():
        declaration = _locked(actor, RelativeDeclaration, declaration.pk)
        declaration_transition(
            actor=actor, declaration=declaration, to=DeclarationStatus.WITHDRAWN, note=reason
        )


# --- documents ----------------------------------------------------------------------------------


def document_add(*, actor, person: Person, kind: str, upload) -> PersonDocument:
    """Attach a scan (PDF, JPEG or PNG, at most 10 MB) to the file."""
    require_role(actor, EDIT_PEOPLE)
    if kind not in DocumentKind.values:
        raise DomainError(
            _("Choose one of the list."), field_errors={"kind": _("Choose one of the list.")}
        )
    if upload is None or not upload.size:
        raise DomainError(_("Choose a file."), field_errors={"file": _("Choose a file.")})
    if upload.size > MAX_DOCUMENT_BYTES:
        message = _("A scan may be at most 10 MB; this one is %(mb)s MB.") % {
            "mb": round(upload.size / 1024 / 1024, 1)
        }
        raise DomainError(message, field_errors={"file": message})
    content_type = scan_type(upload)
    if content_type is None:
        message = _("Attach a PDF, JPEG or PNG scan.")
        raise DomainError(message, field_errors={"file": message})
    if not scope_queryset(actor, Person.objects.filter(pk=person.pk)).exists():
        raise DomainError(_("Not found, or outside your area."))
    document = PersonDocument(
        person_id=person.pk,
        kind=kind,
        original_name=(upload.name or "")[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    document.file.save(upload.name or "scan", upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            audit_created(actor=actor, instance=document)
    except Exception:
        document.file.delete(save=False)  # no row, no file
        raise
    return document
