"""Reads of the core that its pages and API share: regions, users, the audit trail, background
jobs, policy settings and API tokens. All start from ``scope_queryset`` (a user's own API tokens
are read by the user, wherever the user's region is)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Count, Q, QuerySet

from gongyi.enums import AuditAction, RegionLevel
from gongyi.models import ApiToken, AuditEntry, Job, PolicySetting, Region, User
from gongyi.scoping import get_scoped_object_or_404, scope_queryset

# --- regions and users ----------------------------------------------------------------------------


def townships_with_village_counts(user) -> QuerySet[Region]:
    """The townships of ``user``'s area, each with its number of villages (the county's home)."""
    return (
        scope_queryset(user, Region.objects.all())
        .filter(level=RegionLevel.TOWNSHIP)
        .annotate(village_count=Count("children"))
        .order_by("code")
    )


def villages_of_area(user) -> QuerySet[Region]:
    """The villages of ``user``'s area (a township clerk's home)."""
    return (
        scope_queryset(user, Region.objects.all())
        .filter(level=RegionLevel.VILLAGE)
        .order_by("code")
    )


def region_list(user, *, q: str = "", level: str = "") -> QuerySet[Region]:
    """The regions of ``user``'s area by code, with their parents; ``q``: part of the name or the
    start of the code; ``level``: one level of ``RegionLevel``."""
    regions = scope_queryset(user, Region.objects.select_related("parent"))
    if q:
        regions = regions.filter(Q(name__contains=q) | Q(code__startswith=q))
    if level in RegionLevel.values:
        regions = regions.filter(level=level)
    return regions.order_by("code")


def region_api_list(user, *, level: str = "", parent: str = "") -> QuerySet[Region]:
    """The API's regions: ``user``'s area by code, of one ``level`` and under the ``parent`` code
    if given."""
    regions = scope_queryset(user, Region.objects.select_related("parent").order_by("code"))
    if level in RegionLevel.values:
        regions = regions.filter(level=level)
    if parent:
        regions = regions.filter(parent__code=parent)
    return regions


def region_get(user, code: str) -> Region:
    """One region of ``user``'s area by its code, with its parent, or a 404."""
    return get_scoped_object_or_404(user, Region.objects.select_related("parent"), code=code)


def region_children(user, region: Region) -> QuerySet[Region]:
    """The regions right under ``region`` in ``user``'s area, each with its number of villages."""
    return (
        scope_queryset(user, Region.objects.filter(parent=region))
        .annotate(village_count=Count("children"))
        .order_by("code")
    )


def region_users(user, region: Region) -> QuerySet[User]:
    """The accounts of ``region`` itself, by user name."""
    return scope_queryset(user, User.objects.filter(region=region)).order_by("username")


def active_user_counts(user) -> QuerySet[User]:
    """How many active accounts of each role ``user``'s area has, as ``role`` and ``n``."""
    return (
        scope_queryset(user, User.objects.filter(is_active=True))
        .values("role")
        .annotate(n=Count("id"))
        .order_by("role")
    )


# --- the audit trail ------------------------------------------------------------------------------


def recent_audit_entries(user, limit: int = 10) -> QuerySet[AuditEntry]:
    """The newest entries of ``user``'s area, logins and logouts left out."""
    return (
        scope_queryset(user, AuditEntry.objects.all())
        .exclude(action__in=[AuditAction.LOGIN, AuditAction.LOGOUT])
        .order_by("-seq")[:limit]
    )


def audit_entry_list(
    user,
    *,
    action: str = "",
    username: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The audit log of ``user``'s area, newest first, narrowed by the log page's filters."""
    entries = scope_queryset(user, AuditEntry.objects.all())
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    if username:
        entries = entries.filter(actor_username=username)
    if date_from is not None:
        entries = entries.filter(at__date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(at__date__lte=date_to)
    return entries.order_by("-seq")


def audit_entry_api_list(user, *, object_type: str = "", object_pk: str = "") -> QuerySet:
    """The API's audit entries: ``user``'s area, newest first, of one object if named."""
    entries = scope_queryset(user, AuditEntry.objects.order_by("-seq"))
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_pk:
        entries = entries.filter(object_pk=object_pk)
    return entries


def history_object(user, model: type[models.Model], pk: str) -> models.Model:
    """The object whose history ``user`` asks for, if it is in the area; else a 404."""
    return get_scoped_object_or_404(user, model.objects.all(), pk=pk)


def object_entries(user, object_type: str, obj: models.Model) -> QuerySet[AuditEntry]:
    """Every audit entry of ``obj``, oldest first."""
    return scope_queryset(
        user, AuditEntry.objects.filter(object_type=object_type, object_pk=str(obj.pk))
    ).order_by("seq")


# --- background jobs ------------------------------------------------------------------------------


def own_job(user, pk: int | str, *, kind: str | None = None) -> Job:
    """One of ``user``'s own jobs (of ``kind`` if given), without its payload (the file and the
    checked rows, megabytes no page shows), or a 404."""
    jobs = Job.objects.filter(created_by=user)
    if kind is not None:
        jobs = jobs.filter(kind=kind)
    return get_scoped_object_or_404(user, jobs.defer("payload"), pk=pk)


def recent_own_jobs(user, kind: str, limit: int = 10) -> QuerySet[Job]:
    """``user``'s newest jobs of ``kind``, without their payloads."""
    return scope_queryset(user, Job.objects.filter(created_by=user, kind=kind)).defer("payload")[
        :limit
    ]


def job_of_kind(user, pk: int | str, kind: str) -> Job | None:
    """The job ``pk`` of ``kind`` in ``user``'s area, without its payload; ``None`` if not."""
    jobs = scope_queryset(user, Job.objects.defer("payload"))
    return jobs.filter(pk=pk, kind=kind).first()


# --- settings and API tokens ----------------------------------------------------------------------


def policy_setting_rows(user) -> QuerySet[PolicySetting]:
    """Every value set for a policy setting in ``user``'s area, by key, newest first."""
    return scope_queryset(user, PolicySetting.objects.select_related("county")).order_by(
        "key", "-effective_from"
    )


def own_api_tokens(user) -> QuerySet[ApiToken]:
    """``user``'s own API tokens, newest first; none for no one logged in (as while the API's
    schema is generated)."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_by_pk(pk: int) -> QuerySet[ApiToken]:
    """The token ``pk`` as a queryset, for ``api_tokens_revoke``."""
    return ApiToken.objects.filter(pk=pk)
