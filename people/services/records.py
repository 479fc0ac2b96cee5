"""What else is kept on a person file: relative declarations (seed 003 §9) and scanned
documents."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import audit_created
from gongyi.errors import DomainError
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from people.declarations import declaration_transition
from people.enums import DeclarationStatus, DocumentKind, Relation, RelativeKind
from people.models import Person, PersonDocument, RelativeDeclaration
from people.roles import EDIT_PEOPLE
from people.scans import MAX_SCAN_BYTES, SCAN_TYPES, scan_type
from people.services.checks import _raise
from people.services.files import _locked

MAX_DOCUMENT_BYTES = MAX_SCAN_BYTES
DOCUMENT_TYPES = SCAN_TYPES


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
