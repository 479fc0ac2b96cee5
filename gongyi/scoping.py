"""The one function that decides what a user may see (DEVELOPERS.md "Scoped"; STYLE.md "Access").

Every view, API, export and task builds its queryset through ``scope_queryset``. A model says where
its region is with ``scope_code_field``; a user sees the rows whose region code starts with the
code of the user's own region, which is the user's region and everything under it. Anything else
is a 404 (``get_scoped_object_or_404``), never a 403 that would confirm it exists.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _


def scope_queryset(user, queryset: models.QuerySet) -> models.QuerySet:
    """``queryset`` narrowed to the rows in ``user``'s area; empty for anyone not logged in."""
    field = getattr(queryset.model, "scope_code_field", None)
    if field is None:
        raise ImproperlyConfigured(f"{queryset.model.__name__} declares no scope_code_field")
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.region_id:
        return queryset.none()
    return queryset.filter(**{f"{field}__startswith": user_region_code(user)})


def user_region_code(user) -> str:
    """The code of the user's region, read once per user object."""
    code = getattr(user, "_scope_region_code", None)
    if code is None:
        code = user.region.code
        user._scope_region_code = code
    return code


def get_scoped_object_or_404(user, queryset: models.QuerySet, **lookup) -> models.Model:
    try:
        return scope_queryset(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(_("Not found, or outside your area.")) from None
