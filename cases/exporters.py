"""The cases app's list exports: the stay list and the other station lists, as sheets (ID numbers
masked, minors not named to a reader who may not see them, text neutralised)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet
from openpyxl import Workbook

from rescue_station.exporting import XlsxExporter

from . import ledger
from .models import LongStay, SafetyCheck, Stay, StreetPatrol, Ticket

# The columns of each station list's Excel export.
EXPORT_FIELDS: dict[type[models.Model], list[str]] = {
    StreetPatrol: [
        "patrol_date",
        "area",
        "campaign",
        "persons_met",
        "helped_in_place",
        "brought_in",
        "note",
    ],
    Ticket: ["channel", "number", "received_at", "deadline", "handled_at", "summary", "outcome"],
    SafetyCheck: ["checked_on", "item", "hazard_found", "hazard", "fixed_on", "checked_by"],
    LongStay: [
        "person",
        "hukou_registered_on",
        "special_hardship_enrolled_on",
        "institution",
        "placed_on",
        "ended_on",
    ],
}


class ListXLSX(XlsxExporter):
    """A list under one header row: the export counts its rows for the access log."""

    def rows(self, workbook: Workbook) -> int:
        return workbook.active.max_row - 1


class StayListXLSX(ListXLSX):
    """The stay list as filtered on its page."""

    identifier = "stays"
    verbose_name = "Excel"

    def __init__(self, stays: QuerySet[Stay], *, show_minors: bool, today: datetime.date) -> None:
        self.stays = stays
        self.show_minors = show_minors
        self.today = today

    def filename(self) -> str:
        return f"救助记录-{self.today:%Y%m%d}.xlsx"

    def workbook(self) -> Workbook:
        return ledger.export_workbook(self.stays, show_minors=self.show_minors, today=self.today)


class RecordListXLSX(ListXLSX):
    """A station list (patrols, tickets, safety checks, long stays), one column per field."""

    identifier = "records"
    verbose_name = "Excel"

    def __init__(self, records: QuerySet[Any], *, show_minors: bool, today: datetime.date) -> None:
        self.records = records
        self.fields = EXPORT_FIELDS[records.model]
        self.show_minors = show_minors
        self.today = today

    def filename(self) -> str:
        return f"{self.records.model._meta.model_name}-{self.today:%Y%m%d}.xlsx"

    def workbook(self) -> Workbook:
        title = str(self.records.model._meta.verbose_name_plural)
        return ledger.records_workbook(
            self.records, self.fields, title, show_minors=self.show_minors
        )
