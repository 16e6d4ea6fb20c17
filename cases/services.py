"""Writes of the cases app: every one atomic, validated (full_clean) and audited (acting user)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rescue_station.audit import save_audited
from rescue_station.models import Station
from rescue_station.plausible import local_date
from rescue_station.uploads import PhotoValidator, reencode_photo
from rescue_station.validators import id_number_birth_date, normalise_id_number

from .models import (
    BelongingsItem,
    Escort,
    ExitType,
    ExtensionStatus,
    HealthStatus,
    MedicalReferral,
    Person,
    PlaceholderCounter,
    Stay,
    StayExtension,
    Ticket,
    TracingEffort,
)
from .signals import stay_registered

ADULT_AGE = 18


def age_on(birth_date: date, day: date) -> int:
    """Completed years on ``day``: a person is 18 from their 18th birthday on (29 February
    birthdays come of age on 1 March in a common year)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def person_birth_date(person: Person) -> date | None:
    """The birth date given, else the one the ID number encodes."""
    if person.birth_date:
        return person.birth_date
    return id_number_birth_date(person.id_number) if person.id_number else None


def is_minor_on(person: Person, day: date) -> bool:
    """Under 18 on ``day``: from the birth date (form or ID number), else the estimated age."""
    birth = person_birth_date(person)
    if birth is not None:
        return age_on(birth, day) < ADULT_AGE
    if person.estimated_age is not None:
        return person.estimated_age < ADULT_AGE
    return False


def person_matches(
    *,
    station: Station,
    id_number: str = "",
    name: str = "",
    birth_year: int | None = None,
    hometown: str = "",
    exclude_pk: int | None = None,
) -> QuerySet[Person]:
    """Earlier records of the same person in the station: same ID number, or same name, birth
    year and hometown (all three given). Repeat visits (反复求助) are found this way."""
    persons = Person.objects.for_station(station)
    if exclude_pk:
        persons = persons.exclude(pk=exclude_pk)
    id_number = normalise_id_number(id_number or "")
    if id_number:
        found = persons.filter(id_number=id_number)
        if found.exists():
            return found
    if name.strip() and birth_year and hometown.strip():
        return persons.filter(
            name=name.strip(), birth_date__year=birth_year, hometown=hometown.strip()
        )
    return persons.none()


def placeholder_next(*, station: Station, year: int) -> str:
    """The next placeholder number of the year (无名氏-YYYY-NNNN) for a person whose identity is
    unknown. Called inside the transaction that saves the person: the station-year's counter row
    stays locked until it ends, so that two intakes at once get two numbers (and the database's
    unique constraint refuses one number twice). A number taken without the counter (records
    from before it, the demo) is stepped over."""
    counter = _placeholder_counter(station=station, year=year)
    prefix = f"无名氏-{year}-"
    taken = (
        Person.objects.for_station(station)
        .filter(placeholder_no__startswith=prefix)
        .values_list("placeholder_no", flat=True)
    )
    numbers = [int(p[len(prefix) :]) for p in taken if p[len(prefix) :].isdigit()]
    counter.last = max([counter.last, *numbers]) + 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:04d}"


def _placeholder_counter(*, station: Station, year: int) -> PlaceholderCounter:
    """The station-year's counter, locked (SELECT … FOR UPDATE on PostgreSQL; on SQLite the
    write transaction holds the database); made on its first use."""
    counters = PlaceholderCounter.objects.select_for_update()
    counter = counters.filter(station=station, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():  # a savepoint: another intake may make it first
                PlaceholderCounter.objects.create(station=station, year=year)
        except IntegrityError:
            pass  # it did, and has committed: the row is there to lock
        counter = counters.get(station=station, year=year)
    return counter


def _replace_photo(person: Person, photo: Any) -> None:
    """Store the photo re-encoded (no EXIF or GPS position); the replaced file goes once saved."""
    PhotoValidator()(photo)
    old = person.photo.name if person.photo else ""
    person.photo = reencode_photo(photo)
    if old:
        storage = person.photo.storage
        transaction.on_commit(lambda: storage.delete(old))


PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "estimated_age",
    "id_number",
    "hometown",
    "dialect",
    "description",
)


@transaction.atomic
def stay_register(
    *,
    station: Station,
    acting_user: Any,
    admitted_at: datetime,
    source: str,
    person: Person | None = None,
    identified: bool = True,
    person_data: dict[str, Any] | None = None,
    photo: Any = None,
    brought_by: str = "",
    reason: str = "",
    unable_to_communicate: bool = False,
    safety_checked: bool = False,
    temperature: Decimal | None = None,
    health_status: str = "good",
    health_note: str = "",
) -> Stay:
    """Register an intake: reuse the person's earlier record when one matches, else create it.

    An unidentified person gets a placeholder number (无名氏-YYYY-NNNN). ``admitted_on`` is the
    local date; ``is_minor`` is "under 18 on that date". Sends ``stay_registered`` (the minors app
    opens a minor case from it) inside the transaction.
    """
    data = {k: v for k, v in (person_data or {}).items() if k in PERSON_FIELDS}
    if data.get("id_number"):
        data["id_number"] = normalise_id_number(data["id_number"])
    admitted_on = local_date(admitted_at)
    if person is None and identified:
        birth = data.get("birth_date") or (
            id_number_birth_date(data["id_number"]) if data.get("id_number") else None
        )
        person = person_matches(
            station=station,
            id_number=data.get("id_number", ""),
            name=data.get("name", ""),
            birth_year=birth.year if birth else None,
            hometown=data.get("hometown", ""),
        ).first()
    if person is None:
        person = Person(station=station, identified=identified, **data)
        if not identified:
            person.placeholder_no = placeholder_next(station=station, year=admitted_on.year)
    else:
        if person.station_id != station.pk:
            raise ValidationError(_("This person belongs to another station."))
        # Fill in what the earlier record lacked; never overwrite what is known.
        for key, value in data.items():
            if value not in (None, "") and getattr(person, key) in (None, ""):
                setattr(person, key, value)
    if photo:
        _replace_photo(person, photo)
    save_audited(person, acting_user=acting_user, reason="intake")
    stay = Stay(
        station=station,
        person=person,
        admitted_at=admitted_at,
        admitted_on=admitted_on,
        source=source,
        brought_by=brought_by,
        reason=reason,
        is_minor=is_minor_on(person, admitted_on),
        unable_to_communicate=unable_to_communicate,
        is_special=(not person.identified) or unable_to_communicate,
        safety_checked=safety_checked,
        safety_checked_by=acting_user if safety_checked else None,
        temperature=temperature,
        health_status=health_status,
        health_note=health_note,
        registered_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    save_audited(stay, acting_user=acting_user, reason="intake")
    stay_registered.send(sender=Stay, stay=stay, acting_user=acting_user)
    return stay


@transaction.atomic
def person_identify(
    *,
    person: Person,
    acting_user: Any,
    data: dict[str, Any],
    identified: bool,
    photo: Any = None,
    expected_version: int | None = None,
) -> Person:
    """Fill in or correct a person's identity; an identified person keeps the placeholder number
    as a trace of the earlier records made under it. ``expected_version``: the version the
    form was loaded from (a later save by someone else refuses this one)."""
    for key, value in data.items():
        if key in PERSON_FIELDS:
            setattr(person, key, normalise_id_number(value or "") if key == "id_number" else value)
    if photo:
        _replace_photo(person, photo)
    person.identified = identified
    return save_audited(
        person, acting_user=acting_user, reason="identity", expected_version=expected_version
    )


@transaction.atomic
def stay_update_checks(
    *,
    stay: Stay,
    acting_user: Any,
    safety_checked: bool,
    temperature: Decimal | None,
    health_status: str,
    health_note: str = "",
    expected_version: int | None = None,
) -> Stay:
    """Record the safety check, the temperature and the health status."""
    if safety_checked and not stay.safety_checked:
        stay.safety_checked_by = acting_user
    stay.safety_checked = safety_checked
    stay.temperature = temperature
    stay.health_status = health_status
    stay.health_note = health_note
    return save_audited(
        stay, acting_user=acting_user, reason="checks", expected_version=expected_version
    )


@transaction.atomic
def stay_record_care(
    *,
    stay: Stay,
    acting_user: Any,
    food: bool,
    lodging: bool,
    clothing: bool,
    expected_version: int | None = None,
) -> Stay:
    """Record the basic care given (meals, lodging, clothing): cases.care_rate counts it."""
    stay.care_food, stay.care_lodging, stay.care_clothing = food, lodging, clothing
    return save_audited(
        stay, acting_user=acting_user, reason="care", expected_version=expected_version
    )


@transaction.atomic
def belongings_add(
    *,
    stay: Stay,
    acting_user: Any,
    description: str,
    quantity: int = 1,
    cash_amount: Decimal | None = None,
) -> BelongingsItem:
    item = BelongingsItem(
        stay=stay, description=description, quantity=quantity, cash_amount=cash_amount
    )
    return save_audited(item, acting_user=acting_user)


@transaction.atomic
def belongings_settle(
    *,
    item: BelongingsItem,
    acting_user: Any,
    returned: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> BelongingsItem:
    """Return an item to its owner, or record why it is not returned."""
    if not returned and not reason.strip():
        raise ValidationError(
            {"not_returned_reason": _("Give the reason the item is not returned.")}
        )
    item.returned = returned
    item.returned_at = timezone.now() if returned else None
    item.not_returned_reason = "" if returned else reason
    return save_audited(item, acting_user=acting_user, expected_version=expected_version)


@transaction.atomic
def referral_add(
    *,
    stay: Stay,
    acting_user: Any,
    hospital: str,
    referred_on: date,
    diagnosis: str = "",
    outcome: str = "",
) -> MedicalReferral:
    referral = MedicalReferral(
        stay=stay, hospital=hospital, referred_on=referred_on, diagnosis=diagnosis, outcome=outcome
    )
    return save_audited(referral, acting_user=acting_user)


@transaction.atomic
def tracing_add(
    *,
    stay: Stay,
    acting_user: Any,
    method: str,
    done_on: date,
    result: str,
    family_found: str = "",
    note: str = "",
) -> TracingEffort:
    effort = TracingEffort(
        stay=stay,
        method=method,
        done_on=done_on,
        result=result,
        family_found=family_found,
        note=note,
    )
    return save_audited(effort, acting_user=acting_user)


@transaction.atomic
def extension_request(*, stay: Stay, acting_user: Any, days: int, reason: str) -> StayExtension:
    """Ask the station head to allow a stay beyond the station's limit."""
    if not stay.is_present:
        raise ValidationError(_("The person has already left."))
    extension = StayExtension(
        stay=stay, days=days, reason=reason, requested_by=acting_user, requested_at=timezone.now()
    )
    return save_audited(extension, acting_user=acting_user)


@transaction.atomic
def extension_decide(
    *, extension: StayExtension, acting_user: Any, approve: bool, reason: str = ""
) -> StayExtension:
    """The station head approves or refuses an extension (permission cases.approve_extension).

    A refusal says why; the reason given (for a refusal or an approval) is kept as the reason of
    the decision's history row, shown in the stay's history."""
    if not acting_user.has_perm("cases.approve_extension"):
        raise ValidationError(_("Only the station head can decide on an extension."))
    if extension.status != ExtensionStatus.PENDING:
        raise ValidationError(_("This extension has already been decided."))
    if not approve and not reason.strip():
        raise ValidationError(_("Say why the extension is refused."))
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by = acting_user
    extension.decided_at = timezone.now()
    return save_audited(extension, acting_user=acting_user, reason=reason.strip())


LEAVE_ALONE_AGE = 16


def may_leave_alone(stay: Stay, when: datetime) -> bool:
    """Leaving by choice needs 16 years or more and no sign of mental or intellectual disability."""
    if stay.health_status in (HealthStatus.MENTAL_ILLNESS, HealthStatus.DISABILITY):
        return False
    person = stay.person
    day = local_date(when)
    birth = person_birth_date(person)
    if birth is not None:
        return age_on(birth, day) >= LEAVE_ALONE_AGE
    if person.estimated_age is not None:
        return person.estimated_age >= LEAVE_ALONE_AGE
    return True


@dataclass(frozen=True)
class EscortData:
    trip_date: date
    escorts: str
    destination: str
    transport: str
    cost: Decimal
    handed_over_to: str = ""
    handover_signed: bool = False


@transaction.atomic
def stay_depart(
    *,
    stay: Stay,
    acting_user: Any,
    left_at: datetime,
    exit_type: str,
    satisfaction: str = "",
    note: str = "",
    return_belongings: bool = False,
    return_items: Collection[int] = (),
    escort: EscortData | None = None,
    expected_version: int | None = None,
) -> Stay:
    """Close a stay: departure time and type, the satisfaction answer, belongings settled.

    Every belongings item must be returned or carry a reason; ``return_items`` (ids) are handed
    back now, ``return_belongings`` hands back all still held (for imports and scripts; the page
    ticks items one by one). An escorted departure records its trip.
    """
    if not stay.is_present:
        raise ValidationError(_("The person has already left."))
    if exit_type == ExitType.HELP_REFUSED:
        raise ValidationError(
            {"exit_type": _("Help is refused with its own form, which records the reason.")}
        )
    held = stay.belongings.filter(returned=False, not_returned_reason="")
    if not return_belongings:
        held = held.filter(pk__in=list(return_items))
    for item in held:
        belongings_settle(item=item, acting_user=acting_user, returned=True)
    if stay.belongings.filter(returned=False, not_returned_reason="").exists():
        raise ValidationError(
            _("Return the belongings, or record why an item is not returned, before departure.")
        )
    if exit_type == ExitType.LEFT_BY_CHOICE and not may_leave_alone(stay, left_at):
        raise ValidationError(
            {
                "exit_type": _(
                    "A minor under 16, or a person with a mental illness or a disability, leaves "
                    "only with family, escorted, or handed to the competent body."
                )
            }
        )
    if exit_type == ExitType.ESCORTED_HOME and escort is None:
        raise ValidationError(
            _("An escorted departure needs its trip: date, escorts, destination.")
        )
    stay.left_at = left_at
    stay.left_on = local_date(left_at)
    stay.exit_type = exit_type
    stay.satisfaction = satisfaction
    stay.departure_note = note
    save_audited(
        stay, acting_user=acting_user, reason="departure", expected_version=expected_version
    )
    if escort is not None:
        escort_record(stay=stay, acting_user=acting_user, data=escort)
    return stay


@transaction.atomic
def stay_refuse_help(
    *,
    stay: Stay,
    acting_user: Any,
    refused_at: datetime,
    reason: str,
    expected_version: int | None = None,
) -> Stay:
    """不予救助: end a request without help (workflow.md step 2), e.g. when the person refuses
    to give true information. The reason and the deciding user are kept; the time is the stay's
    end. Belongings still held go back to the person. A minor is never refused: minors are
    always taken in. The stay is then no intake in the metrics (cases.intakes)."""
    reason = (reason or "").strip()
    if not stay.is_present:
        raise ValidationError(_("The person has already left."))
    if stay.is_minor:
        raise ValidationError(_("Help cannot be refused to a minor: a minor is always taken in."))
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason help is refused.")
    if refused_at < stay.admitted_at:
        errors["refused_at"] = _("The refusal cannot be before the admission.")
    elif refused_at > timezone.now():
        errors["refused_at"] = _("The refusal cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    for item in stay.belongings.filter(returned=False, not_returned_reason=""):
        belongings_settle(item=item, acting_user=acting_user, returned=True)
    stay.left_at = refused_at
    stay.left_on = local_date(refused_at)
    stay.exit_type = ExitType.HELP_REFUSED
    stay.refusal_reason = reason
    stay.refused_by = acting_user
    stay.satisfaction = ""
    save_audited(
        stay, acting_user=acting_user, reason="help refused", expected_version=expected_version
    )
    return stay


@transaction.atomic
def escort_record(*, stay: Stay, acting_user: Any, data: EscortData) -> Escort:
    """Record (or correct) the trip home of an escorted person."""
    trip = Escort.objects.filter(stay=stay).first() or Escort(stay=stay)
    for key, value in data.__dict__.items():
        setattr(trip, key, value)
    return save_audited(trip, acting_user=acting_user)


@transaction.atomic
def record_save(
    *,
    obj: Any,
    acting_user: Any,
    m2m: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> Any:
    """Save a station-level record (long stay, institution, inspection, area, patrol, ticket,
    safety check or incident) validated and audited, with its many-to-many fields; an edit only
    from ``expected_version``, the version its form was loaded from."""
    if isinstance(obj, Ticket) and obj.received_at:
        obj.received_on = local_date(obj.received_at)
    save_audited(obj, acting_user=acting_user, expected_version=expected_version)
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    return obj
