"""Demo records of the cases app: 2024 reproduces the seed's cases.* figures exactly, 2025 is a
full year of the same shape, and the current year runs up to today with people in the station.

Rows are generated with ``random.Random(2024)`` and written with ``bulk_create`` (no history rows:
generated rows have no author). ``load`` generates nothing when the station already has stays.
One person of unknown identity has a photo, stored through ``person_identify`` into MEDIA_ROOT as
an upload would be (so that backups have a demo file to carry); ``reset`` deletes it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import models, transaction
from PIL import Image, ImageDraw

from cases.models import (
    BelongingsItem,
    Campaign,
    CareInstitution,
    Escort,
    ExitType,
    ExtensionStatus,
    GatheringArea,
    Gender,
    HealthStatus,
    Inspection,
    LongStay,
    MedicalReferral,
    Person,
    SafetyCheck,
    SafetyIncident,
    SafetyItem,
    Satisfaction,
    Source,
    Stay,
    StayExtension,
    StreetPatrol,
    Ticket,
    TicketChannel,
    TracingEffort,
    TracingMethod,
    TracingPolicy,
    TracingResult,
)
from cases.services import age_on, person_identify
from demo.stations import delete_files_on_commit, demo_user
from rescue_station.models import Station
from rescue_station.roles import Role
from rescue_station.validators import id_check_digit

TZ = ZoneInfo("Asia/Shanghai")
SEED_YEAR = 2024


@dataclass(frozen=True)
class YearTargets:
    """What a generated year must add up to (the seed's figures for 2024)."""

    intakes: int
    person_days: int | None  # None: whatever the random durations give
    minors: int
    family_pickups: int
    escorted_home: int
    tracing_successes: int
    hukou_registrations: int
    special_hardship_enrolled: int
    street_patrols: int
    street_persons_assisted: int
    hotline_tickets: int
    platform_dispatches: int
    safety_hazards_fixed: int
    safety_incidents: int
    satisfaction_answers: int  # departures with an answer
    satisfied: int


# The seed (../shared/seed/zhuzhou-2024.json, "metrics"); rates are all 100% but satisfaction 98%.
TARGETS_2024 = YearTargets(
    intakes=1826,
    person_days=5577,
    minors=58,
    family_pickups=27,
    escorted_home=107,
    tracing_successes=17,
    hukou_registrations=60,
    special_hardship_enrolled=58,
    street_patrols=156,
    street_persons_assisted=780,
    hotline_tickets=32,
    platform_dispatches=40,
    safety_hazards_fixed=14,
    safety_incidents=0,
    satisfaction_answers=1800,
    satisfied=1764,
)

REGIONS = [
    ("430202", "湖南省株洲市荷塘区"),
    ("430211", "湖南省株洲市天元区"),
    ("430223", "湖南省株洲市攸县"),
    ("430224", "湖南省株洲市茶陵县"),
    ("430281", "湖南省醴陵市"),
    ("430102", "湖南省长沙市芙蓉区"),
    ("430302", "湖南省湘潭市雨湖区"),
    ("430421", "湖南省衡阳县"),
    ("431021", "湖南省桂阳县"),
    ("360302", "江西省萍乡市安源区"),
    ("360321", "江西省莲花县"),
    ("440106", "广东省广州市天河区"),
    ("420106", "湖北省武汉市武昌区"),
    ("510104", "四川省成都市锦江区"),
    ("522601", "贵州省凯里市"),
    ("411302", "河南省南阳市宛城区"),
]
DIALECTS = ["株洲话", "长沙话", "湘潭话", "衡阳话", "赣语", "粤语", "西南官话", "普通话"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林谭邓彭曾肖田易龙"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红春林海波"
REASONS = [
    "务工未果，身无分文",
    "钱物被盗，无法返乡",
    "外出寻亲未果",
    "流浪乞讨，生活无着",
    "被公安巡逻发现，精神状况异常",
    "与家人争吵离家出走",
    "就医后无钱返乡",
]
HOSPITALS = ["株洲市中心医院", "株洲市第三医院", "株洲市二医院"]
AREAS = [
    "株洲火车站广场",
    "株洲汽车站",
    "神农城广场",
    "炎帝广场",
    "中心广场地下通道",
    "建设路桥洞",
    "湘江风光带",
    "芦淞服饰市场",
    "株洲西站",
    "荷塘铺菜市场",
    "天元区长江广场",
    "石峰公园",
]
INSTITUTIONS = [
    ("株洲市康复医院（托养部）", "株洲市芦淞区"),
    ("醴陵市社会福利院", "醴陵市"),
    ("攸县精神病医院托养中心", "攸县"),
]
BELONGINGS = ["手机", "身份证", "现金", "银行卡", "行李包", "老年机", "手表"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def _id_number(rng: random.Random, region: str, birth: date, gender: str) -> str:
    """A valid number for the person: their birth date, and a sequence whose last digit is odd
    for a man and even for a woman (GB 11643). One draw, as before, so no other figure moves."""
    sequence = rng.randint(0, 999)
    if (sequence % 2 == 1) != (gender == "male"):
        sequence ^= 1  # the neighbour of the other parity, still 000-999
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _spread(rng: random.Random, total: int, parts: int, low: int = 0) -> list[int]:
    """``parts`` non-negative integers (each >= low) that add up to ``total``."""
    values = [low] * parts
    for _ in range(total - low * parts):
        values[rng.randrange(parts)] += 1
    return values


def _season_weight(day: date) -> float:
    # More people seek help in winter and around the Spring Festival.
    return {1: 1.5, 2: 1.6, 3: 1.0, 4: 0.9, 5: 0.85, 6: 0.85, 7: 0.95, 8: 0.95}.get(
        day.month, 1.0
    ) + (0.3 if day.month == 12 else 0)


@dataclass
class _Stay:
    admitted_on: date
    hour: int
    nights: int
    minor: bool = False
    special: bool = False
    identified: bool = True
    exit_type: str = ExitType.LEFT_BY_CHOICE
    open: bool = False
    success: bool = False
    satisfaction: str = ""
    health: str = HealthStatus.GOOD
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def contribution(self) -> int:
        return 1 if self.nights == 0 else self.nights


def _nights(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.22:
        return 0
    if roll < 0.70:
        return rng.randint(1, 3)
    if roll < 0.93:
        return rng.randint(4, 7)
    if roll < 0.985:
        return rng.randint(8, 10)
    return rng.randint(11, 24)


class _Generator:
    def __init__(self, *, station: Station, users: dict[str, Any], today: date) -> None:
        self.station = station
        self.users = users
        self.today = today
        self.rng = random.Random(SEED_YEAR)
        self.staff = demo_user(users, Role.STATION_STAFF)
        self.supervisor = demo_user(users, Role.SUPERVISOR)
        self.returning: list[Person] = []  # identified adults who may come back
        self.placeholder_seq: dict[int, int] = {}

    # ---- persons
    def _placeholder(self, year: int) -> str:
        self.placeholder_seq[year] = self.placeholder_seq.get(year, 0) + 1
        return f"无名氏-{year}-{self.placeholder_seq[year]:04d}"

    def _person(self, plan: _Stay) -> Person:
        rng = self.rng
        day = plan.admitted_on
        age = rng.randint(10, 17) if plan.minor else rng.randint(19, 78)
        # Walk the birth date until the age on the admission day is the planned one.
        birth = date(day.year - age, 1, 1) + timedelta(days=rng.randint(0, 360))
        while age_on(birth, day) != age:
            birth -= timedelta(days=1) if age_on(birth, day) < age else -timedelta(days=1)
        gender = rng.choice(["male"] * 4 + ["female"])
        if not plan.identified:
            return Person(
                station=self.station,
                name="",
                placeholder_no=self._placeholder(day.year),
                identified=False,
                gender=gender,
                estimated_age=age,
                dialect=rng.choice(DIALECTS),
                description=rng.choice(
                    ["中等身材，短发", "偏瘦，左手有疤", "身高约170cm，口音偏湘南"]
                ),
            )
        region, hometown = rng.choice(REGIONS)
        has_id = rng.random() < 0.85
        return Person(
            station=self.station,
            name=_name(rng),
            gender=gender,
            birth_date=birth,
            id_number=_id_number(rng, region, birth, gender) if has_id else "",
            hometown=hometown,
            dialect=rng.choice(DIALECTS),
        )

    # ---- one year of stays
    def plan_year(self, year: int, t: YearTargets, last_day: date) -> list[_Stay]:
        rng = self.rng
        days = [
            date(year, 1, 1) + timedelta(days=i)
            for i in range((last_day - date(year, 1, 1)).days + 1)
        ]
        admitted = sorted(rng.choices(days, weights=[_season_weight(d) for d in days], k=t.intakes))
        plans = [
            _Stay(admitted_on=d, hour=rng.randint(7, 19), nights=_nights(rng)) for d in admitted
        ]
        # A stay ends in its year (the next year's figures start afresh); in the current year a
        # stay that would end after today is still open (see _open_current).
        cap = date(year, 12, 31) if year == self.today.year else last_day
        for p in plans:
            p.nights = min(p.nights, (cap - p.admitted_on).days)
        order = list(range(len(plans)))
        rng.shuffle(order)
        minors = order[: t.minors]
        specials = order[t.minors : t.minors + max(1, t.intakes * 7 // 100)]
        for i in minors:
            plans[i].minor = True
        for n, i in enumerate(specials):
            plans[i].special = True
            # Most special persons are of unknown identity; a few known but unable to communicate.
            plans[i].identified = n % 12 == 0
        # Exits with exact counts: tracing successes go home to family or escorted; minors go
        # back only to family, escorted, or to the competent body (transferred).
        successes = specials[: t.tracing_successes]
        for n, i in enumerate(successes):
            plans[i].success = True
            plans[i].exit_type = ExitType.FAMILY_PICKUP if n % 3 == 0 else ExitType.ESCORTED_HOME
        family = t.family_pickups - sum(
            1 for i in successes if plans[i].exit_type == ExitType.FAMILY_PICKUP
        )
        escorted = t.escorted_home - sum(
            1 for i in successes if plans[i].exit_type == ExitType.ESCORTED_HOME
        )
        for n, i in enumerate(minors):
            if n < family // 2:
                plans[i].exit_type = ExitType.FAMILY_PICKUP
            elif n < family // 2 + escorted // 3:
                plans[i].exit_type = ExitType.ESCORTED_HOME
            else:
                plans[i].exit_type = ExitType.TRANSFERRED
        family -= family // 2
        escorted -= escorted // 3
        others_specials = specials[t.tracing_successes :]
        for i in others_specials[:6]:
            plans[i].exit_type = ExitType.PLACED_IN_CARE
        adults = order[t.minors + len(specials) :]
        for i in adults[:family]:
            plans[i].exit_type = ExitType.FAMILY_PICKUP
        for i in adults[family : family + escorted]:
            plans[i].exit_type = ExitType.ESCORTED_HOME
        for i in adults[family + escorted : family + escorted + 12]:
            plans[i].exit_type = ExitType.TRANSFERRED
        for i in adults[family + escorted + 12 : family + escorted + 16]:
            plans[i].exit_type = ExitType.HANDED_TO_POLICE
        # Health: some ill or injured (all referred), some with a mental illness.
        for p in plans:
            roll = rng.random()
            p.health = (
                HealthStatus.ILL
                if roll < 0.06
                else HealthStatus.INJURED
                if roll < 0.08
                else HealthStatus.MENTAL_ILLNESS
                if roll < 0.10 and p.special
                else HealthStatus.GOOD
            )
        for p in plans:
            # A person with a mental illness does not leave alone (workflow.md, departure).
            if p.health == HealthStatus.MENTAL_ILLNESS and p.exit_type == ExitType.LEFT_BY_CHOICE:
                p.exit_type = ExitType.TRANSFERRED
        if t.person_days is not None:
            self._fit_person_days(plans, t.person_days, last_day)
        self._open_current(plans, year)
        self._answers(plans, t)
        return plans

    def _fit_person_days(self, plans: list[_Stay], target: int, last_day: date) -> None:
        rng = self.rng
        total = sum(p.contribution for p in plans)
        while total > target:
            p = rng.choice(plans)
            if p.nights >= 2:
                p.nights -= 1
                total -= 1
        while total < target:
            p = rng.choice(plans)
            if 1 <= p.nights < 20 and p.admitted_on + timedelta(days=p.nights + 1) <= last_day:
                p.nights += 1
                total += 1

    def _open_current(self, plans: list[_Stay], year: int) -> None:
        """In the current year, stays that have not ended by today are open: people present now."""
        if year != self.today.year:
            return
        for p in plans:
            if p.admitted_on + timedelta(days=p.nights) >= self.today:
                p.open = True
        # A few over the limit (one with an approved extension, one awaiting approval) and a
        # minor or two in the station today.
        limit = self.station.stay_limit_days
        candidates = [
            p
            for p in plans
            if not p.minor
            and not p.open
            and limit + 3 <= (self.today - p.admitted_on).days <= limit + 25
        ]
        for n, p in enumerate(candidates[-3:]):
            p.open = True
            p.extra["extension"] = [ExtensionStatus.APPROVED, ExtensionStatus.PENDING, None][n]
        recent_minors = [p for p in plans if p.minor and (self.today - p.admitted_on).days <= 20]
        for p in recent_minors[-2:]:
            p.open = True
        for p in plans:
            if p.open:
                p.success = False

    def _answers(self, plans: list[_Stay], t: YearTargets) -> None:
        rng = self.rng
        departed = [p for p in plans if not p.open]
        silent = [
            p
            for p in departed
            if p.exit_type in (ExitType.PLACED_IN_CARE, ExitType.HANDED_TO_POLICE)
        ]
        talkers = [p for p in departed if p not in silent]
        rng.shuffle(talkers)
        answers = min(t.satisfaction_answers, len(talkers))
        satisfied = round(answers * t.satisfied / t.satisfaction_answers)
        for n, p in enumerate(talkers):
            if n < satisfied:
                p.satisfaction = Satisfaction.SATISFIED
            elif n < answers:
                p.satisfaction = rng.choice(
                    [Satisfaction.NEUTRAL, Satisfaction.NEUTRAL, Satisfaction.DISSATISFIED]
                )
            else:
                p.satisfaction = Satisfaction.NO_ANSWER
        for p in silent:
            p.satisfaction = Satisfaction.NO_ANSWER

    def write_year(self, plans: list[_Stay]) -> None:
        rng = self.rng
        persons: list[Person] = []
        reused: list[Person | None] = []
        for p in plans:
            if p.identified and not p.minor and self.returning and rng.random() < 0.08:
                person = rng.choice(self.returning)
                birth = person.birth_date
                if birth is None or age_on(birth, p.admitted_on) >= 18:
                    reused.append(person)
                    continue
            reused.append(None)
            persons.append(self._person(p))
        Person.objects.bulk_create(persons)
        new = iter(persons)
        stay_persons = [r if r is not None else next(new) for r in reused]
        for person, p in zip(stay_persons, plans, strict=True):
            if person.identified and not p.minor and person.birth_date:
                self.returning.append(person)
        stays = []
        sources = [s for s, _ in Source.choices]
        weights = [30, 25, 15, 10, 8, 4, 6, 2]
        for person, p in zip(stay_persons, plans, strict=True):
            admitted_at = _at(p.admitted_on, p.hour, rng.randint(0, 59))
            left_at = left_on = None
            if not p.open:
                left_on = p.admitted_on + timedelta(days=p.nights)
                hour = min(22, p.hour + rng.randint(1, 3)) if p.nights == 0 else rng.randint(8, 17)
                left_at = max(_at(left_on, hour, rng.randint(0, 59)), admitted_at)
            stays.append(
                Stay(
                    station=self.station,
                    person=person,
                    admitted_at=admitted_at,
                    admitted_on=p.admitted_on,
                    source=rng.choices(sources, weights)[0],
                    reason=rng.choice(REASONS),
                    is_minor=p.minor,
                    unable_to_communicate=p.special and p.identified,
                    is_special=p.special,
                    safety_checked=True,
                    safety_checked_by=self.staff,
                    temperature=Decimal(
                        rng.choice(["36.2", "36.4", "36.5", "36.6", "36.8", "37.0", "37.2"])
                    ),
                    health_status=p.health,
                    care_food=True,
                    care_lodging=True,
                    care_clothing=True,
                    left_at=left_at,
                    left_on=left_on,
                    exit_type="" if p.open else p.exit_type,
                    satisfaction="" if p.open else p.satisfaction,
                    registered_by=self.staff,
                )
            )
        Stay.objects.bulk_create(stays)
        self._write_events(stays, plans)

    def _write_events(self, stays: list[Stay], plans: list[_Stay]) -> None:
        rng = self.rng
        referrals, efforts, escorts, belongings, extensions = [], [], [], [], []
        limit = self.station.stay_limit_days
        for stay, p in zip(stays, plans, strict=True):
            end = stay.left_on or self.today
            if p.health in (HealthStatus.ILL, HealthStatus.INJURED):
                referrals.append(
                    MedicalReferral(
                        stay=stay,
                        hospital=rng.choice(HOSPITALS),
                        referred_on=stay.admitted_on,
                        diagnosis=rng.choice(
                            ["上呼吸道感染", "皮肤外伤", "高血压", "腿部软组织挫伤"]
                        ),
                        outcome="治疗后返站",
                    )
                )
            if p.special:
                methods = rng.sample([m for m, _ in TracingMethod.choices], rng.randint(1, 3))
                for n, method in enumerate(methods):
                    done = min(stay.admitted_on + timedelta(days=n), end)
                    last = n == len(methods) - 1
                    success = p.success and last
                    efforts.append(
                        TracingEffort(
                            stay=stay,
                            method=method,
                            done_on=done,
                            result=TracingResult.SUCCESS
                            if success
                            else TracingResult.NO_MATCH
                            if not p.open
                            else TracingResult.PENDING,
                            family_found=f"其{rng.choice(['儿子', '女儿', '兄长', '妻子'])}（{rng.choice(REGIONS)[1]}）"
                            if success
                            else "",
                        )
                    )
            if not p.open and p.exit_type == ExitType.ESCORTED_HOME:
                escorts.append(
                    Escort(
                        stay=stay,
                        trip_date=stay.left_on,
                        escorts="李业务、王司机",
                        destination=stay.person.hometown or rng.choice(REGIONS)[1],
                        transport=rng.choice(["train", "bus", "car"]),
                        cost=Decimal(rng.randint(60, 1500)),
                        handed_over_to="家属" if rng.random() < 0.7 else "当地救助站",
                        handover_signed=True,
                    )
                )
            if rng.random() < 0.3:
                for item in rng.sample(BELONGINGS, rng.randint(1, 2)):
                    belongings.append(
                        BelongingsItem(
                            stay=stay,
                            description=item,
                            cash_amount=Decimal(rng.randint(5, 200)) if item == "现金" else None,
                            returned=not p.open,
                            returned_at=stay.left_at,
                        )
                    )
            decision = p.extra.get("extension", ExtensionStatus.APPROVED)
            if (end - stay.admitted_on).days > limit and decision:
                requested = _at(stay.admitted_on + timedelta(days=limit), 10)
                approved = decision == ExtensionStatus.APPROVED
                extensions.append(
                    StayExtension(
                        stay=stay,
                        days=max(10, (end - stay.admitted_on).days - limit + 5),
                        reason="身份核查中，等待家属接领",
                        requested_by=self.staff,
                        requested_at=requested,
                        status=decision,
                        decided_by=self.supervisor if approved else None,
                        decided_at=requested + timedelta(hours=3) if approved else None,
                    )
                )
        MedicalReferral.objects.bulk_create(referrals)
        TracingEffort.objects.bulk_create(efforts)
        Escort.objects.bulk_create(escorts)
        BelongingsItem.objects.bulk_create(belongings)
        StayExtension.objects.bulk_create(extensions)

    # ---- long stays: persons placed in care before 2024, registered in the year
    def long_stays(
        self, year: int, t: YearTargets, last_day: date, institutions: list[CareInstitution]
    ) -> None:
        rng = self.rng
        count = t.hukou_registrations
        plans = []
        for _ in range(count):
            admitted = date(2021, 1, 1) + timedelta(days=rng.randint(0, 900))
            # Placed in care after the long-stay months, and always before 2024: the
            # person-days of 2024 are the seed's figure, with nobody of these in the station.
            nights = min(rng.randint(95, 200), (date(2023, 12, 31) - admitted).days)
            plans.append(
                _Stay(
                    admitted_on=admitted,
                    hour=10,
                    nights=nights,
                    special=True,
                    identified=False,
                    exit_type=ExitType.PLACED_IN_CARE,
                    satisfaction=Satisfaction.NO_ANSWER,
                    health=HealthStatus.MENTAL_ILLNESS if rng.random() < 0.6 else HealthStatus.GOOD,
                )
            )
        self.write_year(plans)
        stays = list(
            Stay.objects.for_station(self.station)
            .filter(exit_type=ExitType.PLACED_IN_CARE, left_on__lt=date(2024, 1, 1))
            .select_related("person")
            .order_by("-pk")[:count]
        )
        days = (last_day - date(year, 1, 1)).days
        records = []
        for n, stay in enumerate(stays):
            hukou = date(year, 1, 1) + timedelta(days=rng.randint(0, days))
            records.append(
                LongStay(
                    station=self.station,
                    person=stay.person,
                    institution=rng.choice(institutions),
                    placed_on=stay.left_on,
                    hukou_registered_on=hukou,
                    special_hardship_enrolled_on=min(
                        hukou + timedelta(days=rng.randint(5, 40)), last_day
                    )
                    if n < t.special_hardship_enrolled
                    else None,
                )
            )
        LongStay.objects.bulk_create(records)

    # ---- street work, tickets, safety
    def patrols(
        self, year: int, t: YearTargets, last_day: date, areas: list[GatheringArea]
    ) -> None:
        rng = self.rng
        span = (last_day - date(year, 1, 1)).days + 1
        dates = sorted(
            date(year, 1, 1) + timedelta(days=int(i * span / t.street_patrols))
            for i in range(t.street_patrols)
        )
        assisted = _spread(rng, t.street_persons_assisted, t.street_patrols)
        patrols = []
        for d, n in zip(dates, assisted, strict=True):
            campaign = (
                Campaign.WINTER
                if d.month in (1, 2, 12)
                else Campaign.SUMMER
                if d.month in (7, 8)
                else Campaign.ROUTINE
            )
            brought = rng.randint(0, min(2, n))
            patrols.append(
                StreetPatrol(
                    station=self.station,
                    patrol_date=d,
                    area=rng.choice(AREAS),
                    campaign=campaign,
                    persons_met=n + rng.randint(0, 3),
                    helped_in_place=n - brought,
                    brought_in=brought,
                    note="发放棉被、食品"
                    if campaign == Campaign.WINTER
                    else "发放矿泉水、防暑药品"
                    if campaign == Campaign.SUMMER
                    else "",
                )
            )
        StreetPatrol.objects.bulk_create(patrols)
        through = StreetPatrol.areas_covered.through
        links = []
        campaign_patrols = [p for p in patrols if p.campaign != Campaign.ROUTINE]
        for patrol in patrols:
            chosen = set(rng.sample(areas, rng.randint(2, 4)))
            if patrol.campaign != Campaign.ROUTINE:
                # Campaign patrols between them cover every designated area.
                k = campaign_patrols.index(patrol)
                chosen.add(areas[k % len(areas)])
            links += [through(streetpatrol_id=patrol.pk, gatheringarea_id=a.pk) for a in chosen]
        through.objects.bulk_create(links)

    def tickets(self, year: int, t: YearTargets, last_day: date) -> None:
        rng = self.rng
        span = (last_day - date(year, 1, 1)).days
        tickets = []
        for channel, count in (
            (TicketChannel.HOTLINE, t.hotline_tickets),
            (TicketChannel.PLATFORM, t.platform_dispatches),
        ):
            for n in range(count):
                received = _at(
                    date(year, 1, 1) + timedelta(days=rng.randint(0, span)), rng.randint(8, 17)
                )
                deadline = received + timedelta(days=rng.choice([1, 2, 3, 5]))
                handled = received + (deadline - received) * rng.uniform(0.2, 0.9)
                open_ = handled > _at(self.today, 0)
                tickets.append(
                    Ticket(
                        station=self.station,
                        channel=channel,
                        number=f"{'RX' if channel == TicketChannel.HOTLINE else 'CG'}{year}{n + 1:04d}",
                        received_at=received,
                        received_on=received.date(),
                        deadline=deadline,
                        summary=rng.choice(
                            [
                                "市民反映桥洞下有流浪人员",
                                "火车站附近有老人乞讨",
                                "商场门口有人露宿",
                                "群众反映有未成年人独自流浪",
                            ]
                        ),
                        handled_at=None if open_ else handled,
                        outcome=""
                        if open_
                        else rng.choice(
                            ["已劝导入站", "已现场救助，发放食品衣物", "本人拒绝救助，已做好记录"]
                        ),
                    )
                )
        Ticket.objects.bulk_create(tickets)

    def safety(self, year: int, t: YearTargets, last_day: date) -> None:
        rng = self.rng
        items = [i for i, _ in SafetyItem.choices if i != SafetyItem.OTHER]
        checks = []
        month = 1
        while date(year, month, 5) <= last_day:
            for item in items:
                checks.append(
                    SafetyCheck(
                        station=self.station,
                        checked_on=date(year, month, 5),
                        item=item,
                        checked_by="李业务",
                    )
                )
            month += 1
            if month > 12:
                break
        fixable = [c for c in checks if c.checked_on <= last_day - timedelta(days=10)]
        for c in rng.sample(fixable, min(t.safety_hazards_fixed, len(fixable))):
            c.hazard_found = True
            c.hazard = {
                "fire": "灭火器压力不足",
                "power": "插座老化",
                "gas": "燃气软管老化",
                "water": "水管渗漏",
                "vehicles": "轮胎磨损",
                "food": "留样记录缺失",
            }[c.item]
            c.fixed_on = c.checked_on + timedelta(days=rng.randint(1, 7))
        SafetyCheck.objects.bulk_create(checks)
        incidents = [
            SafetyIncident(
                station=self.station,
                occurred_on=date(year, 1, 1)
                + timedelta(days=rng.randint(0, (last_day - date(year, 1, 1)).days)),
                kind="受助人员摔伤",
                description="受助人员在浴室滑倒，轻微擦伤",
                measures="送医检查，浴室加装防滑垫",
            )
            for _ in range(t.safety_incidents)
        ]
        SafetyIncident.objects.bulk_create(incidents)

    def inspections(self, year: int, last_day: date, institutions: list[CareInstitution]) -> None:
        rng = self.rng
        rows = []
        for inst in institutions:
            for month in range(1, 13):
                d = date(year, month, rng.randint(1, 28))
                if d > last_day:
                    break
                kind = "holiday" if month in (1, 2, 10) else "unannounced"
                rows.append(
                    Inspection(
                        institution=inst,
                        inspected_on=d,
                        kind=kind,
                        inspectors="张站长、李业务",
                        findings="托养人员生活照料良好",
                    )
                )
        Inspection.objects.bulk_create(rows)


def _scaled(t: YearTargets, rng: random.Random, fraction: float) -> YearTargets:
    """A year like 2024, a little different, and cut at ``fraction`` of the year."""

    def s(v: int) -> int:
        return round(v * rng.uniform(0.95, 1.08) * fraction)

    intakes = s(t.intakes)
    answers = int(intakes * 0.97)
    return YearTargets(
        intakes=intakes,
        person_days=None,
        minors=max(2, s(t.minors)),
        family_pickups=s(t.family_pickups),
        escorted_home=s(t.escorted_home),
        tracing_successes=s(t.tracing_successes),
        hukou_registrations=max(1, s(t.hukou_registrations) // 3),
        special_hardship_enrolled=max(1, s(t.special_hardship_enrolled) // 3),
        street_patrols=max(1, s(t.street_patrols)),
        street_persons_assisted=s(t.street_persons_assisted),
        hotline_tickets=s(t.hotline_tickets),
        platform_dispatches=s(t.platform_dispatches),
        safety_hazards_fixed=s(t.safety_hazards_fixed),
        safety_incidents=1 if fraction == 1 else 0,
        satisfaction_answers=answers,
        satisfied=int(answers * 0.975),
    )


@transaction.atomic
def load(*, station: Station, users: dict[str, Any], today: date) -> None:
    TracingPolicy.objects.get_or_create(station=station)
    if not Stay.objects.for_station(station).exists():
        _generate(station=station, users=users, today=today)
    _photo(station=station, user=demo_user(users, Role.STATION_STAFF))


def _generate(*, station: Station, users: dict[str, Any], today: date) -> None:
    gen = _Generator(station=station, users=users, today=today)
    areas = GatheringArea.objects.bulk_create(
        [GatheringArea(station=station, name=a) for a in AREAS]
    )
    institutions = CareInstitution.objects.bulk_create(
        [
            CareInstitution(station=station, name=n, address=a, contract_no=f"ZZJZ-TY-{i + 1:02d}")
            for i, (n, a) in enumerate(INSTITUTIONS)
        ]
    )
    years = [(SEED_YEAR, TARGETS_2024, date(SEED_YEAR, 12, 31))]
    for year in range(SEED_YEAR + 1, today.year + 1):
        # The current year's admissions stop yesterday: an admission "today" at a random hour
        # could lie in the future.
        last = min(date(year, 12, 31), today - timedelta(days=1))
        fraction = ((last - date(year, 1, 1)).days + 1) / (
            date(year, 12, 31) - date(year, 1, 1)
        ).days
        years.append((year, _scaled(TARGETS_2024, gen.rng, min(1.0, fraction)), last))
    for year, targets, last in years:
        gen.write_year(gen.plan_year(year, targets, last))
        gen.long_stays(year, targets, last, institutions)
        gen.patrols(year, targets, last, areas)
        gen.tickets(year, targets, last)
        gen.safety(year, targets, last)
        gen.inspections(year, last, institutions)
    _refused_requests(station=station, users=users, today=today)


def portrait_jpeg() -> bytes:
    """A head-and-shoulders silhouette, the same bytes every time (no randomness, fixed size)."""
    image = Image.new("RGB", (240, 320), (214, 222, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 232, 200, 392), fill=(96, 110, 128))  # shoulders
    draw.rectangle((104, 196, 136, 250), fill=(188, 160, 138))  # neck
    draw.ellipse((72, 70, 168, 210), fill=(206, 176, 152))  # face
    draw.chord((68, 58, 172, 150), 180, 360, fill=(40, 36, 34))  # hair
    out = BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _photo(*, station: Station, user: Any) -> None:
    """A photo taken at intake of one person of unknown identity (the one face recognition would
    search for): someone in the station now, else the first. Once: a station that has a photo
    gets no other."""
    persons = Person.objects.for_station(station)
    if persons.exclude(photo="").exists():
        return
    unknown = persons.filter(identified=False, stays__is_minor=False).distinct()
    person = (
        unknown.filter(stays__left_at__isnull=True).order_by("-pk").first()
        or unknown.order_by("pk").first()
    )
    if person is None:
        return
    person_identify(
        person=person,
        acting_user=user,
        data={},
        identified=False,
        photo=ContentFile(portrait_jpeg(), name=f"demo-person-{person.pk}.jpg"),
    )


# 不予救助: a few requests that ended without help (workflow.md step 2). They are no intakes, so
# the 2024 figures still equal the seed. (admission, minutes to the decision, name, reason)
REFUSALS = [
    (date(2024, 3, 12), 50, "周某", "拒不如实提供姓名、户籍等个人情况，经多次告知仍拒绝。"),
    (date(2024, 8, 5), 35, "吴某", "有固定住所和收入来源，不属于生活无着的救助对象。"),
    (date(2024, 11, 20), 40, "郑某", "冒用他人身份证件求助，拒不提供真实身份。"),
]


def _refused_requests(*, station: Station, users: dict[str, Any], today: date) -> None:
    staff = demo_user(users, Role.STATION_STAFF)
    rows = [r for r in REFUSALS if r[0] < today]
    persons = Person.objects.bulk_create(
        [
            Person(station=station, name=name, identified=True, gender=Gender.MALE)
            for _day, _minutes, name, _reason in rows
        ]
    )
    stays = []
    for person, (day, minutes, _name, reason) in zip(persons, rows, strict=True):
        admitted = _at(day, 9)
        left = admitted + timedelta(minutes=minutes)
        stays.append(
            Stay(
                station=station,
                person=person,
                admitted_at=admitted,
                admitted_on=day,
                source=Source.SELF,
                reason="求助返乡路费",
                safety_checked=True,
                left_at=left,
                left_on=left.date(),  # a Shanghai time: its local date
                exit_type=ExitType.HELP_REFUSED,
                refusal_reason=reason,
                refused_by=staff,
                registered_by=staff,
            )
        )
    Stay.objects.bulk_create(stays)


# Children before parents; generated rows carry no history, so rows are removed without writing
# deletion history (a reset is not a user's act).
_RESET_ORDER: list[type[models.Model]] = [
    TracingPolicy,
    Inspection,
    LongStay,
    CareInstitution,
    StreetPatrol.areas_covered.through,
    StreetPatrol,
    GatheringArea,
    Ticket,
    SafetyCheck,
    SafetyIncident,
    Escort,
    TracingEffort,
    MedicalReferral,
    BelongingsItem,
    StayExtension,
    Stay,
    Person,
]


@transaction.atomic
def reset(*, station: Station) -> None:
    delete_files_on_commit(Person.objects.for_station(station), "photo")
    for model in _RESET_ORDER:
        if model is StreetPatrol.areas_covered.through:
            qs = model.objects.filter(streetpatrol__station=station)
        elif hasattr(model.objects, "for_station"):
            qs = model.objects.for_station(station)
        else:
            continue
        qs._raw_delete(qs.db)
