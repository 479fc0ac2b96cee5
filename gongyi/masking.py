"""Who reads a stored value in full, and how everyone else reads it (docs/policy.md §9).

One function decides: ``sees_in_full(user, model, field)``. Apps name their personal fields and
the roles that need each in full (``register_sensitive`` in their ``ready()``); every surface that
shows a stored value asks here: pages, API serializers, exports, prints, the Django admin, and the
values before and after in audit entries (the history page, the audit log and its API). A field
nobody registered is not personal data and is shown as it is.

How a value reads when masked is the field's own business: an ID number as the county's setting
says (``people.masking``), any other number with only its last four characters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

Masker = Callable[[Any], Any]


def mask_text(value: Any, *, head: int = 0, tail: int = 4) -> str:
    """``value`` with all but its first ``head`` and last ``tail`` characters starred. Nothing is
    shown of a value too short to hide anything. Never fails: a bad ``head`` or ``tail`` (a stored
    setting, say) counts as 0, and more characters are never shown than ``head + tail``."""
    text = "" if value is None else str(value)
    head, tail = _count(head), _count(tail)
    if len(text) <= head + tail:
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + (text[-tail:] if tail else "")


def _count(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError, OverflowError):
        return 0


def last_four(user) -> Masker:
    """The default masking: only the last four characters show."""
    return lambda value: None if value is None else mask_text(value, head=0, tail=4)


@dataclass(frozen=True)
class Sensitive:
    """A personal field: the roles that read it in full, and how the others read it (a function
    of the reader, so that a county's own setting applies)."""

    readers: frozenset
    masker: Callable[[Any], Masker] = field(default=last_four)
    #: Who takes it in full in a bulk export of many people (None: the same ``readers``); a
    #: reviewer reads one applicant's number, but never the registry's numbers in a file.
    bulk_readers: frozenset | None = None


#: object type (``app_label.model``) → field name → how it is shown. Apps add theirs in ``ready()``.
SENSITIVE_FIELDS: dict[str, dict[str, Sensitive]] = {}


def _object_type(model: type[models.Model] | models.Model | str) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


def register_sensitive(model: type[models.Model], fields: dict[str, Sensitive]) -> None:
    SENSITIVE_FIELDS[_object_type(model)] = fields


def sees_in_full(
    user, model: type[models.Model] | models.Model | str, field_name: str, *, bulk: bool = False
) -> bool:
    """Whether ``user`` reads ``model``'s ``field_name`` as it is stored (``bulk``: in an export of
    many rows). The one decision."""
    sensitive = SENSITIVE_FIELDS.get(_object_type(model), {}).get(field_name)
    if sensitive is None:
        return True
    readers = sensitive.bulk_readers if bulk and sensitive.bulk_readers is not None else None
    readers = sensitive.readers if readers is None else readers
    return bool(getattr(user, "is_authenticated", False)) and user.role in readers


def shown(user, model: type[models.Model] | models.Model | str, field_name: str) -> Masker:
    """A function that turns a stored value of the field into what ``user`` may read of it."""
    if sees_in_full(user, model, field_name):
        return _same
    return SENSITIVE_FIELDS[_object_type(model)][field_name].masker(user)


def _same(value: Any) -> Any:
    return value


def _apply(show: Masker, value: Any) -> Any:
    return value if value is None or value == "" else show(value)


def masked_changes(user, object_type: str, changes: dict[str, Any] | None) -> dict[str, Any]:
    """An audit entry's ``{field: [before, after]}`` as ``user`` may read it (what is stored does
    not change: the hash covers it)."""
    fields = SENSITIVE_FIELDS.get(object_type, {})
    if not changes or not fields:
        return changes or {}
    result = {}
    for name, pair in changes.items():
        if name in fields and not sees_in_full(user, object_type, name):
            show = shown(user, object_type, name)
            pair = [_apply(show, v) for v in pair] if isinstance(pair, list) else _apply(show, pair)
        result[name] = pair
    return result
