"""Reads of the cases app: always through the user's stations (StationScopedQuerySet.for_user,
and for_user_at for the station worked in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from rescue_station import selectors as core_selectors
from rescue_station.audit import history_rows
from rescue_station.models import Station

from .models import (
    ExitType,
    ExtensionStatus,
    LongStay,
    Person,
    Stay,
    TracingMethod,
    TracingPolicy,
)

if TYPE_CHECKING:
    from .filters import PeriodFilter, StayFilter


def can_see_minors(user: Any) -> bool:
    """Minors' identities are shown only to roles that read the minors' records."""
    return user.has_perm("minors.view_minorcase")


def can_read_stays(user: Any) -> bool:
    """The user may open stays' pages: every stay, or (the minors' roles) minors' stays."""
    return user.has_perm("cases.view_stay") or can_see_minors(user)


def stays_readable(user: Any) -> QuerySet[Stay]:
    """The stays the user may read, in the user's stations: all of them with the stays' view
    permission; with the minors' permission alone, only minors' stays (the minors' social worker
    reads the stay her case is about, not the adults' in the station)."""
    return _readable_by(user, Stay.objects.for_user(user))


def _readable_by(user: Any, stays: QuerySet[Stay]) -> QuerySet[Stay]:
    if user.has_perm("cases.view_stay"):
        return stays
    if can_see_minors(user):
        return stays.filter(is_minor=True)
    return stays.none()


def stays_for(user: Any, station: Station) -> QuerySet[Stay]:
    """The stays of the station the user works in (and only those the user may read)."""
    return (
        _readable_by(user, Stay.objects.for_user_at(user, station))
        .select_related("person", "station")
        .prefetch_related("extensions")
    )


# Names are searched by containment from this many characters, by prefix below it: a one- or
# two-character search ("张", "张三") would contain-match most of an archive, and a trigram index
# needs three characters to narrow anything (cases/migrations/0010_person_search_indexes.py).
SEARCH_CONTAINS_FROM = 3


def stay_search(q: str, *, identity: bool) -> Q:
    """The stays whose person matches ``q``: a name or placeholder number that starts with it
    (or contains it, from SEARCH_CONTAINS_FROM characters), or an ID number that starts with it.

    Case-insensitive on every database (Django's i-lookups: ``UPPER(col) LIKE UPPER(…)``), which
    is the expression PostgreSQL's search indexes are built on. Without ``identity`` (a reader
    who may not see minors' identities) a minor's name and ID number do not match: the row is
    listed without them, and a match would tell who it is."""
    lookup = "icontains" if len(q) >= SEARCH_CONTAINS_FROM else "istartswith"
    by_identity = Q(**{f"person__name__{lookup}": q}) | Q(person__id_number__istartswith=q)
    if not identity:
        by_identity &= Q(is_minor=False)
    return by_identity | Q(**{f"person__placeholder_no__{lookup}": q})


def stay_filter(user: Any, station: Station, data: Any) -> StayFilter:
    """The stay list of ``user`` at ``station`` filtered by ``data`` (a query string):
    ``.qs`` its stays, newest first; ``.form`` the list's filter form."""
    from .filters import StayFilter  # here: its form's pickers import this module

    return StayFilter(data, stays_for(user, station).order_by("-admitted_at", "-pk"), user=user)


def stays_filtered(user: Any, station: Station, filters: Any) -> QuerySet[Stay]:
    """The stays of the stay list filtered by ``filters`` (cases.filters.StayFilter)."""
    return stay_filter(user, station, filters).qs


def tracing_policy(station: Station) -> TracingPolicy:
    """The station's tracing time limits (the defaults of workflow.md when none is set)."""
    return TracingPolicy.objects.filter(station=station).first() or TracingPolicy(station=station)


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after ``start`` up to ``end`` (public holidays are not known here)."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        days += day.weekday() < 5
    return days


NOTICE_METHODS = (TracingMethod.WEBSITE, TracingMethod.NEWS)


def tracing_due(stay: Stay, policy: TracingPolicy, now: datetime) -> list[str]:
    """What tracing work of a special person in the station is overdue: the notice within the
    policy's hours, police DNA sampling within its working days, the notice's renewal cycle."""
    from django.utils.translation import gettext as _

    if not stay.is_special or not stay.is_present:
        return []
    efforts = list(stay.tracing_efforts.all())
    notices = [e.done_on for e in efforts if e.method in NOTICE_METHODS]
    due = []
    if not notices and now - stay.admitted_at > timedelta(hours=policy.notice_hours):
        due.append(_("Tracing notice overdue"))
    if notices and (timezone.localtime(now).date() - max(notices)).days > policy.renewal_days:
        due.append(_("Tracing notice to renew"))
    today_ = timezone.localtime(now).date()
    if not any(e.method == TracingMethod.DNA for e in efforts) and (
        working_days_between(stay.admitted_on, today_) > policy.dna_working_days
    ):
        due.append(_("DNA sampling overdue"))
    return due


@dataclass(frozen=True)
class BoardRow:
    stay: Stay
    nights: int
    over_limit: bool
    pending_extension: bool
    show_identity: bool
    tracing_due: list[str]


def board(user: Any, station: Station) -> list[BoardRow]:
    """Everyone in the station now, longest stay first, with the flags staff act on."""
    day = core_selectors.local_today()
    now = timezone.now()
    identity = can_see_minors(user)
    policy = tracing_policy(station)
    rows = []
    stays = stays_for(user, station).present().prefetch_related("tracing_efforts")
    for stay in stays.order_by("admitted_at"):
        rows.append(
            BoardRow(
                stay=stay,
                nights=stay.nights(day),
                over_limit=stay.is_over_limit(day),
                pending_extension=any(
                    e.status == ExtensionStatus.PENDING for e in stay.extensions.all()
                ),
                show_identity=identity or not stay.is_minor,
                tracing_due=tracing_due(stay, policy, now),
            )
        )
    return rows


@dataclass(frozen=True)
class Event:
    when: datetime | date
    what: str
    detail: str


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def timeline(stay: Stay, *, show_identity: bool = True) -> list[Event]:
    """What happened in the stay, in order. Without ``show_identity`` (a minor, for a reader
    without the minors' permission) the family found and the destination home are left out."""
    from django.utils.translation import gettext as _

    events = [Event(stay.admitted_at, _("Admitted"), stay.get_source_display())]
    for item in stay.belongings.all():
        events.append(Event(stay.admitted_at, _("Belongings listed"), str(item)))
    for r in stay.referrals.all():
        events.append(Event(r.referred_on, _("Medical referral"), f"{r.hospital} {r.diagnosis}"))
    for t in stay.tracing_efforts.all():
        detail = f"{t.get_method_display()}: {t.get_result_display()}"
        if t.family_found and show_identity:
            detail += f"（{t.family_found}）"
        events.append(Event(t.done_on, _("Tracing"), detail))
    for e in stay.extensions.all():
        events.append(
            Event(e.requested_at, _("Extension requested"), f"+{e.days} · {e.get_status_display()}")
        )
    if stay.left_at and stay.exit_type == ExitType.HELP_REFUSED:
        detail = stay.refusal_reason
        if stay.refused_by:
            detail += f" · {stay.refused_by}"
        events.append(Event(stay.left_at, _("Help refused"), detail))
    elif stay.left_at:
        events.append(Event(stay.left_at, _("Departed"), stay.get_exit_type_display()))
    escort = getattr(stay, "escort", None) if stay.left_at else None
    if escort:
        events.append(
            Event(
                escort.trip_date,
                _("Escorted home"),
                f"{escort.destination} · {escort.escorts}" if show_identity else escort.escorts,
            )
        )
    return sorted(events, key=lambda e: _as_datetime(e.when))


def stay_history(stay: Stay, *, show_identity: bool = True) -> list[dict[str, Any]]:
    """Every change of the stay, its person and its records, newest first.

    The person's changes (name, ID number, photo) are left out when the reader may not see the
    identity of this person (a minor, for a user without the minors' permission)."""
    objects: list[Any] = [stay, stay.person] if show_identity else [stay]
    objects += list(stay.belongings.all()) + list(stay.referrals.all())
    if show_identity:  # tracing names the family found, the trip the destination home
        objects += list(stay.tracing_efforts.all())
    objects += list(stay.extensions.all())
    escort = getattr(stay, "escort", None)  # no trip: the reverse accessor raises AttributeError
    if escort and show_identity:
        objects.append(escort)
    rows = []
    for obj in objects:
        for row in history_rows(obj):
            rows.append({**row, "record": obj._meta.verbose_name})
    return sorted(rows, key=lambda r: r["when"], reverse=True)


def earlier_stays(stay: Stay) -> QuerySet[Stay]:
    """Other stays of the same person (repeat visits)."""
    return (
        Stay.objects.for_station(stay.station)
        .filter(person=stay.person)
        .exclude(pk=stay.pk)
        .order_by("-admitted_at")
    )


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when that day does not exist)."""
    import calendar

    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def long_stay_candidates(user: Any, station: Station) -> QuerySet[Stay]:
    """Persons in the station longer than the station's long-stay months with no long-stay
    record yet: they are due for hukou registration, special-hardship enrolment, placement."""
    since = months_before(core_selectors.local_today(), station.long_stay_months)
    return (
        stays_for(user, station)
        .present()
        .filter(admitted_on__lte=since)
        .exclude(person__long_stays__isnull=False)
        .order_by("admitted_on")
    )


def long_stays_listed() -> QuerySet[LongStay]:
    """Long-stay records with their person and institution joined in, and whether the person
    came as a minor (``was_minor``: then the name is shown only to the minors' roles)."""
    return LongStay.objects.select_related("person", "institution").annotate(
        was_minor=Exists(Stay.objects.filter(person=OuterRef("person"), is_minor=True))
    )


def records_filtered(
    user: Any,
    station: Station,
    records: QuerySet,
    date_field: str,
    data: Any,
    filter_class: type[PeriodFilter] | None = None,
) -> PeriodFilter:
    """A list of a station's records (patrols, tickets, safety checks, long stays) of ``user``
    at ``station``, newest first by ``date_field``, filtered by ``data`` through
    ``filter_class`` (a period, by default): ``.qs`` the records, ``.form`` the form."""
    from .filters import PeriodFilter

    # NULLS LAST only where the date may be missing: on PostgreSQL it stops an index in
    # (station, date) from giving the rows in order, even on a column that is never null.
    nullable = records.model._meta.get_field(date_field).null
    newest = F(date_field).desc(nulls_last=nullable or None)
    records = records.for_user_at(user, station).order_by(newest, "-pk")
    return (filter_class or PeriodFilter)(data, records, date_field=date_field)


def persons_for(user: Any, station: Station) -> QuerySet[Person]:
    return Person.objects.for_user_at(user, station)


# ---- the returning person, found while the clerk types the intake

RETURNING_MAX = 10  # suggestions shown under the identity fields
RETURNING_NAME_FROM = 2  # characters of a name before a similar name is looked for


class ReturningReason:
    """Why an earlier person is suggested, strongest first."""

    SAME_ID_NUMBER = "same_id_number"
    SAME_NAME_YEAR_HOMETOWN = "same_name_year_hometown"
    SAME_PINYIN_YEAR = "same_pinyin_year"
    SIMILAR_NAME = "similar_name"


@dataclass(frozen=True)
class Candidate:
    """An earlier person of the station who may be the one at the door."""

    person: Person
    reason: str
    stay_count: int
    last_admitted_on: date | None
    last_left_on: date | None

    @property
    def birth_year(self) -> int | None:
        birth = _birth_of(self.person)
        return birth.year if birth else None


def _birth_of(person: Person) -> date | None:
    from rescue_station.validators import id_number_birth_date

    if person.birth_date:
        return person.birth_date
    return id_number_birth_date(person.id_number) if person.id_number else None


def returning_choosable(user: Any, station: Station) -> QuerySet[Person]:
    """The earlier persons an intake may be linked to by the clerk's choice: identified persons
    of the station, and those who came as minors only for a user who may see minors."""
    persons = persons_for(user, station).filter(identified=True)
    if not can_see_minors(user):
        persons = persons.exclude(Exists(Stay.objects.filter(person=OuterRef("pk"), is_minor=True)))
    return persons


def returning_candidates(
    user: Any,
    station: Station,
    *,
    name: str = "",
    id_number: str = "",
    birth_year: int | None = None,
    hometown: str = "",
) -> list[Candidate]:
    """The earlier persons of ``station`` (read as ``user``) who may be the one being registered,
    at most RETURNING_MAX, strongest reason first, each with the first reason that found it:

    - the same ID number (the intake is linked to this person whatever the clerk chooses);
    - the same name, birth year and hometown (what ``services.person_matches`` reuses);
    - the same pinyin (a sound-alike name: 章三 for 张三) and birth year;
    - a similar name: one that starts with the name typed, or sounds the same, of a person
      whose birth year is not known on one side (or is the same).

    A person who came as a minor is suggested only to a user who may see minors' identities
    (``can_see_minors``). One query per reason, one for the stays' counts, each bounded."""
    from django.db.models import Count, Max

    from rescue_station.validators import normalise_id_number

    from .names import name_pinyin

    persons = returning_choosable(user, station)
    name = (name or "").strip()
    hometown = (hometown or "").strip()
    id_number = normalise_id_number(id_number or "")
    pinyin = name_pinyin(name) if len(name) >= RETURNING_NAME_FROM else ""
    year = Q(birth_date__year=birth_year) if birth_year else Q()
    searches: list[tuple[str, Q]] = []
    if len(id_number) >= 15:  # a whole ID number (15 or 18 characters), not one being typed
        searches.append((ReturningReason.SAME_ID_NUMBER, Q(id_number=id_number)))
    if name and birth_year and hometown:
        searches.append(
            (
                ReturningReason.SAME_NAME_YEAR_HOMETOWN,
                Q(name__iexact=name, hometown=hometown) & year,
            )
        )
    if pinyin and birth_year:
        searches.append((ReturningReason.SAME_PINYIN_YEAR, Q(name_pinyin=pinyin) & year))
    if len(name) >= RETURNING_NAME_FROM:
        # i-lookups: UPPER(name), what PostgreSQL's search indexes are built on (0010).
        unknown_year = (Q(birth_date__isnull=True) | year) if birth_year else Q()
        similar = Q(name__istartswith=name) | (Q(name_pinyin=pinyin) if pinyin else Q(pk__in=[]))
        searches.append((ReturningReason.SIMILAR_NAME, similar & unknown_year))
    found: dict[int, tuple[Person, str]] = {}
    for reason, condition in searches:
        if len(found) >= RETURNING_MAX:
            break
        rows = persons.filter(condition).exclude(pk__in=list(found)).order_by("-pk")
        for person in rows[: RETURNING_MAX - len(found)]:
            found[person.pk] = (person, reason)
    if not found:
        return []
    stays = (
        Stay.objects.for_station(station)
        .filter(person__in=list(found))
        .values("person")
        .annotate(count=Count("pk"), last=Max("admitted_at"))
    )
    counts = {row["person"]: row for row in stays}
    last_stays = {
        s.person_id: s
        for s in Stay.objects.for_station(station).filter(
            person__in=list(found), admitted_at__in=[row["last"] for row in counts.values()]
        )
        if s.admitted_at == counts[s.person_id]["last"]
    }
    result = []
    for pk, (person, reason) in found.items():
        last = last_stays.get(pk)
        result.append(
            Candidate(
                person=person,
                reason=reason,
                stay_count=counts.get(pk, {}).get("count", 0),
                last_admitted_on=last.admitted_on if last else None,
                last_left_on=last.left_on if last else None,
            )
        )
    return result


def persons_came_as_minors(pks: list[int]) -> set[int]:
    """Those of the persons ``pks`` with a stay as a minor."""
    return set(Stay.objects.filter(person__in=pks, is_minor=True).values_list("person", flat=True))
