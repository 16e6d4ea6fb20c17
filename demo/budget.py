"""Demo budget: 2024 as the seed report prints it, a full 2025, and the current year up to today.

2024 (万元) reproduces the seed: initial 720.16, adjusted 1083.17, executed 1082.78; basic 665.78 =
personnel 562.58 + public 103.2 (adjusted 666.17); project 417 by its seven function codes; the 20 of
lottery funds (2296002) as government-fund money. The five mid-year projects have their printed
executed amounts (282.73 + 82 + 5.5 + 5.6 + 5.29 = 381.12) and 406.4 allocated in all. Only what
each spent this year sits in the adjusted budget; the rest of 困难群众救助补助资金 (308.01 allocated,
282.73 spent) is carried forward: 25.28 in all, where the report's text says 381 and 25.39 (its own
figures do not add up; a ledger that sums its lines cannot print that mismatch).
The initial budget had 53.86 for 流浪乞讨人员救助 of the station's own money; it was cut to 15.88
once the province's 困难群众救助补助资金 arrived mid-year.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from budget.models import BudgetLine, Expenditure, FunctionClass, FundingSource, Nature, Project
from budget.reference import ensure_reference_data
from rescue_station.formatting import wan_to_yuan
from rescue_station.models import Station

P, U, J = Nature.PERSONNEL, Nature.PUBLIC, Nature.PROJECT


@dataclass(frozen=True)
class ProjectSpec:
    key: str
    name: str
    basis: str
    code: str
    mid_year: bool
    carried_over: bool
    allocated: str  # 万元


@dataclass(frozen=True)
class LineSpec:
    source: str  # FundingSource.code
    nature: str
    code: str
    project: str | None
    description: str
    initial: str  # 万元
    adjusted: str
    executed: str
    months: tuple[int, int] = (1, 12)  # first and last month with payments
    payments: int = 12  # how many in all (monthly payments when 12 over the whole year)
    what: tuple[str, ...] = ()


PROJECTS_2024 = [
    ProjectSpec("local", "流浪乞讨人员救助管理经费", "", "2082002", False, False, "15.88"),
    ProjectSpec(
        "lottery",
        "救助设施提质改造（彩票公益金）",
        "株财社〔2024〕18号",
        "2296002",
        False,
        False,
        "20",
    ),
    ProjectSpec(
        "hardship", "困难群众救助补助资金", "湘财社〔2022〕30号", "2082002", True, False, "308.01"
    ),
    ProjectSpec("special", "特困人员生活救助", "株民发〔2024〕9号", "2081901", True, False, "82"),
    ProjectSpec(
        "oneoff", "特困人员一次性生活补助", "株财社〔2024〕41号", "2082501", True, False, "5.5"
    ),
    ProjectSpec(
        "mental", "精神卫生福利院建设项目", "株发改〔2021〕236号", "2081099", True, True, "5.6"
    ),
    ProjectSpec(
        "posts", "公益性岗位就业补助资金", "株人社发〔2024〕12号", "2080705", True, False, "5.29"
    ),
]

WAGES = ("发放%d月工资", "发放%d月津贴补贴及绩效工资")
PUBLIC_WHAT = (
    "办公用品采购",
    "水费",
    "电费",
    "燃气费",
    "公务用车加油费",
    "车辆维修保养费",
    "邮电通讯费",
    "物业管理费",
    "设备维修费",
    "差旅费",
    "印刷费",
    "专用材料费",
    "培训费",
    "工会经费",
)
RESCUE_WHAT = (
    "受助人员伙食费",
    "受助人员返乡车票",
    "受助人员医疗救治费",
    "受助人员衣被购置",
    "街面巡查车辆费用",
    "寻亲服务费",
    "护送返乡差旅费",
    "临时安置费",
    "未成年人社会保护活动费",
    "托养机构托养费",
)

LINES_2024 = [
    LineSpec("general", P, "2080201", None, "工资福利支出", "330", "338", "338", what=WAGES),
    LineSpec(
        "general",
        P,
        "2080502",
        None,
        "离退休人员费用",
        "94",
        "96.5",
        "96.5",
        what=("发放%d月离退休费",),
    ),
    LineSpec(
        "general",
        P,
        "2080505",
        None,
        "机关事业单位基本养老保险缴费",
        "51",
        "52.4",
        "52.4",
        what=("缴纳%d月基本养老保险",),
    ),
    LineSpec(
        "general",
        P,
        "2080506",
        None,
        "职业年金缴费",
        "20.4",
        "20.96",
        "20.96",
        what=("缴纳%d月职业年金",),
    ),
    LineSpec(
        "general",
        P,
        "2101102",
        None,
        "事业单位医疗",
        "26.45",
        "27.36",
        "27.36",
        what=("缴纳%d月医疗保险",),
    ),
    LineSpec(
        "general",
        P,
        "2210201",
        None,
        "住房公积金",
        "26.45",
        "27.36",
        "27.36",
        what=("缴存%d月住房公积金",),
    ),
    LineSpec(
        "general",
        U,
        "2080201",
        None,
        "公用经费",
        "98",
        "103.59",
        "103.2",
        payments=96,
        what=PUBLIC_WHAT,
    ),
    LineSpec(
        "general",
        J,
        "2082002",
        "local",
        "流浪乞讨人员救助（本级）",
        "53.86",
        "15.88",
        "15.88",
        months=(1, 5),
        payments=24,
        what=RESCUE_WHAT,
    ),
    LineSpec(
        "government_fund",
        J,
        "2296002",
        "lottery",
        "救助设施提质改造",
        "20",
        "20",
        "20",
        months=(8, 12),
        payments=4,
        what=("救助设施提质改造工程款",),
    ),
    LineSpec(
        "general",
        J,
        "2082002",
        "hardship",
        "困难群众救助补助资金",
        "0",
        "282.73",
        "282.73",
        months=(5, 12),
        payments=120,
        what=RESCUE_WHAT,
    ),
    LineSpec(
        "general",
        J,
        "2081901",
        "special",
        "代管特困人员生活救助",
        "0",
        "82",
        "82",
        months=(3, 12),
        payments=20,
        what=("代管特困人员生活费", "代管特困人员照料护理费", "代管特困人员医疗费"),
    ),
    LineSpec(
        "general",
        J,
        "2082501",
        "oneoff",
        "特困人员一次性生活补助",
        "0",
        "5.5",
        "5.5",
        months=(10, 10),
        payments=1,
        what=("支付托养医院代购特困人员个人物品",),
    ),
    LineSpec(
        "general",
        J,
        "2081099",
        "mental",
        "精神卫生福利院项目前期尾款",
        "0",
        "5.6",
        "5.6",
        months=(4, 9),
        payments=2,
        what=("支付项目可研报告尾款", "支付咨询费尾款"),
    ),
    LineSpec(
        "general",
        J,
        "2080704",
        "posts",
        "公益性岗位社会保险补贴",
        "0",
        "1.71",
        "1.71",
        months=(5, 12),
        payments=8,
        what=("缴纳公益性岗位%d月社会保险",),
    ),
    LineSpec(
        "general",
        J,
        "2080705",
        "posts",
        "公益性岗位补贴",
        "0",
        "3.58",
        "3.58",
        months=(5, 12),
        payments=8,
        what=("发放公益性岗位%d月补贴",),
    ),
]


def _scaled(specs: list[LineSpec], factor: str, executed_share: str) -> list[LineSpec]:
    """Next year's lines: amounts times ``factor``, executed a share of the adjusted."""
    f, share = Decimal(factor), Decimal(executed_share)
    out = []
    for s in specs:
        adjusted = (Decimal(s.adjusted) * f).quantize(Decimal("0.01"), ROUND_HALF_UP)
        executed = adjusted if s.nature == P else (adjusted * share).quantize(Decimal("0.01"))
        out.append(
            LineSpec(
                s.source,
                s.nature,
                s.code,
                s.project,
                s.description,
                str((Decimal(s.initial) * f).quantize(Decimal("0.01"), ROUND_HALF_UP)),
                str(adjusted),
                str(executed),
                s.months,
                s.payments,
                s.what,
            )
        )
    return out


# 2025: salaries up, the care fund carried into the year, no feasibility balance left.
PROJECTS_2025 = [
    ProjectSpec("local", "流浪乞讨人员救助管理经费", "", "2082002", False, False, "30"),
    ProjectSpec(
        "lottery",
        "救助设施提质改造（彩票公益金）",
        "株财社〔2025〕15号",
        "2296002",
        False,
        False,
        "25",
    ),
    ProjectSpec(
        "hardship", "困难群众救助补助资金", "湘财社〔2022〕30号", "2082002", True, True, "320"
    ),
    ProjectSpec("special", "特困人员生活救助", "株民发〔2025〕7号", "2081901", True, False, "86"),
    ProjectSpec(
        "posts", "公益性岗位就业补助资金", "株人社发〔2025〕10号", "2080705", True, False, "5.4"
    ),
]
LINES_2025 = [
    *_scaled([s for s in LINES_2024 if s.nature != J], "1.03", "0.985"),
    LineSpec(
        "general",
        J,
        "2082002",
        "local",
        "流浪乞讨人员救助（本级）",
        "50",
        "30",
        "29.6",
        months=(1, 6),
        payments=30,
        what=RESCUE_WHAT,
    ),
    LineSpec(
        "government_fund",
        J,
        "2296002",
        "lottery",
        "救助设施提质改造",
        "25",
        "25",
        "24.8",
        months=(6, 12),
        payments=5,
        what=("救助设施提质改造工程款",),
    ),
    LineSpec(
        "general",
        J,
        "2082002",
        "hardship",
        "困难群众救助补助资金",
        "0",
        "295",
        "291.35",
        months=(4, 12),
        payments=130,
        what=RESCUE_WHAT,
    ),
    LineSpec(
        "general",
        J,
        "2081901",
        "special",
        "代管特困人员生活救助",
        "0",
        "86",
        "86",
        months=(2, 12),
        payments=22,
        what=("代管特困人员生活费", "代管特困人员照料护理费"),
    ),
    LineSpec(
        "general",
        J,
        "2080704",
        "posts",
        "公益性岗位社会保险补贴",
        "0",
        "1.8",
        "1.8",
        months=(3, 12),
        payments=10,
        what=("缴纳公益性岗位%d月社会保险",),
    ),
    LineSpec(
        "general",
        J,
        "2080705",
        "posts",
        "公益性岗位补贴",
        "0",
        "3.6",
        "3.6",
        months=(3, 12),
        payments=10,
        what=("发放公益性岗位%d月补贴",),
    ),
]
# The current year: planned for the whole year, paid up to today.
PROJECTS_NOW = [
    ProjectSpec("local", "流浪乞讨人员救助管理经费", "", "2082002", False, False, "45"),
    ProjectSpec(
        "lottery",
        "救助设施提质改造（彩票公益金）",
        "株财社〔2026〕11号",
        "2296002",
        False,
        False,
        "20",
    ),
    ProjectSpec(
        "hardship", "困难群众救助补助资金", "湘财社〔2022〕30号", "2082002", True, True, "300"
    ),
    ProjectSpec("special", "特困人员生活救助", "株民发〔2026〕5号", "2081901", True, False, "88"),
]
LINES_NOW = [
    *_scaled([s for s in LINES_2024 if s.nature != J], "1.05", "1"),
    LineSpec(
        "general",
        J,
        "2082002",
        "local",
        "流浪乞讨人员救助（本级）",
        "45",
        "45",
        "45",
        months=(1, 12),
        payments=60,
        what=RESCUE_WHAT,
    ),
    LineSpec(
        "government_fund",
        J,
        "2296002",
        "lottery",
        "救助设施提质改造",
        "20",
        "20",
        "20",
        months=(5, 12),
        payments=4,
        what=("救助设施提质改造工程款",),
    ),
    LineSpec(
        "general",
        J,
        "2082002",
        "hardship",
        "困难群众救助补助资金",
        "0",
        "300",
        "300",
        months=(4, 12),
        payments=130,
        what=RESCUE_WHAT,
    ),
    LineSpec(
        "general",
        J,
        "2081901",
        "special",
        "代管特困人员生活救助",
        "0",
        "88",
        "88",
        months=(2, 12),
        payments=22,
        what=("代管特困人员生活费", "代管特困人员照料护理费"),
    ),
]


def _split(total_cents: int, parts: int, rng: random.Random, even: bool) -> list[int]:
    """``parts`` positive amounts in cents adding up to ``total_cents``."""
    parts = max(1, min(parts, total_cents))
    weights = [1.0] * parts if even else [rng.uniform(0.4, 1.6) for _ in range(parts)]
    scale = total_cents / sum(weights)
    cents = [max(1, int(w * scale)) for w in weights]
    cents[-1] += total_cents - sum(cents)
    return cents


def _payment_dates(spec: LineSpec, year: int, count: int, rng: random.Random) -> list[date]:
    first, last = spec.months
    months = list(range(first, last + 1))
    dates = []
    for n in range(count):
        month = months[n * len(months) // count]
        day = 15 if spec.nature == P else rng.randint(1, calendar.monthrange(year, month)[1])
        dates.append(date(year, month, day))
    return sorted(dates)


def _build_year(
    station: Station, year: int, projects: list[ProjectSpec], lines: list[LineSpec], today: date
) -> None:
    rng = random.Random(2024 + year)
    sources = {s.code: s for s in FundingSource.objects.all()}
    codes = {c.code: c for c in FunctionClass.objects.all()}
    made = Project.objects.bulk_create(
        Project(
            station=station,
            year=year,
            name=p.name,
            basis_document=p.basis,
            function_class=codes[p.code],
            added_mid_year=p.mid_year,
            carried_over=p.carried_over,
            allocated=wan_to_yuan(p.allocated),
        )
        for p in projects
    )
    by_key = {p.key: m for p, m in zip(projects, made, strict=True)}
    budget_lines = BudgetLine.objects.bulk_create(
        BudgetLine(
            station=station,
            year=year,
            source=sources[s.source],
            nature=s.nature,
            function_class=codes[s.code],
            project=by_key[s.project] if s.project else None,
            initial=wan_to_yuan(s.initial),
            adjusted=wan_to_yuan(s.adjusted),
            description=s.description,
        )
        for s in lines
    )
    payments: list[tuple[date, BudgetLine, Decimal, str]] = []
    for spec, line in zip(lines, budget_lines, strict=True):
        cents = _split(
            int(wan_to_yuan(spec.executed) * 100), spec.payments, rng, even=spec.nature == P
        )
        for when, amount in zip(_payment_dates(spec, year, len(cents), rng), cents, strict=True):
            what = rng.choice(spec.what) if spec.what else spec.description
            text = what % when.month if "%d" in what else what
            payments.append((when, line, Decimal(amount) / 100, text))
    payments.sort(key=lambda p: (p[0], p[1].pk))
    seq: dict[int, int] = {}
    rows = []
    for when, line, amount, text in payments:
        if when > today:
            continue
        seq[when.month] = seq.get(when.month, 0) + 1
        rows.append(
            Expenditure(
                line=line,
                station=station,
                fiscal_year=year,
                date=when,
                amount=amount,
                description=text,
                voucher_no=f"记-{year}{when.month:02d}-{seq[when.month]:04d}",
            )
        )
    Expenditure.objects.bulk_create(rows, batch_size=500)


def load(*, station: Station, users: dict[str, Any], today: date) -> None:
    """Create each demo year that the station has no budget lines for yet."""
    ensure_reference_data()
    years = {2024: (PROJECTS_2024, LINES_2024), 2025: (PROJECTS_2025, LINES_2025)}
    if today.year > 2025:
        years[today.year] = (PROJECTS_NOW, LINES_NOW)
    for year, (projects, lines) in years.items():
        if year > today.year or BudgetLine.objects.for_station(station).filter(year=year).exists():
            continue
        _build_year(station, year, projects, lines, today)


def reset(*, station: Station) -> None:
    Expenditure.objects.for_station(station).delete()
    BudgetLine.objects.for_station(station).delete()
    Project.objects.for_station(station).delete()
