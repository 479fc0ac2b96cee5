"""Reads of the external datasets (docs/policy.md §8)."""

from __future__ import annotations

from django.db.models import QuerySet

from audits.datasets.enums import DatasetStatus
from audits.datasets.roles import kinds_for
from audits.models import DatasetVersion
from gongyi.models import Job
from gongyi.scoping import get_scoped_object_or_404, scope_queryset


def dataset_versions(user, *, kind: str = "") -> QuerySet[DatasetVersion]:
    """The versions of the user's county of the kinds the user keeps, newest first."""
    versions = scope_queryset(user, DatasetVersion.objects.all()).filter(kind__in=kinds_for(user))
    if kind:
        versions = versions.filter(kind=kind)
    return versions.select_related("uploaded_by").defer("errors")


def dataset_version(user, pk) -> DatasetVersion:
    """One version of the user's county and kinds, or a 404."""
    versions = DatasetVersion.objects.filter(kind__in=kinds_for(user))
    return get_scoped_object_or_404(
        user, versions.select_related("uploaded_by", "job").defer("job__payload"), pk=pk
    )


def newest_versions(region_code: str) -> dict[str, DatasetVersion]:
    """Kind → the newest loaded version of the county ``region_code`` (what a match reads)."""
    versions = DatasetVersion.objects.filter(
        region_code=region_code, status=DatasetStatus.LOADED
    ).order_by("kind", "-as_of", "-loaded_at", "-pk")
    return {v.kind: v for v in versions.distinct("kind").defer("errors")}


def recent_matches(user, limit: int = 5) -> list[dict]:
    """The county's latest match runs: the job, and its findings new and gone in all kinds."""
    from audits.datasets.jobs import MATCH

    jobs = scope_queryset(user, Job.objects.filter(kind=MATCH)).select_related("created_by")
    rows = []
    for job in jobs.defer("payload")[:limit]:
        kinds = (job.result or {}).get("kinds", {}).values()
        rows.append(
            {
                "job": job,
                "new": sum(k.get("new", 0) for k in kinds),
                "gone": sum(k.get("gone", 0) for k in kinds),
            }
        )
    return rows


def findings_of(user, *, kind: str = "", state: str = ""):
    """The findings of the user's area (the findings queue), newest first, with their person,
    placement and post; by kind and state."""
    from audits.models import Finding

    findings = scope_queryset(user, Finding.objects.all())
    if kind:
        findings = findings.filter(kind=kind)
    if state == "open":
        from audits.datasets.enums import OPEN_FINDING_STATES

        findings = findings.filter(state__in=OPEN_FINDING_STATES)
    elif state:
        findings = findings.filter(state=state)
    return findings.select_related("person", "placement__post", "decided_by", "exit")


def finding_of(user, pk):
    """One finding of the user's area, or a 404."""
    from audits.models import Finding

    return get_scoped_object_or_404(
        user,
        Finding.objects.select_related(
            "person", "placement__post", "version", "decided_by", "exit"
        ),
        pk=pk,
    )
