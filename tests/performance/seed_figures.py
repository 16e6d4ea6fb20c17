"""The seed's 2024 figures the tests need (copied here: the project tests without /work/shared)."""

from decimal import Decimal

from budget.api import BASIC, PERSONNEL, PROJECT, PUBLIC, Amounts, BudgetBlock
from rescue_station.formatting import wan_to_yuan

# Expected actuals of the 2024 metrics (seed `metrics`), which the test metrics return.
ACTUALS_2024 = {
    "cases.person_days": "5577",
    "cases.street_patrols": "156",
    "cases.street_persons_assisted": "780",
    "cases.escorted_home": "107",
    "minors.children_cared_for": "1912",
    "minors.care_activities": "26",
    "minors.guardianship_assessments": "16",
    "cases.campaign_area_coverage_rate": "100.00",
    "cases.temperature_check_rate": "100.00",
    "cases.sick_treated_rate": "100.00",
    "cases.tracing_coverage_rate": "100.00",
    "cases.care_rate": "100.00",
    "cases.ticket_timely_rate": "100.00",
    "minors.intervention_rate": "100.00",
    "minors.counselling_rate": "100.00",
    "cases.safety_incidents": "0",
    "cases.satisfaction_rate": "98.00",
    "budget.execution_rate": "99.96",
}
# The seed's printed scores, line by line (indicator name -> score).
SCORES_2024 = {
    "流浪乞讨救助人次数": "2.2",
    "留守（困境）儿童家庭监护评估与指导次数": "2",
    "救助服务水平进一步提升，维护社会稳定": "10",
    "安全事故发生率": "10",
    "生活无着流浪乞讨救助对象及未成年人满意度": "20",
    "预算执行率": "20",
}


def _w(value: str) -> Decimal:
    return wan_to_yuan(value)


def amounts(initial: str, adjusted: str, executed: str) -> Amounts:
    return Amounts(initial=_w(initial), adjusted=_w(adjusted), executed=_w(executed))


def block_2024(station_code: str = "zhuzhou") -> BudgetBlock:
    """The seed's funds block (万元 in the seed, yuan here). The initial split and the adjusted
    split of basic expenditure are not printed: assumed splits that add up, the adjusted one the
    demo ledger's (personnel fully spent), so that no cut is executed above its budget."""
    return BudgetBlock(
        station_code=station_code,
        year=2024,
        total=amounts("720.16", "1083.17", "1082.78"),
        by_source={
            "一般公共预算": amounts("720.16", "1063.17", "1062.78"),
            "政府性基金": amounts("0", "20", "20"),
            "国有资本经营预算": amounts("0", "0", "0"),
            "社会保险基金预算": amounts("0", "0", "0"),
            "纳入专户管理的非税收入": amounts("0", "0", "0"),
            "其他资金": amounts("0", "0", "0"),
        },
        by_nature={
            BASIC: amounts("620.16", "666.17", "665.78"),
            PERSONNEL: amounts("520.16", "562.58", "562.58"),
            PUBLIC: amounts("100", "103.59", "103.2"),
            PROJECT: amounts("100", "417", "417"),
        },
    )
