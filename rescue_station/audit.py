"""Audit helpers: every write made through a service records who made it.

History itself is kept by django-simple-history (a ``history = HistoricalRecords()`` on each
model). The request middleware names the user for writes made in a view; services are also called
from commands and imports, so they name the acting user explicitly with ``save_audited``.

Records that people edit through forms are ``Versioned``: ``save_audited`` saves one only when
its row still has the version the edit started from (``check_version``), and otherwise raises
``EditConflict``, which says who changed what since and when (from the history rows, which keep
the version of each save).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .bulk import preparer
from .models import Versioned


def save_audited(
    obj: models.Model,
    *,
    acting_user: Any,
    reason: str = "",
    expected_version: int | None = None,
) -> models.Model:
    """Validate and save ``obj``, recording ``acting_user`` (and a reason) in its history row.

    A ``Versioned`` record that exists already is saved only from the version it was read with,
    or from ``expected_version`` when given (the version the user's form was loaded from);
    otherwise ``EditConflict`` is raised and nothing is saved.
    """
    _check_versioned(obj, expected_version)
    obj.full_clean()
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    with _one_transaction():
        if isinstance(obj, Versioned) and not obj._state.adding:
            check_version(obj, expected_version)
        obj.save()
    return obj


def delete_audited(
    obj: models.Model, *, acting_user: Any, reason: str = "", expected_version: int | None = None
) -> None:
    """Delete ``obj``, recording who deleted it in its history; a ``Versioned`` record only
    from the version it was read with (or ``expected_version``), as ``save_audited`` saves."""
    _check_versioned(obj, expected_version)
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    with _one_transaction():
        if isinstance(obj, Versioned):
            check_version(obj, expected_version)
        obj.delete()


def _one_transaction() -> AbstractContextManager:
    """The claim of the version and the save in one transaction: the service's own (no savepoint
    per save in an import of thousands of rows; a refusal raises before anything is written, so
    the transaction stays usable), or a new one when called outside any."""
    return nullcontext() if transaction.get_connection().in_atomic_block else transaction.atomic()


def _check_versioned(obj: models.Model, expected_version: int | None) -> None:
    if expected_version is not None and not isinstance(obj, Versioned):
        raise TypeError(f"{type(obj).__name__} has no version to compare")


def check_version(obj: Versioned, expected_version: int | None = None) -> None:
    """Claim the next version of ``obj``, or raise ``EditConflict`` if another save came first.

    The compare and the increment are one ``UPDATE … SET version = version + 1 WHERE pk = … AND
    version = …``: the row stays locked until the transaction ends, so of two writers that start
    from the same version, one saves and the other, once the first has committed, finds no row
    to update. Call it inside the transaction that then saves the record (``save_audited`` does).
    """
    expected = obj.version if expected_version is None else expected_version
    rows = type(obj)._base_manager.filter(pk=obj.pk, version=expected)
    if not rows.update(version=F("version") + 1):
        raise EditConflict.for_record(obj, expected)
    obj.version = expected + 1


@dataclass(frozen=True)
class Save:
    """One save of a record in its history: who, when, and the fields it changed (label and
    new value, as people read them)."""

    who: Any
    when: datetime
    fields: list[tuple[str, Any]] = field(default_factory=list)
    deleted: bool = False


class EditConflict(ValidationError):
    """A save refused: the record was saved (or deleted) by someone else after ``expected``, the
    version the edit started from (None: the edit started before the record was written at all).
    ``current_version`` is the version it has now; a form that shows the other person's changes
    takes it, so that saving again is a decision made knowingly.
    """

    def __init__(
        self,
        *,
        record: models.Model,
        expected: int | None,
        current: int | None,
        saves: list[Save],
        subject: str = "",
    ) -> None:
        self.record = record
        self.expected_version = expected
        self.current_version = current
        self.saves = saves
        self.subject = subject
        super().__init__(self._messages())

    @classmethod
    def for_record(cls, obj: Versioned, expected: int | None) -> EditConflict:
        current = (
            type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        )
        return cls(record=obj, expected=expected, current=current, saves=saves_since(obj, expected))

    def about(self, subject: str) -> EditConflict:
        """The same refusal naming the record (a form over several records says which one;
        the record's own name is left to the form, which knows what its reader may see)."""
        return EditConflict(
            record=self.record,
            expected=self.expected_version,
            current=self.current_version,
            saves=self.saves,
            subject=subject,
        )

    @property
    def deleted(self) -> bool:
        return self.current_version is None

    def _messages(self) -> list[str]:
        if self.subject:
            head = (
                gettext(
                    "Someone else deleted “%(record)s” after you opened the form, so nothing was "
                    "saved."
                )
                if self.deleted
                else gettext(
                    "Someone else saved “%(record)s” after you opened the form, so nothing was "
                    "saved."
                )
            ) % {"record": self.subject}
        elif self.deleted:
            head = gettext(
                "Someone else deleted this record after you opened the form, so nothing was saved."
            )
        else:
            head = gettext(
                "Someone else saved this record after you opened the form, so nothing was saved."
            )
        lines = [head, *(_save_line(save) for save in self.saves)]
        if not self.saves:
            lines.append(gettext("The change left no details in the history."))
        if not self.deleted:
            lines.append(
                gettext(
                    "What you typed is kept below. Check it against their change: saving again "
                    "keeps what you typed."
                )
            )
        return lines


def _save_line(save: Save) -> str:
    values = {
        "who": str(save.who) if save.who is not None else gettext("system"),
        "when": formats.date_format(timezone.localtime(save.when), "Y-m-d H:i"),
    }
    if save.deleted:
        return gettext("%(who)s, %(when)s: deleted the record") % values
    if not save.fields:
        return gettext("%(who)s, %(when)s: saved the record") % values
    changed = gettext("; ").join(
        gettext("%(field)s changed to “%(value)s”")
        % {"field": label, "value": "—" if value in (None, "") else value}
        for label, value in save.fields
    )
    return gettext("%(who)s, %(when)s: %(changes)s") % {**values, "changes": changed}


def saves_since(obj: Versioned, version: int | None) -> list[Save]:
    """The saves of ``obj`` after ``version`` (None: all of them), oldest first, read from its
    history rows."""
    version = -1 if version is None else version
    records = obj.history.select_related("history_user")
    previous = records.filter(version__lte=version).order_by("-history_date", "-history_id").first()
    saves = []
    later = records.filter(version__gt=version).exclude(history_type="-")
    for row in later.order_by("history_date", "history_id"):
        if row.history_type == "+":  # written after the edit began: what it was written with
            fields = _written_fields(obj, row)
        else:
            fields = [(str(c["field"]), c["new"]) for c in _field_changes(obj, row, previous)]
        saves.append(Save(who=row.history_user, when=row.history_date, fields=fields))
        previous = row
    gone = records.filter(history_type="-").order_by("-history_date").first()
    if gone is not None:
        saves.append(Save(who=gone.history_user, when=gone.history_date, deleted=True))
    return saves


# Fields a history row carries that are no change of the record as people see it.
BOOKKEEPING_FIELDS = ["version"]


def _written_fields(obj: models.Model, row: Any) -> list[tuple[str, Any]]:
    """The fields a record was created with (a history row of type +), those with a value."""
    fields = []
    for model_field in obj._meta.concrete_fields:
        if model_field.primary_key or not model_field.editable:
            continue
        value = getattr(row, model_field.attname, None)
        if value not in (None, ""):
            fields.append((str(model_field.verbose_name), _readable(model_field, value)))
    return fields


def _field_changes(obj: models.Model, newer: Any, older: Any) -> list[dict[str, Any]]:
    """The fields that ``newer`` (a history row) changed from ``older``, in readable words."""
    if older is None or newer.history_type != "~":
        return []
    changes = []
    for change in newer.diff_against(older, excluded_fields=BOOKKEEPING_FIELDS).changes:
        model_field = obj._meta.get_field(change.field)
        changes.append(
            {
                "field": getattr(model_field, "verbose_name", change.field),
                "old": _readable(model_field, change.old),
                "new": _readable(model_field, change.new),
            }
        )
    return changes


# Reasons that services record in English, as codes; a reason a user typed is shown as typed.
REASON_LABELS = {
    "intake": _("intake registered"),
    "identity": _("identity filled in or corrected"),
    "checks": _("checks at the door"),
    "care": _("care given"),
    "departure": _("departure"),
    "help refused": _("help refused"),
    "visit recorded": _("visit recorded"),
    "demo data": _("demo data"),
    "placeholder renumbered": _("placeholder number given anew (another person had it too)"),
}
# Fields whose values are ID numbers: shown masked, as in lists.
ID_NUMBER_FIELDS = {"id_number", "guardian_id_number"}


def _readable(field: models.Field, value: Any) -> Any:
    """A stored value as people read it: a choice's label, a related record's name, 是/否, a
    local date, a masked ID number."""
    from .validators import mask_id_number

    if value is None or value == "":
        return value
    if field.name in ID_NUMBER_FIELDS:
        return mask_id_number(str(value))
    if field.many_to_many:
        related = field.related_model._base_manager.filter(
            pk__in=[
                item.get(field.m2m_reverse_field_name()) if isinstance(item, dict) else item
                for item in value
            ]
        )
        return "、".join(sorted(str(r) for r in related))
    if field.many_to_one:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, date):
        return formats.date_format(value, "Y-m-d")
    if isinstance(field, models.FileField):
        return _("file")
    return value


def history_rows(obj: models.Model, limit: int = 50) -> list[dict[str, Any]]:
    """The record's history, newest first: when, who, what was done, what changed and how."""
    rows = []
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(rows) == limit:
            break
        changes = _field_changes(obj, newer, older)
        reason = newer.history_change_reason or ""
        rows.append(
            {
                "when": newer.history_date,
                "who": newer.history_user,
                "type": newer.get_history_type_display(),
                "reason": REASON_LABELS.get(reason, reason),
                "changes": changes,
            }
        )
    return rows


def bulk_history_insert(
    model: type[models.Model],
    records: list[Any],
    *,
    acting_user: Any,
    reason: str,
    update: bool = False,
    batch_size: int = 500,
) -> None:
    """The history rows that ``save_audited`` would leave for ``records`` (created, or changed
    with ``update``), for records written in bulk: the acting user, the reason, each record's
    ``_history_date`` (else now) and the values it has now. A record may be its values alone
    (an object with an attribute per field's attname), as they were at its save.

    simple-history's ``bulk_history_create`` builds a historical instance per row and hands
    them to ``bulk_create``: for an import of 10,000 rows that cost as much as writing the
    records themselves. These rows are plain values, so they go in one ``executemany`` per
    batch, each value prepared for the database by its own field as the ORM would.
    """
    history = model.history.model  # type: ignore[attr-defined]
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    connection = connections[router.db_for_write(history)]
    fields = [history._meta.get_field(f.name) for f in history.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user"]
    fields += [history._meta.get_field(name) for name in extra]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    tracked = len(fields) - len(extra)
    values = [user.pk if user is not None else None]
    now = timezone.now()
    prepare = preparer(fields, connection)
    rows = []
    for record in records:
        own = [getattr(record, f.attname) for f in fields[:tracked]]
        when = getattr(record, "_history_date", now)
        row = [*own, when, reason, "~" if update else "+", *values]
        rows.append(prepare(row))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])
