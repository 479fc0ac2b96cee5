"""Uploading an external dataset (docs/policy.md §8): a new dated version, checked and loaded
in the background (``audits.datasets.loading``)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.datasets.enums import DatasetKind, DatasetStatus
from audits.datasets.jobs import LOAD, MATCH
from audits.datasets.roles import RUN_MATCH, may_upload
from audits.datasets.selectors import newest_versions
from audits.models import DatasetVersion
from gongyi.audit import audit_created
from gongyi.errors import DomainError
from gongyi.jobs import job_start
from gongyi.models import Job

#: The most bytes a row of a dataset's file may take on average (a contributions row with a long
#: employer name: about 120): with the row limit, the largest file taken.
ROW_BYTES = 200


def _already(version: DatasetVersion) -> DomainError:
    return DomainError(
        _(
            "This file was uploaded already, on %(date)s by %(user)s (%(status)s). The same "
            "file is taken once; upload the department's newer list."
        )
        % {
            "date": timezone.localtime(version.uploaded_at).strftime("%Y-%m-%d %H:%M"),
            "user": version.uploaded_by,
            "status": version.get_status_display(),
        }
    )


def dataset_upload(*, actor, kind: str, upload, as_of: dt.date) -> DatasetVersion:
    """A new version of ``kind`` for the actor's county from the uploaded file (xlsx or CSV),
    queued to be checked and loaded. Refused: a kind the actor does not keep, a file too large,
    the same file (by its SHA-256) as a version of the county's kind not refused."""
    if kind not in DatasetKind.values or not may_upload(actor, kind):
        raise DomainError(_("Your role does not allow uploading this kind of dataset."))
    if as_of > dt.date.today():
        raise DomainError(_("The data cannot describe a day in the future."))
    limit = settings.GONGYI_DATASET_MAX_ROWS * ROW_BYTES
    if upload.size > limit:
        raise DomainError(
            _("The file is larger than %(mb)s MB: it has more rows than a dataset may have.")
            % {"mb": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise DomainError(_("The file is empty."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    region_code = actor.region.code
    taken = (
        DatasetVersion.objects.filter(region_code=region_code, kind=kind, sha256=sha256)
        .exclude(status=DatasetStatus.REJECTED)
        .select_related("uploaded_by")
        .first()
    )
    if taken is not None:
        raise _already(taken)
    upload.seek(0)
    version = DatasetVersion(
        kind=kind,
        region_code=region_code,
        as_of=as_of,
        file_name=upload.name[:200],
        file_size=upload.size,
        sha256=sha256,
        uploaded_by=actor,
    )
    try:
        with transaction.atomic():
            version.file.save(sha256, upload, save=False)
            version.save()
            version.job = job_start(
                actor=actor,
                kind=LOAD,
                file_name=version.file_name,
                params={"version": version.pk},
            )
            version.save(update_fields=["job"])
            audit_created(actor=actor, instance=version)
    except IntegrityError:
        # Two uploads of one file at the same moment: the unique constraint lets one in.
        version.file.delete(save=False)
        raise DomainError(_("This file was uploaded already.")) from None
    return version


def dataset_match_start(*, actor) -> Job:
    """Start the match of the actor's county in the background (``audits.datasets.match``).
    Refused: a role that does not run it, a county without a loaded dataset."""
    if actor.role not in RUN_MATCH:
        raise DomainError(_("Your role does not allow running the cross-check."))
    if not newest_versions(actor.region.code):
        raise DomainError(_("No dataset is loaded yet: upload the departments' lists first."))
    return job_start(actor=actor, kind=MATCH)
