"""Demo records of the minor-protection centre: 2024 as the seed report, a full 2025, 2026 so far.

The minors' stays come from the cases demo (loaded before this one): every minor's stay of the
station without a case gets one, with counselling. The registry, visits, follow-ups, assessments,
interventions and activities are generated here with a fixed seed so that the 2024 metrics equal
``seed/zhuzhou-2024.json``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from cases.models import ExitType, Gender, Source, Stay
from demo.stations import demo_user
from minors.models import (
    Activity,
    ActivityKind,
    AssessmentResult,
    CaseOutcome,
    CaseReason,
    Child,
    ChildCategory,
    CounsellingSession,
    FollowUp,
    GuardianshipAssessment,
    Intervention,
    MandatoryReport,
    MinorCase,
    MinorsPolicy,
    ProviderRole,
    ReportRecipient,
    RiskLevel,
    Visit,
    VisitOccasion,
    VisitStatus,
)
from minors.selectors import policy_for
from rescue_station.models import Station, User
from rescue_station.roles import Role


@dataclass(frozen=True)
class YearPlan:
    """What one year of registry work and activities adds up to (2024: the seed report)."""

    year: int
    new_children: int
    visited: int
    followed: int
    assessments: int
    reported: int
    reported_without_intervention: int
    classes: int
    class_students: int
    care_activities: int
    care_unlinked: int  # participants of care activities who are not registered children


PLANS = [
    YearPlan(2024, 130, 80, 32, 16, 12, 0, 36, 1760, 26, 72),
    YearPlan(2025, 25, 86, 34, 18, 10, 0, 40, 1880, 28, 90),
    YearPlan(2026, 15, 70, 30, 14, 8, 1, 33, 1540, 22, 66),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林谭易彭曾文廖邓龙贺"
GIVEN = "子涵梓轩浩然欣怡雨桐宇航诗琪俊杰嘉怡思远佳琪博文梦瑶一鸣若曦明轩晨阳可馨天佑雅婷"
TOWNSHIPS = {
    "渌口区龙船镇": ["龙船村", "石门村", "双江村"],
    "渌口区淦田镇": ["淦田村", "新桥村", "梅林村"],
    "攸县皇图岭镇": ["皇图岭村", "枫林村"],
    "茶陵县虎踞镇": ["虎踞村", "东山村", "腰潞村"],
    "炎陵县霞阳镇": ["霞阳村", "西草坪村"],
    "醴陵市白兔潭镇": ["白兔潭村", "大林村"],
    "荷塘区仙庾镇": ["仙庾村", "新塘村"],
    "天元区雷打石镇": ["雷打石村", "双联村"],
}
SCHOOLS = [
    "渌口区龙船镇中心小学",
    "淦田镇中学",
    "皇图岭镇中心小学",
    "虎踞镇中学",
    "霞阳镇中心小学",
    "白兔潭镇中学",
    "仙庾镇中心小学",
    "雷打石镇中学",
]
CLASS_THEMES = ["心理健康", "儿童自护", "青春期启蒙", "防溺水安全", "防性侵教育", "网络安全"]
CARE_ACTIVITIES = [
    (ActivityKind.THEME, "“阳光下没有孤独”主题活动"),
    (ActivityKind.ART, "公益美术课堂"),
    (ActivityKind.VOLUNTEER, "志愿实践"),
    (ActivityKind.CAMP, "暑期夏令营"),
    (ActivityKind.GROUP_WORK, "主题团辅"),
]
PARTNERS = ["湖南工业大学青志联", "株洲市虹雨社会工作服务中心", ""]
OUTCOME_BY_EXIT = {
    ExitType.FAMILY_PICKUP: CaseOutcome.RETURNED_TO_GUARDIAN,
    ExitType.ESCORTED_HOME: CaseOutcome.ESCORTED_HOME,
    ExitType.HANDED_TO_POLICE: CaseOutcome.HANDED_TO_POLICE,
    ExitType.TRANSFERRED: CaseOutcome.WELFARE_INSTITUTION,
    ExitType.PLACED_IN_CARE: CaseOutcome.WELFARE_INSTITUTION,
}
REASONS = [CaseReason.RAN_AWAY, CaseReason.ONLINE_CONTACT, CaseReason.OTHER]
ROLES = [ProviderRole.SOCIAL_WORKER, ProviderRole.COUNSELLOR, ProviderRole.LAWYER]


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))


def load(*, station: Station, users: dict[str, User], today: date) -> None:
    MinorsPolicy.objects.get_or_create(station=station)
    worker = demo_user(users, Role.MINORS_WORKER)
    _cases_for_minor_stays(station=station, worker=worker, today=today)
    if not Child.objects.filter(station=station).exists():
        rng = random.Random(2024)
        pool: list[Child] = []
        for plan in PLANS:
            if date(plan.year, 1, 1) <= today:
                _year(rng, station=station, worker=worker, plan=plan, pool=pool, today=today)
        _routine_visits(rng, pool=pool, worker=worker, today=today)
        _schedule_visits(station)
        _planned_visits(station=station, worker=worker, today=today)


def reset(*, station: Station) -> None:
    Activity.objects.filter(station=station).delete()
    CounsellingSession.objects.filter(case__station=station).delete()
    MandatoryReport.objects.filter(case__station=station).delete()
    MinorCase.objects.filter(station=station).delete()
    for model in (Visit, FollowUp, GuardianshipAssessment, Intervention):
        model.objects.filter(child__station=station).delete()
    Child.objects.filter(station=station).delete()
    MinorsPolicy.objects.filter(station=station).delete()


def _cases_for_minor_stays(*, station: Station, worker: User, today: date) -> None:
    """A case for every minor's stay without one, then counselling and details for the cases that
    have none (the cases demo registers stays through its service, which may already have opened
    their cases through the stay_registered event)."""
    stays = Stay.objects.filter(station=station, is_minor=True)
    MinorCase.objects.bulk_create(
        MinorCase(
            station=station,
            stay=stay,
            opened_at=stay.admitted_at,
            opened_on=stay.admitted_on,
            reason=CaseReason.OTHER,
            opened_by=worker,
        )
        for stay in stays.filter(minor_case__isnull=True).order_by("admitted_at", "pk")
    )
    cases = list(
        MinorCase.objects.filter(station=station, stay__isnull=False, counselling__isnull=True)
        .select_related("stay__person")
        .order_by("opened_at", "pk")
    )
    if not cases:
        return
    rng = random.Random(len(cases))
    source_reason = {
        Source.POLICE: CaseReason.POLICE_REFERRAL,
        Source.CITIZEN: CaseReason.CITIZEN_REFERRAL,
    }
    for i, case in enumerate(cases):
        stay = case.stay
        if case.reason == CaseReason.OTHER:
            case.reason = source_reason.get(stay.source, REASONS[i % len(REASONS)])
        case.guardian_name = case.guardian_name or (
            stay.person.name[:1] + "某" if stay.person.name else ""
        )
        case.guardian_relation = case.guardian_relation or rng.choice(
            ["父亲", "母亲", "祖父", "祖母"]
        )
        case.policy_advice = case.policy_advice or "告知未成年人保护相关政策及求助渠道。"
        if stay.left_at and not case.outcome:
            case.outcome = OUTCOME_BY_EXIT.get(stay.exit_type, CaseOutcome.OTHER)
            case.outcome_on = stay.left_on
    MinorCase.objects.bulk_update(
        cases,
        ["reason", "guardian_name", "guardian_relation", "policy_advice", "outcome", "outcome_on"],
        batch_size=500,
    )
    CounsellingSession.objects.bulk_create(
        CounsellingSession(
            case=case,
            held_on=case.stay.admitted_on,
            provider_role=ROLES[i % len(ROLES)],
            provider_name=worker.full_name if i % len(ROLES) == 0 else "",
            notes="心理疏导，缓解紧张情绪，了解离家原因；告知相关政策。",
            recorded_by=worker,
        )
        for i, case in enumerate(cases)
    )
    _the_disclosed_abuse_case(station=station, cases=cases, worker=worker)
    _a_report_still_due(cases=cases)


def _the_disclosed_abuse_case(*, station: Station, cases: list[MinorCase], worker: User) -> None:
    """The 2024 report's case: a girl under 16, referred by police, who disclosed abuse at home."""
    if MandatoryReport.objects.filter(case__station=station).exists():
        return
    candidates = [c for c in cases if c.opened_on.year == 2024]
    girls = [c for c in candidates if c.stay.person.gender == Gender.FEMALE]
    case = (girls or candidates or [None])[0]
    if case is None:
        return
    disclosed = case.opened_at + timedelta(hours=20)
    MinorCase.objects.filter(pk=case.pk).update(
        reason=CaseReason.POLICE_REFERRAL,
        reason_detail="离家出走，由公安转介来站；服务期间透露遭受家人侵害。",
        harm_disclosed_at=disclosed,
    )
    MandatoryReport.objects.create(
        case=case,
        suspicion="未成年人透露在家中遭受家庭成员侵害。",
        reported_at=disclosed + timedelta(hours=2),
        recipient=ReportRecipient.POLICE,
        recipient_unit="株洲市公安局荷塘分局",
        receipt_no="ZZQB-2024-0007",
        follow_up="社工全程陪同与警方对接，提供心理支持；公安已立案调查。",
        recorded_by=worker,
    )


def _a_report_still_due(*, cases: list[MinorCase]) -> None:
    """A minor in the station now who disclosed harm a day and a half ago: the register flags it."""
    present = [c for c in cases if c.stay.left_at is None and c.harm_disclosed_at is None]
    if present:
        case = present[-1]
        disclosed = max(case.opened_at, timezone.now() - timedelta(hours=36))
        MinorCase.objects.filter(pk=case.pk).update(
            reason=CaseReason.ABUSE_DISCLOSED,
            reason_detail="谈话中透露曾遭受监护人打骂，需核实并强制报告。",
            harm_disclosed_at=disclosed,
        )


def _new_child(rng: random.Random, station: Station, registered_on: date) -> Child:
    township = rng.choice(list(TOWNSHIPS))
    category = rng.choices(list(ChildCategory), weights=[6, 3, 1])[0]
    return Child(
        station=station,
        name=_name(rng),
        gender=rng.choice([Gender.MALE, Gender.FEMALE]),
        birth_date=registered_on - timedelta(days=rng.randint(6 * 365, 15 * 365)),
        category=category,
        guardian_name=rng.choice(SURNAMES) + rng.choice(["某某", "某"]),
        guardian_relation=rng.choice(["祖父", "祖母", "外祖母", "父亲", "母亲"]),
        guardian_phone=f"1{rng.randint(3000000000, 9999999999)}",
        school=rng.choice(SCHOOLS),
        township=township,
        village=rng.choice(TOWNSHIPS[township]),
        risk_level=rng.choices(list(RiskLevel), weights=[5, 3, 2])[0],
        registered_on=registered_on,
    )


def _day(rng: random.Random, year: int, today: date, months: tuple[int, int] = (1, 12)) -> date:
    last = date(year, 12, 31) if year < today.year else today
    first = date(year, months[0], 1)
    end = min(last, date(year, months[1], 28))
    if end < first:
        end = first
    return first + timedelta(days=rng.randint(0, (end - first).days))


def _year(
    rng: random.Random,
    *,
    station: Station,
    worker: User,
    plan: YearPlan,
    pool: list[Child],
    today: date,
) -> None:
    year = plan.year
    new = [
        _new_child(rng, station, date(year - 1, 1, 1) + timedelta(days=rng.randint(0, 364)))
        for _ in range(plan.new_children)
    ]
    pool += Child.objects.bulk_create(new)
    visited = rng.sample(pool, plan.visited)
    _visits(rng, year=year, visited=visited, worker=worker, today=today)
    followed = visited[: plan.followed]
    FollowUp.objects.bulk_create(
        FollowUp(
            child=c,
            worker=worker,
            worker_role=ROLES[i % 2],
            started_on=date(year, 1, 1) + timedelta(days=rng.randint(0, 60)),
            ended_on=date(year, 12, 31),
            goal="链接社会资源、心理疏导，帮助其健康成长。",
        )
        for i, c in enumerate(followed)
    )
    GuardianshipAssessment.objects.bulk_create(
        GuardianshipAssessment(
            child=c,
            assessed_on=_day(rng, year, today, (3, 11)),
            assessor=worker,
            result=rng.choice(list(AssessmentResult)),
            guidance="指导监护人关注儿童心理状况，保持与学校沟通。",
        )
        for c in followed[: plan.assessments]
    )
    # A child is reported in difficulty once: later years report other children.
    reported = [c for c in visited[plan.followed :] if c.reported_on is None][: plan.reported]
    for child in reported:
        child.reported_on = _day(rng, year, today, (2, 10))
    Child.objects.bulk_update(reported, ["reported_on"])
    with_intervention = reported[: plan.reported - plan.reported_without_intervention]
    Intervention.objects.bulk_create(
        Intervention(
            child=c,
            started_on=min(c.reported_on + timedelta(days=3), today),
            worker=worker,
            plan="制定个案服务计划：监护支持、心理关爱、学业帮扶。",
            actions="入户评估，链接救助资源。",
            closed_on=date(year, 12, 31) if year < today.year else None,
        )
        for c in with_intervention
    )
    _activities(rng, station=station, plan=plan, named_pool=visited, today=today)


def _visits(
    rng: random.Random, *, year: int, visited: list[Child], worker: User, today: date
) -> None:
    festival = [
        (VisitOccasion.SPRING_FESTIVAL, date(year, 1, 25)),
        (VisitOccasion.CHILDRENS_DAY, date(year, 5, 28)),
    ]
    festival = [(o, d) for o, d in festival if d <= today] or [(VisitOccasion.ROUTINE, today)]
    Visit.objects.bulk_create(
        Visit(
            child=c,
            visited_on=min(day + timedelta(days=rng.randint(0, 6)), today),
            occasion=occasion,
            worker=worker,
            findings="生活基本正常，学习压力较大。",
            help_given="送去慰问品及学习用品。",
        )
        for i, c in enumerate(visited)
        for occasion, day in [festival[i % len(festival)]]
    )


def _split(rng: random.Random, total: int, parts: int, low: int) -> list[int]:
    """``parts`` whole numbers of at least ``low`` that add up to ``total``."""
    cuts = sorted(rng.sample(range(1, total - parts * low + parts), parts - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, total - parts * low + parts], strict=True)]
    return [s - 1 + low for s in sizes]


def _activities(
    rng: random.Random, *, station: Station, plan: YearPlan, named_pool: list[Child], today: date
) -> None:
    classes = [
        Activity(
            station=station,
            kind=ActivityKind.CLASS,
            title=f"“阳光护苗”公益课堂·{rng.choice(CLASS_THEMES)}",
            held_on=_day(rng, plan.year, today, (3, 12)),
            venue=rng.choice(SCHOOLS),
            partner=PARTNERS[1],
            sessions=1,
            participants=n,
        )
        for n in _split(rng, plan.class_students, plan.classes, 20)
    ]
    named = [rng.randint(0, 4) for _ in range(plan.care_activities)]
    unlinked = _split(rng, plan.care_unlinked, plan.care_activities, 1)
    care = []
    for n_named, n_unlinked in zip(named, unlinked, strict=True):
        kind, title = rng.choice(CARE_ACTIVITIES)
        months = (7, 8) if kind == ActivityKind.CAMP else (1, 12)
        activity = Activity(
            station=station,
            kind=kind,
            title=title,
            held_on=_day(rng, plan.year, today, months),
            venue="株洲市未成年人保护中心社会实践基地",
            partner=rng.choice(PARTNERS),
            sessions=1,
            participants=n_named + n_unlinked,
        )
        care.append((activity, rng.sample(named_pool, n_named)))
    Activity.objects.bulk_create([*classes, *(a for a, _ in care)])
    Link = Activity.children.through
    Link.objects.bulk_create(
        Link(activity_id=a.pk, child_id=c.pk) for a, children in care for c in children
    )


def _routine_visits(rng: random.Random, *, pool: list[Child], worker: User, today: date) -> None:
    """Routine visits this year to every child whose visit has come due (eight are left due)."""
    policy = policy_for(pool[0].station) if pool else None
    last_visits = dict(
        Visit.objects.filter(child__in=pool)
        .values("child")
        .annotate(last=Max("visited_on"))
        .values_list("child", "last")
    )
    year_start = date(today.year, 1, 1)
    visits = []
    due = [
        c
        for c in pool
        if last_visits.get(c.pk, c.registered_on) + policy.visit_interval(c.risk_level) <= today
    ]
    for child in due[8:]:
        interval = policy.visit_interval(child.risk_level).days
        earliest = max(
            last_visits.get(child.pk, child.registered_on) + timedelta(days=1), year_start
        )
        day = max(today - timedelta(days=rng.randint(0, interval - 1)), earliest)
        visits.append(
            Visit(
                child=child,
                visited_on=min(day, today),
                occasion=VisitOccasion.ROUTINE,
                worker=worker,
                findings="监护情况稳定。",
                help_given="了解学习生活情况，宣传安全知识。",
            )
        )
    Visit.objects.bulk_create(visits)


def _schedule_visits(station: Station) -> None:
    policy = policy_for(station)
    children = list(Child.objects.filter(station=station).prefetch_related("visits"))
    for child in children:
        done = [v.visited_on for v in child.visits.all() if v.visited_on is not None]
        last = max(done, default=child.registered_on)
        child.next_visit_due = last + policy.visit_interval(child.risk_level)
    Child.objects.bulk_update(children, ["next_visit_due"], batch_size=500)


def _planned_visits(*, station: Station, worker: User, today: date) -> None:
    """Three of the children left due get a visit planned: one for a day already passed (an
    overdue plan), two for days to come; the others stay due with nothing planned. A planned
    visit counts in no figure and does not move the next visit due date."""
    due = Child.objects.filter(station=station, next_visit_due__lte=today).order_by(
        "next_visit_due", "pk"
    )[:3]
    Visit.objects.bulk_create(
        Visit(
            child=child,
            status=VisitStatus.PLANNED,
            planned_on=today + timedelta(days=days),
            occasion=VisitOccasion.ROUTINE,
            worker=worker,
        )
        for child, days in zip(due, (-5, 3, 10), strict=False)
    )
