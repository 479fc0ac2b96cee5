"""Bulk writes for large loads (imports, the audit trail of an import): PostgreSQL COPY.

``bulk_create`` on PostgreSQL sends arrays through UNNEST, and quoting every JSON value for an
array literal dominates the time for thousands of rows; COPY streams the rows instead. An import
of tens of thousands of rows need not build a model instance per row either: ``copy_rows`` takes
plain tuples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, models


def _getter(field: models.Field):
    """How one column's value is read off an object: psycopg's COPY dumpers take Python values
    as they are (str, int, Decimal, date, aware datetime, None); JSON goes in as jsonb."""
    from psycopg.types.json import Jsonb

    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.pre_save(obj, add=True)
    if isinstance(field, models.JSONField):
        attname = field.attname
        return lambda obj: Jsonb(getattr(obj, attname))
    attname = field.attname
    return lambda obj: getattr(obj, attname)


def next_ids(model: type[models.Model], n: int) -> list[int]:
    """``n`` primary keys drawn from the table's sequence, in one query."""
    if n <= 0:
        return []
    meta = model._meta
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, n],
        )
        return [value for (value,) in cursor.fetchall()]


@contextmanager
def copy_writer(model: type[models.Model], attnames: Sequence[str]):
    """A COPY into the model's table, in the caller's transaction: yields ``write(row)`` for
    tuples of Python values in the order of ``attnames`` (the model's field attnames, primary
    key included; a JSON column takes the JSON text or a ``Jsonb``). Rows go to the server as
    they are written, so it stores them while the caller makes the next. No signals, no model
    instances."""
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(_field_name(meta, a)).column) for a in attnames)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        yield copy.write_row


def copy_rows(model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence]) -> None:
    """COPY ``rows`` (see ``copy_writer``) into the model's table."""
    with copy_writer(model, attnames) as write:
        for row in rows:
            write(row)


def _field_name(meta, attname: str) -> str:
    for field in meta.concrete_fields:
        if field.attname == attname:
            return field.name
    raise ValueError(attname)


def copy_insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` with COPY, primary keys drawn from the table's sequence first and set on
    the objects (as ``bulk_create`` does). Runs in the caller's transaction; no signals."""
    if not objs:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    for obj, value in zip(objs, next_ids(model, len(objs)), strict=True):
        obj.pk = value
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    getters = [_getter(f) for f in fields]
    copy_rows(
        model,
        [f.attname for f in fields],
        ([get(obj) for get in getters] for obj in objs),
    )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
