"""Audit entries as a person reads them: the history page, the audit log and the admin.

What is stored does not change (the chain hashes it); only how it reads. A field shows as its
verbose name; a value as its choice label, "yes" or "no", a time in the site's time zone, the name
of the object it links to (with a link to that object's page when the reader may open it: the
role may open the page, and ``gongyi.scoping`` puts the object in the reader's area), or, for a
JSON value an app knows (the eligibility verdict), the lines the app writes for it. The operator
shows by name and role beside the login name. Personal fields are masked for readers who may not
read them in full (``gongyi.masking``).

Set-based: the operators are read in one query, and the linked objects in one query per model,
whatever the number of entries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gongyi.enums import Department, Role
from gongyi.masking import masked_changes
from gongyi.models import AuditEntry, Region, User
from gongyi.roles import ALL_ROLES, has_role
from gongyi.scoping import scope_queryset


@dataclass
class Value:
    """One value as it reads: a text (with a link to its object, if the reader may open it), or
    lines (a JSON value an app knows how to write out)."""

    text: str = ""
    url: str = ""
    lines: list[str] = field(default_factory=list)


@dataclass
class FieldChange:
    label: str
    before: Value | None
    after: Value | None


@dataclass
class ReadableEntry:
    entry: AuditEntry
    actor_name: str
    actor_role: str
    changes: list[FieldChange]
    #: how many changed fields are not shown (the audit log shows the first few)
    more: int = 0
    #: the object's name where its recorded one is only ids (``register_object_name``)
    object_name: str = ""


@dataclass(frozen=True)
class ObjectPage:
    """Where an object of a model is shown (the view's ``allowed_roles`` say to whom), and by
    which of its attributes."""

    url_name: str
    key: str = "pk"

    def roles(self) -> frozenset:
        view = resolve(reverse(self.url_name, args=["0"])).func
        return getattr(getattr(view, "view_class", view), "allowed_roles", ALL_ROLES)


#: object type → the page of one object. Apps add theirs in ``ready()``.
OBJECT_PAGES: dict[str, ObjectPage] = {}
#: object type → key → (label, writer): keys of recorded changes that are no field of the model,
#: or JSON fields an app writes out as lines. Apps add theirs in ``ready()``.
VALUE_WRITERS: dict[str, dict[str, tuple[str | None, Callable[[Any], list[str]] | None]]] = {}


#: object type → how to name one of its objects where ``str()`` gives only ids (a placement,
#: a membership). The function may follow foreign keys: they are read with the object.
OBJECT_NAMES: dict[str, Callable[[models.Model], str]] = {}


def register_object_name(model: type[models.Model], name: Callable[[models.Model], str]) -> None:
    OBJECT_NAMES[model._meta.label_lower] = name


def register_object_page(model: type[models.Model], url_name: str, key: str = "pk") -> None:
    OBJECT_PAGES[model._meta.label_lower] = ObjectPage(url_name, key)


def register_value_writer(
    model: type[models.Model],
    name: str,
    writer: Callable[[Any], list[str]] | None = None,
    label: str | None = None,
) -> None:
    VALUE_WRITERS.setdefault(model._meta.label_lower, {})[name] = (label, writer)


def readable_entries(
    user, entries: Iterable[AuditEntry], limit: int | None = None
) -> list[ReadableEntry]:
    """``entries`` as ``user`` reads them, at most ``limit`` changed fields each."""
    entries = list(entries)
    actors = {
        u.pk: u
        for u in User.objects.filter(pk__in={e.actor_id for e in entries if e.actor_id}).only(
            "pk", "name", "username", "role", "department"
        )
    }
    planned = []
    wanted: dict[tuple[type[models.Model], str], set] = defaultdict(set)
    for entry in entries:
        model = _model(entry.object_type)
        items = [
            (name, pair)
            for name, pair in _in_field_order(
                model, masked_changes(user, entry.object_type, entry.changes)
            )
            # the object's own id, and fields that were empty and stay empty, say nothing
            if not (model is not None and name == model._meta.pk.name)
            and not (isinstance(pair, list) and all(_empty(v) for v in pair))
        ]
        shown = items if limit is None else items[:limit]
        rows = []
        for name, pair in shown:
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            model_field = _field(model, name)
            target = _target(model_field)
            if target is not None:
                for value in (before, after):
                    key = _key(*target, value)
                    if key is not None:
                        wanted[target].add(key)
            rows.append((name, model_field, before, after))
        planned.append((entry, rows, len(items) - len(shown)))
        if entry.object_type in OBJECT_NAMES and model is not None:
            key = _key(model, "pk", entry.object_pk)
            if key is not None:
                wanted[(model, "pk")].add(key)
    linked = {target: _linked(user, *target, keys) for target, keys in wanted.items()}
    result = []
    for entry, rows, more in planned:
        actor = actors.get(entry.actor_id)
        model = _model(entry.object_type)
        named = (
            linked.get((model, "pk"), {}).get(_key(model, "pk", entry.object_pk))
            if entry.object_type in OBJECT_NAMES
            else None
        )
        changes = [
            FieldChange(
                _label(entry.object_type, name, model_field),
                _value(entry.object_type, name, model_field, before, linked),
                _value(entry.object_type, name, model_field, after, linked),
            )
            for name, model_field, before, after in rows
        ]
        result.append(
            ReadableEntry(
                entry=entry,
                actor_name=(actor.name if actor else "") or "",
                actor_role=_role_label(actor) if actor else "",
                changes=changes,
                more=more,
                object_name=named.text if named else "",
            )
        )
    return result


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # A change named as a reverse relation (a debt's "lines", an exit's "repayments") is a value
    # the service wrote, not a column: shown as it is.
    return field if getattr(field, "concrete", False) else None


def _target(model_field) -> tuple[type[models.Model], str] | None:
    """The model and field a value of ``model_field`` names an object by: a foreign key's (or
    one-to-one's) model by its key, and a ``region_code`` the region by its code."""
    if model_field is None or not model_field.concrete:
        return None
    if model_field.many_to_one or model_field.one_to_one:
        return model_field.related_model, "pk"
    if model_field.name == "region_code":
        return Region, "code"
    return None


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _in_field_order(model, changes: dict) -> list:
    """The changed fields in the model's order (JSON keeps no order of its own)."""
    order = {f.name: i for i, f in enumerate(model._meta.fields)} if model else {}
    return sorted(changes.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def _key(model, lookup: str, value):
    if _empty(value) or isinstance(value, bool | list | dict):
        return None
    key_field = model._meta.pk if lookup == "pk" else model._meta.get_field(lookup)
    try:
        return key_field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None


def _linked(user, model, lookup: str, keys: set) -> dict:
    """The objects of ``model`` whose ``lookup`` is one of ``keys``, as named links, in one
    query."""
    objects = model._default_manager.filter(**{f"{lookup}__in": keys}).select_related()
    page = OBJECT_PAGES.get(model._meta.label_lower)
    openable = page is not None and has_role(user, page.roles())
    if openable:
        inside = scope_queryset(user, model._default_manager.filter(pk=OuterRef("pk")))
        objects = objects.annotate(in_area=Exists(inside))
    result = {}
    for obj in objects:
        # A link when the reader may open the page and the object is in the reader's area; every
        # registered page exists (tests/gongyi/test_audit.py), so reversing it cannot fail.
        url = (
            reverse(page.url_name, args=[getattr(obj, page.key)])
            if openable and obj.in_area
            else ""
        )
        result[getattr(obj, lookup)] = Value(text=_name(obj), url=url)
    return result


def _name(obj) -> str:
    named = OBJECT_NAMES.get(obj._meta.label_lower)
    if named is not None:
        return named(obj)
    name = getattr(obj, "name", None)
    return name if isinstance(name, str) and name else str(obj)


def _role_label(actor) -> str:
    role = Role(actor.role).label if actor.role in Role.values else actor.role
    if actor.department in Department.values:
        return f"{role}（{department_label(actor.department)}）"
    return str(role)


def department_label(value: str) -> str:
    return str(Department(value).label) if value in Department.values else value


def _label(object_type: str, name: str, model_field) -> str:
    label, _writer = VALUE_WRITERS.get(object_type, {}).get(name, (None, None))
    if label:
        return str(label)
    if _target(model_field) == (Region, "code"):
        return _("region")
    if model_field is not None and hasattr(model_field, "verbose_name"):
        return str(model_field.verbose_name)
    return name


def _value(object_type: str, name: str, model_field, value, linked: dict) -> Value | None:
    if _empty(value):
        return None
    writer = VALUE_WRITERS.get(object_type, {}).get(name, (None, None))[1]
    if writer is not None:
        try:
            return Value(lines=[str(line) for line in writer(value)])
        except (TypeError, ValueError, KeyError, AttributeError):
            return Value(text=_plain_text(value))
    if model_field is None:
        return Value(text=_plain_text(value))
    target = _target(model_field)
    if target is not None:
        found = linked.get(target, {}).get(_key(*target, value))
        return found or Value(text=_("%(id)s (no longer on record)") % {"id": value})
    if model_field.choices:
        return Value(text=str(dict(model_field.flatchoices).get(value, value)))
    if model_field.name == "department":  # a department's opinion keeps the code without choices
        return Value(text=department_label(value))
    if isinstance(model_field, models.DateTimeField) and isinstance(value, str):
        return Value(text=_local_time(value))
    if isinstance(model_field, models.JSONField):
        return Value(lines=_lines(value))
    return Value(text=_plain_text(value))


def _local_time(value: str) -> str:
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        return value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def _plain_text(value: Any) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return "、".join(_plain_text(v) for v in value)
    if isinstance(value, dict):
        return " ".join(_plain_text(v) for v in value.values() if v not in (None, ""))
    return str(value)


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_plain_text(v) for v in value]
    if isinstance(value, dict):
        return [_plain_text(v) for v in value.values() if v not in (None, "")]
    return [_plain_text(value)]
