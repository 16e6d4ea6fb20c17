"""Narrative sentences drafted from the figures of the year; the finance officer edits them.

Pure text from plain values: the metrics of the year (``{key: Decimal | None}``), the funds block
and the evaluation's rows. A sentence whose figures are missing is left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from budget.api import BASIC, PERSONNEL, PROJECT, PUBLIC, BudgetBlock

from .report import Report, plain, wan

# The metrics a draft uses (all optional).
DRAFT_METRICS = [
    "cases.intakes",
    "cases.person_days",
    "minors.minors_in_station",
    "cases.family_pickups",
    "cases.escorted_home",
    "cases.platform_dispatches",
    "cases.hotline_tickets",
    "cases.hukou_registrations",
    "cases.special_hardship_enrolled",
    "cases.tracing_successes",
    "cases.street_patrols",
    "cases.street_persons_assisted",
    "cases.safety_hazards_fixed",
    "cases.safety_incidents",
    "minors.children_visited",
    "minors.children_long_term_followup",
    "minors.classes",
    "minors.class_students",
]


def _wan(amount: Decimal) -> str:
    """万元 as the report writes it: 665.78, 417 (no trailing zeros)."""
    return plain(Decimal(wan(amount)))


def _clauses(values: Mapping[str, Decimal | None], parts: list[tuple[str, str]]) -> list[str]:
    return [
        template.format(plain(values[key]))
        for key, template in parts
        if values.get(key) is not None
    ]


def draft_sections(
    *, year: int, values: Mapping[str, Decimal | None], block: BudgetBlock, report: Report
) -> dict[str, str]:
    drafts: dict[str, str] = {}
    nature = block.by_nature
    if BASIC in nature and PROJECT in nature:
        text = (
            f"{year}年基本支出{_wan(nature[BASIC].executed)}万元，"
            f"项目支出{_wan(nature[PROJECT].executed)}万元"
        )
        if PERSONNEL in nature and PUBLIC in nature:
            text += (
                f"，其中人员经费{_wan(nature[PERSONNEL].executed)}万元，"
                f"公用经费{_wan(nature[PUBLIC].executed)}万元"
            )
        drafts["budget"] = text + "。"
    fund = block.by_source.get("政府性基金")
    if fund is not None:
        drafts["government_funds"] = (
            f"{year}年政府性基金预算支出{_wan(fund.executed)}万元。" if fund.executed else "无。"
        )

    paragraphs = []
    intake = _clauses(
        values,
        [
            ("cases.intakes", "全年共救助流浪乞讨人员{}人次"),
            ("cases.person_days", "（{}人天次）"),
        ],
    )
    rest = _clauses(
        values,
        [
            ("minors.minors_in_station", "未成年人{}人次"),
            ("cases.family_pickups", "通知家属接领{}人"),
            ("cases.escorted_home", "护送返乡{}人"),
            ("cases.platform_dispatches", "城管数字平台出动{}次"),
            ("cases.hotline_tickets", "及时处理市长热线{}件"),
        ],
    )
    if intake or rest:
        paragraphs.append(
            "".join(intake) + ("，" if intake and rest else "") + "，".join(rest) + "。"
        )
    more = _clauses(
        values,
        [
            ("cases.hukou_registrations", "为{}名长期流浪乞讨无户口人员办理了落户"),
            ("cases.special_hardship_enrolled", "其中为{}人办理了特困社会保障"),
            ("cases.tracing_successes", "助力寻亲成功{}人"),
            ("cases.street_patrols", "开展街面巡查{}次"),
            ("cases.street_persons_assisted", "街面救助{}人"),
            ("cases.safety_hazards_fixed", "累计治理排除安全隐患{}个"),
        ],
    )
    if more:
        paragraphs.append("，".join(more) + "。")
    if values.get("cases.safety_incidents") == 0:
        paragraphs.append("全年未发生一起安全责任事故。")
    minors = _clauses(
        values,
        [
            ("minors.children_visited", "走访慰问{}名困境未成年人"),
            ("minors.children_long_term_followup", "为{}名农村留守、困境儿童提供长期跟进"),
            ("minors.classes", "累计开展公益课堂{}节次"),
            ("minors.class_students", "覆盖学生{}人次"),
        ],
    )
    if minors:
        paragraphs.append("，".join(minors) + "。")
    paragraphs.append(f"{year}年度整体支出绩效自评得分{report.total}分，等级为“{report.grade}”。")
    drafts["performance"] = "\n\n".join(paragraphs)

    lost = [r for r in report.rows if r.lost_points]
    if lost:
        lines = ["预算支出执行偏离绩效目标的情况及原因如下："]
        for number, row in enumerate(lost, start=1):
            reason = f"原因是{row.deviation}" if row.deviation else "原因待分析。"
            lines.append(
                f"{number}、{row.name}目标值为{row.target}，全年实际完成值为{row.actual or '—'}。{reason}"
            )
        drafts["problems"] = "\n\n".join(lines)
        measures = [r.measure for r in lost if r.measure]
        if measures:
            drafts["next_steps"] = "\n\n".join(
                f"（{'一二三四五六七八九十'[i] if i < 10 else i + 1}）{m}"
                for i, m in enumerate(measures)
            )
    return drafts
