"""The one function that decides what a user may see (DEVELOPERS.md "Scoped"; STYLE.md "Access").

Every view, API, export and task builds its queryset through ``scope_queryset``. A model says where
its region is with ``scope_code_field``; a user sees the rows whose region code starts with the
code of the user's own region, which is the user's region and everything under it. A model of
reference data sets ``scope_include_ancestors``: its rows are also seen by everyone below the
region that keeps them (a county's post types by its clerks), and rows with no region by all.
Seeing is not editing: which rows a role may change is the services' business. Anything else
is a 404 (``get_scoped_object_or_404``), never a 403 that would confirm it exists.

A department reviewer reads, of the county's personal data, only what the department must
review: the people with an application at or past the re-review (复审), their files and scans.
A model that holds personal data names, in ``scope_reviewer_path``, the lookup from its rows to
the applications that open them to a reviewer ("" when the row is an application); the model at
the end of the path says which of its rows do (``scope_reviewer_condition``). Models without a
path (regions, posts, plans, rounds) hold no one's personal data and are read as by the county.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from gongyi.enums import Role


def scope_queryset(user, queryset: models.QuerySet) -> models.QuerySet:
    """``queryset`` narrowed to the rows in ``user``'s area; empty for anyone not logged in."""
    field = getattr(queryset.model, "scope_code_field", None)
    if field is None:
        raise ImproperlyConfigured(f"{queryset.model.__name__} declares no scope_code_field")
    if not _has_area(user):
        return queryset.none()
    code = user_region_code(user)
    area = models.Q(**{f"{field}__startswith": code})
    if getattr(queryset.model, "scope_include_ancestors", False):
        # Reference data a county keeps (post types, minimum wages, plans) is read by everyone
        # under it, and rows without a region are shared by every county.
        prefixes = [code[:n] for n in (6, 9) if n < len(code)]
        area |= models.Q(**{f"{field}__in": prefixes}) | models.Q(**{f"{field}__isnull": True})
    queryset = queryset.filter(area)
    if user.role == Role.REVIEWER:
        queryset = reviewer_rows(queryset)
    return queryset


def reviewer_rows(queryset: models.QuerySet) -> models.QuerySet:
    """``queryset`` narrowed to the rows a department reviewer reads (see the module's doc)."""
    model = queryset.model
    path = getattr(model, "scope_reviewer_path", None)
    if path is None:
        return queryset
    names = path.split("__") if path else []
    fields, target = [], model
    for name in names:
        fields.append(target._meta.get_field(name))
        target = fields[-1].related_model
    condition = target.scope_reviewer_condition
    if not fields:
        return queryset.filter(condition)
    admitted = target.objects.filter(condition)
    last, before = fields[-1], fields[:-1]
    if last.one_to_many and not any(f.one_to_many or f.many_to_many for f in before):
        # Back along the admitted rows' own key (a person's applications: the person ids they
        # point to), with no join that would repeat a row.
        prefix = "__".join(names[:-1]) or "pk"
        return queryset.filter(**{f"{prefix}__in": admitted.values(last.field.attname)})
    lookup = models.Q(**{f"{path}__in": admitted.values("pk")})
    if any(f.one_to_many or f.many_to_many for f in fields):
        # A join through a reverse or many-to-many relation would repeat rows; a subquery of
        # the admitted keys does not.
        return queryset.filter(pk__in=model.objects.filter(lookup).values("pk"))
    return queryset.filter(lookup)


def scope_sql_prefix(user, model: type[models.Model]) -> str | None:
    """The SQL side of ``scope_queryset``, for a read that must be raw SQL for speed: the pattern
    a query matches ``model``'s region code against (``WHERE m.region_code LIKE %(prefix)s``) to
    read the rows ``scope_queryset(user, model.objects.all())`` reads, and none other
    (tests/gongyi/test_scoping.py holds the two equal for every role, and the reviewer's below).

    ``None`` where that queryset is empty (anyone not logged in, inactive or without a region):
    passed as the pattern, SQL's NULL matches no row. ``None`` too for a department reviewer on a
    model of personal data (one with ``scope_reviewer_path``): the reviewer's rows are not a
    prefix, so raw SQL reads none of them rather than more than ``scope_queryset`` would. A model
    of reference data (``scope_include_ancestors``) has no one prefix: read it through
    ``scope_queryset``."""
    if getattr(model, "scope_code_field", None) is None:
        raise ImproperlyConfigured(f"{model.__name__} declares no scope_code_field")
    if getattr(model, "scope_include_ancestors", False):
        raise ImproperlyConfigured(
            f"{model.__name__} is read by the regions under its own: no one prefix, use "
            "scope_queryset"
        )
    if not _has_area(user):
        return None
    if user.role == Role.REVIEWER and getattr(model, "scope_reviewer_path", None) is not None:
        return None
    code = user_region_code(user)
    return code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _has_area(user) -> bool:
    """Whether ``user`` sees anything at all: logged in, active, with a region."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.region_id)


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
