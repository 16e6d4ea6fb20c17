"""Writing many rows at once (an import): the values prepared for the database as the ORM
prepares them, without the ORM's cost per value.

``QuerySet.bulk_create`` compiles every value of every row through the SQL compiler (an
expression check, ``pre_save``, ``get_db_prep_save``): for an import of 10,000 stays and their
persons that took most of the commit. Here a value of a plain type the database takes as it is
(a ``str`` of a CharField, an ``int`` of an IntegerField or a foreign key, ``None``) is passed
on unchanged, and every other value is prepared by its own field, as the ORM would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from operator import attrgetter
from typing import Any

from django.db import connections, models, router
from django.db.models import Field
from django.db.models.sql import InsertQuery
from django.db.models.sql.compiler import SQLInsertCompiler

# Fields whose value of this exact type (or None) the database takes as it is: preparing it
# (``get_db_prep_save``) would give it back unchanged. Every other value is prepared.
PLAIN_TYPES: dict[str, type] = {
    "CharField": str,
    "TextField": str,
    "BooleanField": bool,
    "IntegerField": int,
    "SmallIntegerField": int,
    "BigIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "PositiveBigIntegerField": int,
    "AutoField": int,
    "BigAutoField": int,
    "ForeignKey": int,
}


# Fields whose value of this type the database takes once its backend has adapted it (what
# ``get_db_prep_save`` does to an aware datetime or a date, after checks that such a value
# passes), and whose None stays None.
_ADAPTED_TYPES: dict[str, tuple[type, str]] = {
    "DateTimeField": (datetime, "adapt_datetimefield_value"),
    "DateField": (date, "adapt_datefield_value"),
}


def preparer(fields: Sequence[Field], connection: Any) -> Callable[[Sequence[Any]], list[Any]]:
    """A function of a row of values (one per field) that gives them as the database takes
    them: what ``get_db_prep_save`` gives, without its cost for the common values."""
    plan = []
    for field in fields:
        internal = field.get_internal_type()
        adapted, adapter = _ADAPTED_TYPES.get(internal, (None, ""))
        plan.append(
            (
                field,
                PLAIN_TYPES.get(internal),
                adapted,
                getattr(connection.ops, adapter) if adapter else None,
            )
        )

    def prepare(values: Sequence[Any]) -> list[Any]:
        row = []
        for (field, plain, adapted, adapt), value in zip(plan, values, strict=True):
            if type(value) is plain or (value is None and (plain or adapted)):
                row.append(value)
            elif type(value) is adapted and (adapted is date or value.utcoffset() is not None):
                row.append(adapt(value))
            elif hasattr(value, "resolve_expression"):
                raise TypeError(f"{field}: a value is written here, not an expression.")
            else:
                row.append(field.get_db_prep_save(value, connection))
        return row

    return prepare


def bulk_insert(
    model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 500
) -> None:
    """Insert the new records ``objs`` (no pk yet) as ``model.objects.bulk_create(objs,
    batch_size=batch_size)`` does: each field's ``pre_save`` (``auto_now_add``, a file to
    store), each related record's pk taken over (a stay's person made just before), the pks
    read back, each record then saved (``_state``). No signal is sent, as ``bulk_create``
    sends none; a manager's own ``bulk_create`` is not called.

    Where the database cannot return the pks of a multi-row INSERT, or the model is not a
    plain table with an automatic pk, this is ``bulk_create`` itself."""
    opts = model._meta
    connection = connections[router.db_for_write(model)]
    if (
        not connection.features.can_return_rows_from_bulk_insert
        or opts.parents
        or opts.db_returning_fields != [opts.pk]
        or not isinstance(opts.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
        or any(obj.pk is not None for obj in objs)
    ):
        model._base_manager.bulk_create(objs, batch_size=batch_size)
        return
    fields = [f for f in opts.concrete_fields if f is not opts.pk and not f.generated]
    # A field's value is its pre_save's where that does more than read the attribute (dates,
    # files).
    getters = [
        partial(f.pre_save, add=True)
        if type(f).pre_save is not Field.pre_save
        else attrgetter(f.attname)
        for f in fields
    ]
    quote = connection.ops.quote_name
    returning, returning_params = connection.ops.return_insert_columns([opts.pk])
    prepare = preparer(fields, connection)
    head = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)})"
    # A backend's own form of a multi-row INSERT (PostgreSQL's UNNEST of one array per column,
    # which it plans faster than thousands of placeholders), else the rows' VALUES.
    compiler = InsertQuery(model).get_compiler(connection=connection)
    own_form = type(compiler).assemble_as_sql is not SQLInsertCompiler.assemble_as_sql
    row_sql = f"({', '.join(['%s'] * len(fields))})"
    size = max(1, min(batch_size, connection.ops.bulk_batch_size(fields, objs) or batch_size))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            rows = []
            for obj in batch:
                obj._prepare_related_fields_for_save(operation_name="bulk_create")
                rows.append(prepare([get(obj) for get in getters]))
            if own_form:
                placeholders, param_rows = compiler.assemble_as_sql(fields, rows)
                values = connection.ops.bulk_insert_sql(fields, placeholders)
                params = [p for row in param_rows for p in row]
            else:
                values = f"VALUES {', '.join([row_sql] * len(batch))}"
                params = [p for row in rows for p in row]
            cursor.execute(f"{head} {values} {returning}", [*params, *returning_params])
            pks = [row[0] for row in cursor.fetchall()]
            for obj, pk in zip(batch, pks, strict=True):
                setattr(obj, opts.pk.attname, pk)
                obj._state.adding = False
                obj._state.db = connection.alias
