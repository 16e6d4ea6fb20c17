"""Writes of the cases app: every one atomic, validated (full_clean) and audited (acting user)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rescue_station.audit import bulk_history_insert, save_audited
from rescue_station.bulk import bulk_insert
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
from .names import name_pinyin
from .signals import stay_registered, stays_registered

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
    unique constraint refuses one number twice)."""
    return placeholders_reserve(station=station, year=year, count=1)[0]


def placeholders_reserve(*, station: Station, year: int, count: int) -> list[str]:
    """The next ``count`` placeholder numbers of the year, in order, for the persons of one
    transaction (an import): the counter row is locked once, and stays locked until the
    transaction ends, so another intake's numbers come after these. A number taken without the
    counter (records from before it, the demo) is stepped over."""
    counter = _placeholder_counter(station=station, year=year)
    prefix = f"无名氏-{year}-"
    taken = (
        Person.objects.for_station(station)
        .filter(placeholder_no__startswith=prefix)
        .values_list("placeholder_no", flat=True)
    )
    numbers = [int(p[len(prefix) :]) for p in taken if p[len(prefix) :].isdigit()]
    first = max([counter.last, *numbers]) + 1
    counter.last = first + count - 1
    counter.save(update_fields=["last"])
    return [f"{prefix}{number:04d}" for number in range(first, first + count)]


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

    ``person``: the earlier person the clerk chose as the same one at the door (a suggestion of
    ``selectors.returning_candidates``); without it, a person of the same ID number (or the same
    name, birth year and hometown) is reused. A reused person's record is only filled in, never
    overwritten: the name typed is kept on the stay (``name_at_intake``) when the record has
    another, and the record is renamed only through the identity form.

    An unidentified person gets a placeholder number (无名氏-YYYY-NNNN). ``admitted_on`` is the
    local date; ``is_minor`` is "under 18 on that date". Sends ``stay_registered`` (the minors app
    opens a minor case from it) inside the transaction.
    """
    data = _person_fields(person_data)
    admitted_on = local_date(admitted_at)
    if person is not None and identified:
        _check_chosen(person, station=station, data=data)
    if person is None and identified:
        person = person_matches(
            station=station,
            id_number=data.get("id_number", ""),
            name=data.get("name", ""),
            birth_year=_birth_year(data),
            hometown=data.get("hometown", ""),
        ).first()
    if person is None:
        person = Person(station=station, identified=identified, **data)
        if not identified:
            person.placeholder_no = placeholder_next(station=station, year=admitted_on.year)
    else:
        if person.station_id != station.pk:
            raise ValidationError(_("This person belongs to another station."))
        _fill_in(person, data)
    if photo:
        _replace_photo(person, photo)
    save_audited(person, acting_user=acting_user, reason="intake")
    stay = _new_stay(
        station=station,
        person=person,
        acting_user=acting_user,
        admitted_at=admitted_at,
        admitted_on=admitted_on,
        name_at_intake=str(data.get("name") or "").strip(),
        unable_to_communicate=unable_to_communicate,
        safety_checked=safety_checked,
        source=source,
        brought_by=brought_by,
        reason=reason,
        temperature=temperature,
        health_status=health_status,
        health_note=health_note,
    )
    save_audited(stay, acting_user=acting_user, reason="intake")
    stay_registered.send(sender=Stay, stay=stay, acting_user=acting_user)
    return stay


def _check_chosen(person: Person, *, station: Station, data: dict[str, Any]) -> None:
    """The person chosen at the door is of this station, and is not contradicted by an ID
    number: another ID number than the record's, or one that is another person's."""
    if person.station_id != station.pk:
        raise ValidationError(_("This person belongs to another station."))
    id_number = data.get("id_number") or ""
    if not id_number:
        return
    if person.id_number and person.id_number != id_number:
        raise ValidationError(
            {"id_number": _("The person chosen as the same has another ID number.")}
        )
    others = Person.objects.for_station(station).filter(id_number=id_number).exclude(pk=person.pk)
    if others.exists():
        raise ValidationError(
            {"id_number": _("This ID number is another person's of the station.")}
        )


def _person_fields(person_data: dict[str, Any] | None) -> dict[str, Any]:
    data = {k: v for k, v in (person_data or {}).items() if k in PERSON_FIELDS}
    if data.get("id_number"):
        data["id_number"] = normalise_id_number(data["id_number"])
    return data


def _birth_year(data: dict[str, Any]) -> int | None:
    """The birth year an intake gives: its birth date's, else its ID number's."""
    birth = data.get("birth_date") or (
        id_number_birth_date(data["id_number"]) if data.get("id_number") else None
    )
    return birth.year if birth else None


def _fill_in(person: Person, data: dict[str, Any]) -> set[str]:
    """Fill in what the earlier record lacked; never overwrite what is known. Returns the
    fields filled in."""
    filled = set()
    for key, value in data.items():
        if value not in (None, "") and getattr(person, key) in (None, ""):
            setattr(person, key, value)
            filled.add(key)
    return filled


def _new_stay(
    *,
    station: Station,
    person: Person,
    acting_user: Any,
    admitted_at: datetime,
    admitted_on: date,
    unable_to_communicate: bool,
    safety_checked: bool,
    name_at_intake: str = "",
    **fields: Any,
) -> Stay:
    """The intake's stay (unsaved): ``admitted_on`` the local date, ``is_minor`` under 18 on it."""
    return Stay(
        station=station,
        person=person,
        admitted_at=admitted_at,
        admitted_on=admitted_on,
        name_at_intake=name_at_intake,
        is_minor=is_minor_on(person, admitted_on),
        unable_to_communicate=unable_to_communicate,
        is_special=(not person.identified) or unable_to_communicate,
        safety_checked=safety_checked,
        safety_checked_by=acting_user if safety_checked else None,
        registered_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        **fields,
    )


# ---- many intakes at once (the ledger import)

IMPORT_BATCH = 500  # rows per INSERT, lookups per query: well under SQLite's variable limit
INTAKE_FIELDS = (
    "admitted_at",
    "source",
    "identified",
    "person_data",
    "brought_by",
    "reason",
    "unable_to_communicate",
    "safety_checked",
    "temperature",
    "health_status",
    "health_note",
)


class IntakeRefused(ValidationError):
    """``stays_register_many`` refused the intake at ``index``: nothing of the batch is saved."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.index = index


@transaction.atomic
def stays_register_many(
    *,
    station: Station,
    acting_user: Any,
    intakes: Sequence[dict[str, Any]],
    cleaned: bool = False,
) -> list[Stay]:
    """Register many intakes in one transaction, as ``stay_register`` would one after another.

    Each intake is a dict of ``stay_register``'s keywords (``INTAKE_FIELDS``). The result is the
    same records, history rows (the acting user, reason "intake", one row per save that
    ``stay_register`` would make, with the version of each), placeholder numbers and person
    matching, and one ``stays_registered`` event for them all; but the persons an intake may
    match are read once, the placeholder counters are locked once per year, and the rows are
    written in bulk (``rescue_station.bulk.bulk_insert``, as ``bulk_create`` writes them; their
    history rows with ``bulk_history_insert``). Each record is still validated (``full_clean``)
    before anything is written; the checks that need the database (foreign keys set here, the
    placeholder constraint) are left to it. A refused intake raises ``IntakeRefused`` with its
    index, and the whole batch rolls back.

    ``cleaned``: the caller has already cleaned each intake's values by the same models' rules
    (``ledger.validate`` cleans the person and the stay the row makes, and hands on the values
    the rules left): a new person and the stay are then not cleaned again. A person the
    intake matches is cleaned still: the record the intake fills in is new to the rules.
    """
    book = _PersonBook.load(station, intakes)
    placeholders = _reserve_placeholders(station, intakes)
    new_persons: list[Person] = []
    known: dict[int, Person] = {}  # persons known before the batch and matched: pk -> person
    filled: dict[int, set[str]] = {}  # what the batch filled in of them
    person_saves: list[tuple[Person, SimpleNamespace, bool]] = []  # person, its state then, created
    stays: list[Stay] = []
    for index, intake in enumerate(intakes):
        data = _person_fields(intake.get("person_data"))
        admitted_on = local_date(intake["admitted_at"])
        identified = intake.get("identified", True)
        person = None
        if identified:
            person = book.match(data, _birth_year(data))
        created = person is None
        if person is None:
            person = Person(station=station, identified=identified, **data)
            if not identified:
                person.placeholder_no = next(placeholders[admitted_on.year])
            new_persons.append(person)
        else:
            fields_filled = _fill_in(person, data)
            if "name" in fields_filled:
                person.name_pinyin = name_pinyin(person.name)
                fields_filled.add("name_pinyin")
            person.version += 1  # what save_audited's version claim would make it
            if person.pk is not None:
                known[person.pk] = person
                filled.setdefault(person.pk, set()).update(fields_filled)
        book.add(person)
        fields = {k: v for k, v in intake.items() if k in INTAKE_FIELDS}
        for key in ("admitted_at", "identified", "person_data"):
            fields.pop(key, None)
        stay = _new_stay(
            station=station,
            person=person,
            acting_user=acting_user,
            admitted_at=intake["admitted_at"],
            admitted_on=admitted_on,
            name_at_intake=str(data.get("name") or "").strip(),
            unable_to_communicate=fields.pop("unable_to_communicate", False),
            safety_checked=fields.pop("safety_checked", False),
            **fields,
        )
        before = {f: getattr(person, f) for f in PERSON_FIELDS}
        try:
            # No unique field to check (the placeholder's is a constraint, left to the database).
            if not (cleaned and created):
                person.full_clean(**_CLEAN_PERSON)
            if not cleaned:
                stay.full_clean(
                    exclude=_SET_HERE, validate_unique=False, validate_constraints=False
                )
        except ValidationError as error:
            raise IntakeRefused(index, error) from error
        if not created and person.pk is not None:
            # The model's rules fill in too (the birth date and sex an ID number encodes).
            filled[person.pk].update(f for f in PERSON_FIELDS if getattr(person, f) != before[f])
        now = timezone.now()
        person_saves.append((person, _snapshot(person, now), created))
        stay._history_date = now  # type: ignore[attr-defined]
        stays.append(stay)
    for person in new_persons:  # as Person.objects.bulk_create fills it
        person.name_pinyin = name_pinyin(person.name)
    bulk_insert(Person, new_persons, batch_size=IMPORT_BATCH)
    _update_known(known, filled)
    bulk_insert(Stay, stays, batch_size=IMPORT_BATCH)
    _write_history(person_saves, acting_user)
    bulk_history_insert(Stay, stays, acting_user=acting_user, reason="intake")
    # The minors app opens the cases of minors' stays.
    stays_registered.send(sender=Stay, stays=stays, acting_user=acting_user)
    return stays


# Foreign keys set by the service itself (checking them would cost a query each).
_SET_HERE = ["station", "person", "registered_by", "safety_checked_by"]
_CLEAN_PERSON: dict[str, Any] = {
    "exclude": ["station", "photo"],
    "validate_unique": False,
    "validate_constraints": False,
}


def _update_known(persons: dict[int, Person], filled: dict[int, set[str]]) -> None:
    """Write the known persons the batch matched: their versions (one UPDATE per version number
    and batch, where ``bulk_update`` would build a CASE of every row), and what was filled in
    (an UPDATE per person filled in, a few: a returning person's record is mostly complete)."""
    by_version: dict[int, list[int]] = {}
    for pk, person in persons.items():
        by_version.setdefault(person.version, []).append(pk)
    for version, pks in by_version.items():
        for start in range(0, len(pks), IMPORT_BATCH):
            Person.objects.filter(pk__in=pks[start : start + IMPORT_BATCH]).update(version=version)
    for pk, fields in filled.items():
        if fields:
            Person.objects.filter(pk=pk).update(**{f: getattr(persons[pk], f) for f in fields})


def _snapshot(person: Person, when: datetime) -> SimpleNamespace:
    """The person's values as this save leaves them, for its history row (its pk and creation
    time are known once written): the attributes alone, a copy of the instance costs more."""
    return SimpleNamespace(**vars(person), _history_date=when)


def _write_history(saves: list[tuple[Person, SimpleNamespace, bool]], acting_user: Any) -> None:
    """The history rows of the saves, in their order: created (+), then changed (~)."""
    for created in (True, False):
        states = []
        for person, state, was_created in saves:
            if was_created is created:
                setattr(state, Person._meta.pk.attname, person.pk)
                state.created_at = person.created_at
                states.append(state)
        bulk_history_insert(
            Person, states, acting_user=acting_user, reason="intake", update=not created
        )


def _reserve_placeholders(
    station: Station, intakes: Sequence[dict[str, Any]]
) -> dict[int, Iterator[str]]:
    """The placeholder numbers the unidentified persons of the batch take, by year (each
    unidentified intake is a new person)."""
    years = Counter(
        timezone.localtime(i["admitted_at"]).year for i in intakes if not i.get("identified", True)
    )
    return {
        year: iter(placeholders_reserve(station=station, year=year, count=count))
        for year, count in sorted(years.items())
    }


class _PersonBook:
    """The station's persons that a batch of intakes may match, read (and locked) once, and
    kept up to date as the batch creates and fills in persons: ``match`` is ``person_matches``
    (``.first()``) over them."""

    def __init__(self, persons: Iterable[Person]) -> None:
        self.by_id: dict[str, list[Person]] = {}
        self.by_name: dict[tuple[str, str], list[Person]] = {}
        self.rank: dict[int, tuple[int, int]] = {}
        for person in sorted(persons, key=lambda p: p.pk):
            self.add(person)

    @classmethod
    def load(cls, station: Station, intakes: Sequence[dict[str, Any]]) -> _PersonBook:
        """Those with an ID number or a name of the batch (a superset of what can match)."""
        ids, names = set(), set()
        for intake in intakes:
            if intake.get("identified", True):
                data = _person_fields(intake.get("person_data"))
                ids.add(data.get("id_number", ""))
                names.add(str(data.get("name", "")).strip())
        ids.discard("")
        names.discard("")
        persons = Person.objects.for_station(station).select_for_update()
        found: dict[int, Person] = {}
        for lookup, values in (("id_number__in", sorted(ids)), ("name__in", sorted(names))):
            for start in range(0, len(values), IMPORT_BATCH):
                for person in persons.filter(**{lookup: values[start : start + IMPORT_BATCH]}):
                    found.setdefault(person.pk, person)
        return cls(found.values())

    def add(self, person: Person) -> None:
        """Index ``person`` as it is now (a person is only ever filled in, never emptied)."""
        key = id(person)
        if key not in self.rank:  # known before the batch: by pk; new: after them, in order
            self.rank[key] = (0, person.pk) if person.pk else (1, len(self.rank))
        if person.id_number:
            self._put(self.by_id.setdefault(person.id_number, []), person)
        if person.name and person.hometown:  # compared as stored, as the query compares them
            pair = (person.name, person.hometown)
            self._put(self.by_name.setdefault(pair, []), person)

    @staticmethod
    def _put(persons: list[Person], person: Person) -> None:
        if not any(p is person for p in persons):
            persons.append(person)

    def _first(self, persons: Iterable[Person]) -> Person | None:
        return min(persons, key=lambda p: self.rank[id(p)], default=None)

    def match(self, data: dict[str, Any], birth_year: int | None) -> Person | None:
        id_number = data.get("id_number", "")
        if id_number and self.by_id.get(id_number):
            return self._first(self.by_id[id_number])
        name, hometown = str(data.get("name", "")).strip(), str(data.get("hometown", "")).strip()
        if name and birth_year and hometown:
            return self._first(
                p
                for p in self.by_name.get((name, hometown), [])
                if p.birth_date and p.birth_date.year == birth_year
            )
        return None


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
