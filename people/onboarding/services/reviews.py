"""Steps 3 and 4 of the onboarding workflow: the village's democratic review (民主评议) and the
departments' opinions in the county's re-review (复审, 联审)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_created, audit_record_many
from gongyi.enums import AuditAction, Department
from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from people.onboarding.enums import Opinion, RecordKind
from people.onboarding.models import Application, DemocraticReview, DepartmentOpinion, StepRecord
from people.onboarding.roles import GIVE_OPINIONS, RECORD_DEMOCRATIC_REVIEW
from people.onboarding.services.common import S, _field_error, _record
from people.onboarding.workflow import application_transition
from people.scans import MAX_SCAN_BYTES, scan_name, scan_type


def democratic_review_record(
    *,
    actor,
    village: Region,
    held_on: dt.date,
    attendance: int,
    minutes: str,
    results: dict[int, tuple[bool, int | None, str]],
    place: str = "",
    minutes_file=None,
) -> DemocraticReview:
    """The village's meeting and its result for each applicant: ``results`` maps an application
    to (passed, votes for, reason if not passed). Those who pass go on to the re-review, the
    others are not passed with the reason (seed 003 §6: organised by the person's village)."""
    require_role(actor, RECORD_DEMOCRATIC_REVIEW)
    today = timezone.localdate()
    if village is None or not scope_queryset(actor, Region.objects.filter(pk=village.pk)).exists():
        raise _field_error("village", _("Not found, or outside your area."))
    if held_on is None or held_on > today:
        raise _field_error("held_on", _("The meeting's date cannot be in the future."))
    if attendance is None or attendance < 1:
        raise _field_error("attendance", _("Enter how many people attended."))
    if not (minutes or "").strip():
        raise _field_error("minutes", _("Summarise the minutes of the meeting."))
    if not results:
        raise _field_error("results", _("Give the result for at least one applicant."))
    if minutes_file:
        content_type = scan_type(minutes_file)
        if content_type is None or minutes_file.size > MAX_SCAN_BYTES:
            raise _field_error(
                "minutes_file", _("Attach a PDF, JPEG or PNG scan of at most 10 MB.")
            )
        # Stored under a random name with the extension of what the bytes are, not the client's.
        minutes_file.name = scan_name(content_type)
    for _passed, votes, _reason in results.values():
        if votes is not None and (votes < 0 or votes > attendance):
            raise _field_error(
                "results",
                _("Votes for cannot exceed the people attending (%(n)s).") % {"n": attendance},
            )
    with transaction.atomic():
        outside = Application.objects.filter(pk__in=list(results)).exclude(
            region_code__startswith=village.code
        )
        if outside.exists():
            raise _field_error("results", _("Only the village's own applicants are reviewed here."))
        if Application.objects.filter(pk__in=list(results), applied_on__gt=held_on).exists():
            raise _field_error("held_on", _("The meeting cannot be before the application."))
        review = DemocraticReview.objects.create(
            village=village,
            region_code=village.code,
            held_on=held_on,
            place=(place or "").strip(),
            attendance=attendance,
            minutes=minutes.strip(),
            minutes_file=minutes_file or "",
            created_by=actor,
        )
        audit_created(actor=actor, instance=review)
        evidence = _("Democratic review of %(date)s, %(n)s attending") % {
            "date": held_on,
            "n": attendance,
        }
        passed = {pk: {"votes_for": v} for pk, (ok, v, _r) in results.items() if ok}
        failed = {pk: (v, r) for pk, (ok, v, r) in results.items() if not ok}
        if passed:
            application_transition(
                actor=actor,
                applications=list(passed),
                to=S.REVIEWED,
                evidence=evidence,
                data={"democratic_review": review.pk},
                per_application=passed,
                via_service=True,
            )
        for pk, (votes, reason) in failed.items():
            application_transition(
                actor=actor,
                applications=[pk],
                to=S.REJECTED,
                comment=reason,
                evidence=evidence,
                data={"democratic_review": review.pk, "votes_for": votes},
                via_service=True,
            )
    return review


# --- step 4: the re-review with the departments (复审, 联审) and publicity (公示) -----------------


def opinion_record(*, actor, applications: list[int], opinion: str, comment: str = "") -> int:
    """A department reviewer's opinion on applications awaiting the re-review (seed 003 §5); a
    second opinion of the same department replaces the first, on record. Returns how many."""
    require_role(actor, GIVE_OPINIONS)
    if opinion not in Opinion.values:
        raise _field_error("opinion", _("Choose agree or disagree."))
    if opinion == Opinion.DISAGREE and not (comment or "").strip():
        raise _field_error("comment", _("Say why the department disagrees."))
    department = actor.department
    if department not in Department.values:
        raise DomainError(_("Only a department's reviewer gives its opinion."))
    now = timezone.now()
    with transaction.atomic():
        apps = list(
            scope_queryset(actor, Application.objects.select_for_update())
            .filter(pk__in=applications)
            .order_by("pk")
        )
        if len(apps) != len(set(applications)):
            raise DomainError(_("Not found, or outside your area."))
        waiting = [a for a in apps if a.state != S.REVIEWED]
        if waiting:
            raise DomainError(
                _("%(n)s of the applications are not awaiting the re-review.") % {"n": len(waiting)}
            )
        existing = {
            o.application_id: o
            for o in DepartmentOpinion.objects.filter(application__in=apps, department=department)
        }
        new, changed, changes = [], [], []
        for app in apps:
            row = existing.get(app.pk)
            if row is None:
                row = DepartmentOpinion(
                    application=app,
                    department=department,
                    opinion=opinion,
                    comment=(comment or "").strip(),
                    reviewer=actor,
                    at=now,
                )
                new.append(row)
            else:
                changes.append(
                    Change(
                        AuditAction.UPDATE,
                        row,
                        {"opinion": [row.opinion, opinion], "comment": [row.comment, comment]},
                        region_code=app.region_code,
                    )
                )
                row.opinion, row.comment, row.reviewer, row.at = opinion, comment or "", actor, now
                changed.append(row)
        DepartmentOpinion.objects.bulk_create(new)
        DepartmentOpinion.objects.bulk_update(changed, ["opinion", "comment", "reviewer", "at"])
        changes += [
            Change(
                AuditAction.CREATE,
                row,
                {"department": [None, department], "opinion": [None, opinion]},
                region_code=row.application.region_code,
                object_repr=str(row),
            )
            for row in new
        ]
        label = Department(department).label
        StepRecord.objects.bulk_create(
            _record(
                app,
                actor,
                RecordKind.OPINION,
                comment=(comment or "").strip(),
                evidence=str(label),
                data={"department": department, "opinion": opinion},
            )
            for app in apps
        )
        audit_record_many(actor=actor, changes=changes)
    return len(apps)
