"""Audit helpers: every write made through a service records who made it.

History itself is kept by django-simple-history (a ``history = HistoricalRecords()`` on each
model). The request middleware names the user for writes made in a view; services are also called
from commands and imports, so they name the acting user explicitly with ``save_audited``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


def save_audited(obj: models.Model, *, acting_user: Any, reason: str = "") -> models.Model:
    """Validate and save ``obj``, recording ``acting_user`` (and a reason) in its history row."""
    obj.full_clean()
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    obj.save()
    return obj


def delete_audited(obj: models.Model, *, acting_user: Any, reason: str = "") -> None:
    """Delete ``obj``, recording who deleted it in its history."""
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    obj.delete()


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
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                changes.append(
                    {
                        "field": getattr(field, "verbose_name", change.field),
                        "old": _readable(field, change.old),
                        "new": _readable(field, change.new),
                    }
                )
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
