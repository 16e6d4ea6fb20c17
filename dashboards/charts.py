"""A chart as plain data: what ECharts draws (``spec``, through ``json_script``) and the table of
the same numbers printed beside it (for copying, for screen readers, and without JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal | int | None]
    type: str = "bar"  # "bar" or "line"
    axis: int = 0  # 1: the right-hand axis (a rate beside amounts)
    statuses: list[str] | None = None  # a judgment per point: its colour
    labels: bool = False  # print each value on the chart


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    categories: list[str]
    series: list[Series]
    kind: str = "bars"  # "bars" (vertical) or "hbars" (horizontal, one row a category)
    percent: bool = False  # the left axis is in percent
    percent2: bool = False  # the right axis is in percent
    unit: str = ""
    mark: tuple[Decimal, str] | None = None  # a reference line: (value, label), e.g. the time gone
    max: int | None = None
    links: list[str | None] = field(default_factory=list)  # the records behind each category
    transpose: bool = False  # the table has a column a category (months), a row a series
    colors: list[str] | None = None

    def spec(self) -> dict[str, Any]:
        """What static/js/charts.js reads."""

        def number(value: Decimal | int | None) -> float | int | None:
            if value is None:
                return None
            return int(value) if isinstance(value, int) else float(value)

        series = []
        for s in self.series:
            data: list[Any] = [number(v) for v in s.values]
            if s.statuses:
                data = [
                    {"value": v, "status": status}
                    for v, status in zip(data, s.statuses, strict=True)
                ]
            series.append(
                {"name": s.name, "type": s.type, "axis": s.axis, "data": data, "labels": s.labels}
            )
        spec: dict[str, Any] = {
            "kind": self.kind,
            "categories": self.categories,
            "series": series,
            "percent": self.percent,
            "percent2": self.percent2,
            "description": self.title,
        }
        if self.mark:
            spec["mark"] = {"value": float(self.mark[0]), "label": self.mark[1]}
        if self.max is not None:
            spec["max"] = self.max
        if self.colors:
            spec["colors"] = self.colors
        return spec

    @property
    def size(self) -> str:
        """The chart's height class (a class, since the CSP allows no style attribute): a
        horizontal chart grows with its rows."""
        if self.kind != "hbars":
            return "m"
        rows = len(self.categories)
        return "s" if rows <= 4 else "m" if rows <= 7 else "l" if rows <= 12 else "xl"

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"

    def rows(self) -> list[tuple[str, str | None, list[str]]]:
        """(category, link, [value of each series as printed]) for the table beside the chart."""
        links = self.links or [None] * len(self.categories)
        return [
            (
                category,
                links[i],
                ["—" if s.values[i] is None else _printed(s.values[i]) for s in self.series],
            )
            for i, category in enumerate(self.categories)
        ]

    def series_rows(self) -> list[tuple[str, list[str]]]:
        """(series, [value of each category as printed]): the table of a transposed chart."""
        return [
            (s.name, ["—" if v is None else _printed(v) for v in s.values]) for s in self.series
        ]


def _printed(value: Decimal | int) -> str:
    return str(value)
