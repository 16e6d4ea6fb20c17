"""The evaluation as plain data: rows, funds block, total, grade, findings, narrative.

Built once from the scoring result (``build_report``) or read back from a finalised evaluation's
snapshot (``Report.from_snapshot``); the HTML form, the PDF, the XLSX and the JSON all read this.
Every number is already formatted here, as the form prints it, so that the outputs cannot differ.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from itertools import zip_longest
from typing import TYPE_CHECKING, Any

from budget.api import BASIC, PROJECT, BudgetBlock
from rescue_station.findings import Severity
from rescue_station.findings import title as finding_title
from rescue_station.formatting import yuan_to_wan

from . import scoring

if TYPE_CHECKING:
    from .models import Framework, Indicator

LEVEL1_ORDER = ["产出指标", "效益指标", "满意度指标", "成本指标"]
LEVEL2_ORDER = [
    "数量指标",
    "质量指标",
    "时效指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "经济成本指标",
    "社会成本指标",
    "生态环境成本指标",
]
SIGNS = {">=": "≥", ">": ">", "=": "=", "<": "<", "<=": "≤"}
# The form's income rows (按收入性质分) and which budget sources each one shows.
FORM_SOURCES = [
    ("一般公共预算", ("一般公共预算",)),
    ("政府性基金拨款", ("政府性基金",)),
    ("纳入专户管理的非税收入拨款", ("纳入专户管理的非税收入",)),
    # The form has no row of its own for these two; they are 其他资金 on it.
    ("其他资金", ("其他资金", "国有资本经营预算", "社会保险基金预算")),
]
FORM_NATURES = [("基本支出", BASIC), ("项目支出", PROJECT)]


def plain(value: Decimal | None) -> str:
    """A number as entered: no exponent, no trailing zeros (3.00 → 3, 20 → 20, 99.960 → 99.96)."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def wan(value: Decimal | None) -> str:
    wan_value = yuan_to_wan(value)
    return "" if wan_value is None else str(wan_value)


def places_text(value: Decimal | None, places: int) -> str | None:
    if value is None:
        return None
    return str(scoring.round_half_up(value, places))


def printed_target(comparator: str, target: str, unit: str) -> str:
    """年度指标值 as officials write it: ≥7500, =100, 0 for an `=` target of 0, 2024年."""
    if comparator == "period":
        return f"{target}{unit}" if unit and not target.endswith(unit) else target
    if comparator == "qualitative":
        return target
    if comparator == "=" and Decimal(target) == 0:
        return plain(Decimal(target))
    return f"{SIGNS[comparator]}{target}"


def adjusted_target(comparator: str, declared: str, target: str, unit: str) -> str:
    """年度指标值 of a line whose approved target was adjusted: both, 原≥7500，调整为≥6000."""
    current = printed_target(comparator, target, unit)
    if not declared or declared == target:
        return current
    return f"原{printed_target(comparator, declared, unit)}，调整为{current}"


@dataclass
class Row:
    level1: str
    level2: str
    name: str
    comparator: str
    target: str
    unit: str
    actual: str | None
    source: str
    weight: str
    score: str | None
    deviation: str
    measure: str
    printed_target: str = ""
    lost_points: bool = False
    far_exceeded: bool = False
    error: bool = False
    indicator_id: int | None = None
    # The target of the approved 绩效目标表; the target itself when never approved or adjusted
    # (empty in a snapshot frozen before targets were declared: read as the target).
    declared_target: str = ""

    JSON_KEYS = (
        "level1",
        "level2",
        "name",
        "comparator",
        "target",
        "declared_target",
        "unit",
        "actual",
        "source",
        "weight",
        "score",
        "deviation",
        "measure",
    )

    def to_json(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.JSON_KEYS}
        data["declared_target"] = self.declared_target or self.target
        return data

    @property
    def note(self) -> str:
        """偏差原因分析及改进措施 as one cell."""
        return "\n".join(t for t in (self.deviation, self.measure) if t.strip())


@dataclass
class Funds:
    initial: str
    adjusted: str
    executed: str
    rate: str | None
    weight: str
    score: str
    by_source: list[tuple[str, str]] = field(default_factory=list)
    by_nature: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class FindingRow:
    severity: str
    code: str
    lines: list[str]
    message: str

    @property
    def title(self) -> str:
        return finding_title(self.code)


def finding_key(code: str, lines: list[str] | tuple[str, ...]) -> str:
    """What an acknowledgement is of: the finding's code and the lines it names."""
    return f"{code}|{'、'.join(lines)}"


@dataclass
class AcknowledgementRow:
    """An error finding the station head acknowledged in writing to finalise the form as is."""

    code: str
    lines: list[str]
    message: str
    text: str
    by: str
    at: str  # YYYY-MM-DD HH:MM, Asia/Shanghai

    @property
    def title(self) -> str:
        return finding_title(self.code)


@dataclass
class Report:
    station: str
    station_name: str
    year: int
    status: str
    places: int
    budget: Funds
    rows: list[Row]
    total: str
    grade: str
    findings: list[FindingRow]
    declared: dict[str, str] = field(default_factory=dict)
    expected_goals: str = ""
    achieved_goals: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)
    # Set when the evaluation is finalised: the day (YYYY-MM-DD, Asia/Shanghai), printed in the
    # PDF with the digest of the frozen snapshot, which the snapshot itself cannot hold.
    finalised_on: str = ""
    snapshot_sha256: str = ""
    # The error findings acknowledged in writing when the form was finalised as it stood.
    acknowledgements: list[AcknowledgementRow] = field(default_factory=list)

    @property
    def finalised_with_errors(self) -> bool:
        return bool(self.acknowledgements)

    @property
    def is_final(self) -> bool:
        return self.status == "final"

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def errors(self) -> list[FindingRow]:
        return [f for f in self.findings if f.severity == "error"]

    def finding_lines(self) -> dict[str, list[FindingRow]]:
        by_line: dict[str, list[FindingRow]] = {}
        for finding in self.findings:
            for line in finding.lines:
                by_line.setdefault(line, []).append(finding)
        return by_line

    def to_json(self) -> dict[str, Any]:
        """The JSON form of DESIGN.md, exactly; a report finalised with acknowledged errors adds
        ``acknowledgements``."""
        data = {
            "station": self.station,
            "station_name": self.station_name,
            "year": self.year,
            "status": self.status,
            "places": self.places,
            "budget": {
                "initial": self.budget.initial,
                "adjusted": self.budget.adjusted,
                "executed": self.budget.executed,
                "rate": self.budget.rate,
                "weight": self.budget.weight,
                "score": self.budget.score,
            },
            "indicators": [r.to_json() for r in self.rows],
            "total": self.total,
            "grade": self.grade,
            "findings": [
                {"severity": f.severity, "code": f.code, "lines": f.lines, "message": f.message}
                for f in self.findings
            ],
        }
        if self.acknowledgements:
            data["acknowledgements"] = [
                {"code": a.code, "lines": a.lines, "text": a.text, "by": a.by, "at": a.at}
                for a in self.acknowledgements
            ]
        return data

    def to_snapshot(self) -> dict[str, Any]:
        """What a finalised evaluation keeps: the JSON form and everything the form prints."""
        report = asdict(self)
        report.pop("snapshot_sha256")
        return {"evaluation": self.to_json(), "report": report}

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> Report:
        data = dict(snapshot["report"])
        budget = dict(data.pop("budget"))
        budget["by_source"] = [tuple(x) for x in budget["by_source"]]
        budget["by_nature"] = [tuple(x) for x in budget["by_nature"]]
        return cls(
            **{
                **data,
                "budget": Funds(**budget),
                "rows": [Row(**r) for r in data["rows"]],
                "findings": [FindingRow(**f) for f in data["findings"]],
                "acknowledgements": [
                    AcknowledgementRow(**a) for a in data.get("acknowledgements", [])
                ],
                "sections": [tuple(s) for s in data["sections"]],
            }
        )

    def groups(self) -> list[dict[str, Any]]:
        """The indicator rows grouped by level 1, with the row spans of the merged cells."""
        return grouped_rows(self.rows, self.declared)

    @property
    def funds_rows(self) -> list[tuple[tuple[str, str] | None, tuple[str, str] | None]]:
        """The income rows beside the nature rows, as the funds block prints them."""
        return list(zip_longest(self.budget.by_source, self.budget.by_nature))

    @property
    def weights_sum(self) -> str:
        total = Decimal(self.budget.weight) + sum(
            (Decimal(r.weight) for r in self.rows), Decimal(0)
        )
        return plain(total)


def grouped_rows(rows: list[Any], declared: dict[str, str]) -> list[dict[str, Any]]:
    """Rows (with ``level1`` and ``level2``) grouped by level 1, with the row spans of the merged
    cells of the form's grid: ``[{"level1", "declared", "rows": [{"row", "l1_span", "l2_span"}]}]``."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["level1"] != row.level1:
            groups.append({"level1": row.level1, "declared": declared.get(row.level1), "rows": []})
        groups[-1]["rows"].append({"row": row, "l1_span": 0, "l2_span": 0})
    for group in groups:
        items = group["rows"]
        items[0]["l1_span"] = len(items)
        start = 0
        for i in range(1, len(items) + 1):
            if i == len(items) or items[i]["row"].level2 != items[start]["row"].level2:
                items[start]["l2_span"] = i - start
                start = i
    return groups


def _order_key(level: str, order: list[str], seen: dict[str, int]) -> tuple[int, int]:
    if level in order:
        return (0, order.index(level))
    return (1, seen.setdefault(level, len(seen)))


def ordered(indicators: list[Indicator]) -> list[Indicator]:
    """产出 (数量, 质量, 时效), 效益, 满意度, 成本; other groups after; framework order within."""
    seen1: dict[str, int] = {}
    seen2: dict[str, int] = {}
    keyed = [
        (
            _order_key(i.level1, LEVEL1_ORDER, seen1),
            _order_key(i.level2, LEVEL2_ORDER, seen2),
            position,
            i,
        )
        for position, i in enumerate(indicators)
    ]
    return [k[-1] for k in sorted(keyed, key=lambda k: k[:3])]


def funds_rows(
    block: BudgetBlock, amount: str = "adjusted"
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The year's budget in the form's rows, by source and by nature, in 万元 (blank for
    nothing): ``amount`` "adjusted" (全年预算数) or "initial" (年初预算数, as declared)."""
    by_source = []
    for label, sources in FORM_SOURCES:
        total = sum(
            (getattr(block.by_source[s], amount) for s in sources if s in block.by_source),
            Decimal(0),
        )
        by_source.append((label, wan(total) if total else ""))
    by_nature = []
    for label, key in FORM_NATURES:
        total = getattr(block.by_nature[key], amount) if key in block.by_nature else Decimal(0)
        by_nature.append((label, wan(total) if total else ""))
    return by_source, by_nature


def _funds(block: BudgetBlock, budget: scoring.BudgetResult, places: int) -> Funds:
    by_source, by_nature = funds_rows(block)
    return Funds(
        initial=wan(budget.initial),
        adjusted=wan(budget.adjusted),
        executed=wan(budget.executed),
        rate=None if budget.rate is None else str(budget.rate),
        weight=plain(budget.weight),
        score=places_text(budget.score, places) or "",
        by_source=by_source,
        by_nature=by_nature,
    )


def build_report(
    *,
    framework: Framework,
    indicators: list[Indicator],
    result: scoring.Result,
    block: BudgetBlock,
    status: str,
    sections: list[tuple[str, str]],
) -> Report:
    places = framework.places
    results = dict(zip([i.pk for i in indicators], result.lines, strict=True))
    error_lines = {
        line for f in result.findings if f.severity == Severity.ERROR for line in f.lines
    }
    rows = []
    for indicator in ordered(indicators):
        r = results[indicator.pk]
        kind = indicator.kind
        if kind.is_manual_kind:
            actual = indicator.manual_actual.strip() or None
        else:
            actual = None if r.line.actual is None else plain(r.line.actual)
        rows.append(
            Row(
                level1=indicator.level1,
                level2=indicator.level2,
                name=indicator.name,
                comparator=indicator.comparator,
                target=indicator.target,
                unit=indicator.unit,
                actual=actual,
                source=indicator.source,
                weight=plain(indicator.weight),
                score=places_text(r.score, places),
                deviation=indicator.deviation,
                measure=indicator.measure,
                printed_target=adjusted_target(
                    indicator.comparator,
                    indicator.declared_target,
                    indicator.target,
                    indicator.unit,
                ),
                declared_target=indicator.target_as_declared,
                lost_points=r.lost_points,
                far_exceeded=r.far_exceeded,
                error=indicator.name in error_lines,
                indicator_id=indicator.pk,
            )
        )
    return Report(
        station=framework.station.code,
        station_name=framework.station.name,
        year=framework.year,
        status=status,
        places=places,
        budget=_funds(block, result.budget, places),
        rows=rows,
        total=str(result.total),
        grade=result.grade,
        findings=[
            FindingRow(f.severity.value, f.code, list(f.lines), str(f.message))
            for f in result.findings
        ],
        declared={k: plain(v) for k, v in framework.declared().items()},
        expected_goals=framework.expected_goals,
        achieved_goals=framework.achieved_goals,
        sections=sections,
    )


def snapshot_digest(snapshot: dict[str, Any]) -> str:
    """SHA-256 of a snapshot in a canonical form: the same figures give the same digest, whatever
    order the database's JSON column gives the keys back in."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
