"""The audit trail: who changed what, when, from where, with the values before and after.

Services call ``audit_record`` (or ``audit_record_many`` for bulk work) inside their transaction, so
an entry exists exactly when its change does. The acting user is passed in; the client address
comes from the request being served (``RequestContextMiddleware``), or is empty for tasks and
commands.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import hashlib
import json
import operator
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.utils import timezone

from gongyi.db import copy_writer, next_ids
from gongyi.enums import AuditAction
from gongyi.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64

#: The client address of the request being served, set by RequestContextMiddleware.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


def object_type_of(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def region_code_of(instance: models.Model) -> str:
    """Follow the model's ``scope_code_field`` path to the code of the region it belongs to."""
    path = getattr(type(instance), "scope_code_field", None)
    value: Any = instance
    for part in (path or "").split("__"):
        if not part or value is None:
            return ""
        value = getattr(value, part, None)
    return "" if value is None else str(value)


def _plain(value: Any) -> Any:
    """A JSON value that survives a round trip through jsonb unchanged (for hashing)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | float | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values, keyed by field name (foreign keys by id)."""
    excluded = getattr(type(instance), "audit_exclude", frozenset())
    return {
        field.name: _plain(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if field.name not in excluded
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for every field whose value changed."""
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


@dataclass
class Change:
    """One entry to append; ``audit_record_many`` hashes and stores a list of them at once."""

    action: str
    instance: models.Model | None = None
    changes: dict[str, Any] | None = None
    note: str = ""
    object_type: str = ""
    object_pk: str = ""
    object_repr: str = ""
    region_code: str | None = None
    #: ``changes`` holds JSON values already (built from ``snapshot``): skip converting them again.
    plain: bool = False


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 of the entry's recorded fields and the previous entry's hash."""
    payload = [
        entry.seq,
        entry.at.astimezone(dt.UTC).isoformat(),
        entry.actor_id,
        entry.actor_username,
        entry.ip,
        entry.action,
        entry.object_type,
        entry.object_pk,
        entry.object_repr,
        entry.region_code,
        entry.changes,
        entry.note,
        entry.prev_hash,
    ]
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _head(*, lock: bool) -> AuditChainHead:
    """The chain head row; migration 0002 creates it, and so does this after a database flush."""
    heads = AuditChainHead.objects.select_for_update() if lock else AuditChainHead.objects
    head, _created = heads.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
    return head


#: ``entry_hash``'s JSON, made once: ``json.dumps`` with options builds a new encoder per call.
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def audit_record_many(*, actor, changes: list[Change]) -> list[AuditEntry]:
    """Append ``changes`` to the chain, in order, in the caller's transaction."""
    if not changes:
        return []
    now = timezone.now()
    ip = current_ip.get()
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    username = actor.get_username() if actor_id else ""
    # ``entry_hash``'s payload is a JSON list, so its text is its items' texts joined by commas:
    # the items every entry of the batch shares are written once, and each entry's changes once
    # (for its hash and, in a COPY, for its jsonb column). ``audit_verify_chain`` recomputes
    # every entry with ``entry_hash``; the tests that append and verify hold the two equal.
    at = _encode(now.astimezone(dt.UTC).isoformat())
    shared = f",{at},{_encode(actor_id)},{_encode(username)},{_encode(ip)},"
    # An import's thousands of entries go in with COPY, each as soon as it is hashed (the server
    # stores one while the next is made), its changes as the JSON text written for its hash.
    bulk = len(changes) >= 500
    with transaction.atomic():
        # Locking the head serialises appends: two writers can never both link to one entry.
        head = _head(lock=True)
        entries = []
        prev_hash, seq = head.hash, head.seq
        ids = iter(next_ids(AuditEntry, len(changes)) if bulk else ())
        with copy_writer(AuditEntry, _COPIED) if bulk else nullcontext() as write:
            for change in changes:
                instance = change.instance
                seq += 1
                entry = AuditEntry(
                    seq=seq,
                    at=now,
                    actor_id=actor_id,
                    actor_username=username,
                    ip=ip,
                    action=change.action,
                    object_type=change.object_type
                    or (object_type_of(instance) if instance else ""),
                    object_pk=change.object_pk or (str(instance.pk) if instance else ""),
                    object_repr=(change.object_repr or (str(instance) if instance else ""))[:200],
                    region_code=(
                        change.region_code
                        if change.region_code is not None
                        else (region_code_of(instance) if instance else "")
                    ),
                    changes=(change.changes or {})
                    if change.plain
                    else _plain(change.changes or {}),
                    note=change.note,
                    prev_hash=prev_hash,
                )
                changes_text = _encode(entry.changes)
                text = (
                    f"[{seq}{shared}"
                    + _encode(
                        [
                            entry.action,
                            entry.object_type,
                            entry.object_pk,
                            entry.object_repr,
                            entry.region_code,
                        ]
                    )[1:-1]
                    + f",{changes_text},"
                    + _encode([entry.note, prev_hash])[1:]
                )
                entry.hash = prev_hash = hashlib.sha256(text.encode()).hexdigest()
                entries.append(entry)
                if bulk:
                    entry.pk = next(ids)
                    row = list(_copied_values(entry))
                    row[_CHANGES_AT] = changes_text
                    write(row)
        if bulk:
            for entry in entries:
                entry._state.adding = False
                entry._state.db = DEFAULT_DB_ALIAS
        else:
            AuditEntry.objects.bulk_create(entries)
        head.seq, head.hash = seq, prev_hash
        head.save(update_fields=["seq", "hash"])
    return entries


_COPIED = [f.attname for f in AuditEntry._meta.concrete_fields]
_CHANGES_AT = _COPIED.index("changes")
_copied_values = operator.attrgetter(*_COPIED)


def audit_record(*, actor, action: str, instance=None, changes=None, note="", **kw) -> AuditEntry:
    """Append one entry; see ``Change`` for the fields."""
    change = Change(action=action, instance=instance, changes=changes, note=note, **kw)
    return audit_record_many(actor=actor, changes=[change])[0]


def audit_created(*, actor, instance, note: str = "") -> AuditEntry:
    after = snapshot(instance)
    return audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=instance,
        changes={k: [None, v] for k, v in after.items()},
        note=note,
    )


def audit_updated(*, actor, instance, before: dict[str, Any], note: str = ""):
    """Record an update; nothing is written when no audited field changed."""
    changes = diff(before, snapshot(instance))
    if not changes:
        return None
    return audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=instance, changes=changes, note=note
    )


def audit_deleted(*, actor, instance, note: str = "") -> AuditEntry:
    before = snapshot(instance)
    return audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=instance,
        changes={k: [v, None] for k, v in before.items()},
        note=note,
    )


@dataclass
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def audit_verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every link in order; report the first entry whose link does not hold."""
    from django.utils.translation import gettext as _

    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainReport(
                checked,
                expected_seq,
                _("Entry %(seq)s is missing (the next one is %(found)s).")
                % {"seq": expected_seq, "found": entry.seq},
            )
        if entry.prev_hash != expected_prev:
            return ChainReport(
                checked,
                entry.seq,
                _("Entry %(seq)s does not link to the entry before it.") % {"seq": entry.seq},
            )
        if entry_hash(entry) != entry.hash:
            return ChainReport(
                checked,
                entry.seq,
                _("Entry %(seq)s was altered after it was written.") % {"seq": entry.seq},
            )
        expected_prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = _head(lock=False)
    if head.seq != checked or head.hash != expected_prev:
        return ChainReport(
            checked,
            checked + 1 if head.seq > checked else checked,
            _("Entries after %(seq)s were removed: the chain head records %(head)s entries.")
            % {"seq": checked, "head": head.seq},
        )
    return ChainReport(checked)


#: Models whose history page exists: object type label → model. Apps add theirs in ``ready()``.
HISTORY_MODELS: dict[str, type[models.Model]] = {}


def register_history(model: type[models.Model]) -> type[models.Model]:
    HISTORY_MODELS[object_type_of(model)] = model
    return model
