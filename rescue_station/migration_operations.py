"""Migration operations for what only PostgreSQL has (index methods, operator classes).

Other databases skip them: the queries give the same rows there, only without those indexes.
The models cannot declare these indexes in ``Meta.indexes`` (``GinIndex`` and ``OpClass`` need
PostgreSQL, and SQLite must migrate too), so they live in migrations alone and
``makemigrations --check`` does not see them; tests check that PostgreSQL has them."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class RunSQLOnPostgres(migrations.RunSQL):
    """``RunSQL`` that runs on PostgreSQL and is a no-op on any other database."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)

    def describe(self) -> str:
        return "Raw SQL operation on PostgreSQL only"


class TrigramExtensionOnPostgres(TrigramExtension):
    """``TrigramExtension`` whose reverse is a no-op off PostgreSQL too (Django's checks the
    vendor going forwards only, and asks SQLite for pg_extension going back)."""

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)
