"""Indexes for the stay list's search on PostgreSQL (cases.selectors.stay_search).

The search compares ``UPPER(column::text)`` (Django's istartswith and icontains), so each index
is on that expression: a b-tree with text_pattern_ops (the operator class of ``LIKE 'x%'`` on
text; ``varchar_pattern_ops`` is its twin for varchar) for prefixes, and a pg_trgm GIN index for
containment of three characters or more. SQLite skips them (same results, scanned)."""

from django.db import migrations

from rescue_station.migration_operations import RunSQLOnPostgres, TrigramExtensionOnPostgres

PREFIX = "CREATE INDEX {name} ON cases_person (UPPER({column}::text) text_pattern_ops)"
TRIGRAM = "CREATE INDEX {name} ON cases_person USING gin (UPPER({column}::text) gin_trgm_ops)"
INDEXES = [
    ("person_name_prefix", PREFIX, "name"),
    ("person_name_trigram", TRIGRAM, "name"),
    ("person_placeholder_prefix", PREFIX, "placeholder_no"),
    ("person_placeholder_trigram", TRIGRAM, "placeholder_no"),
    ("person_id_number_prefix", PREFIX, "id_number"),
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_stay_list_and_board_indexes")]

    operations = [
        # Needs the pg_trgm extension available on the server (README, Deployment).
        TrigramExtensionOnPostgres(),
        *(
            RunSQLOnPostgres(
                sql=sql.format(name=name, column=column), reverse_sql=f"DROP INDEX {name}"
            )
            for name, sql, column in INDEXES
        ),
    ]
