"""Bulk writes for large loads (imports, the audit trail of an import): PostgreSQL COPY.

``bulk_create`` on PostgreSQL sends arrays through UNNEST, and quoting every JSON value for an
array literal dominates the time for thousands of rows; COPY streams the rows instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models


def copy_supported() -> bool:
    return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"


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


def copy_insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` with COPY, primary keys drawn from the table's sequence first and set on
    the objects (as ``bulk_create`` does). Runs in the caller's transaction; no signals."""
    if not objs:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    table, pk = meta.db_table, meta.pk
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objs)],
        )
        for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = value
        fields = [f for f in meta.concrete_fields if not getattr(f, "generated", False)]
        getters = [_getter(f) for f in fields]
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([get(obj) for get in getters])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
