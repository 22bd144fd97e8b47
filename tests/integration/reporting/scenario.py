"""Events for reporting tests, made from the contracts' dataclasses and read back from the wire form."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import uuid
from decimal import Decimal

from contracts import PUBLIC, envelope, topics
from contracts.applications import (
    EditionClosed,
    EditionOpened,
    EnrolmentWithdrawn,
    GrantCap,
    InstitutionDetailsChanged,
    InstitutionEnrolled,
    InstitutionRegistered,
    MALVerificationFailed,
    MALVerified,
    MonitoringVisitMade,
    PartnershipProposed,
    PartnershipWithdrawn,
    TrainingHeld,
    VolunteeringProgrammeAdopted,
)
from contracts.envelope import Envelope
from contracts.funding import FundingGranted, FundingRejected
from contracts.volunteers import VolunteerHoursApproved, VolunteerJoined, VolunteerLeft

UTC = datetime.timezone.utc
SERVICE_OF_TOPIC = {topic: service for service, topic in topics.BY_SERVICE.items()}


def new_id() -> str:
    return str(uuid.uuid4())


def at(text: str) -> datetime.datetime:
    """'2021-10-05 12:00' in UTC."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def subject_of(event) -> str:
    """The aggregate id the owning service keys the event by."""
    if isinstance(event, (VolunteerJoined, VolunteerLeft, VolunteerHoursApproved)):
        return event.volunteer_id
    if isinstance(event, (InstitutionRegistered, InstitutionDetailsChanged)):
        return event.institution_id
    if isinstance(event, (EditionOpened, EditionClosed)):
        return event.edition_id
    if isinstance(event, (InstitutionEnrolled, EnrolmentWithdrawn, VolunteeringProgrammeAdopted)):
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event.edition_id}/{event.institution_id}"))
    if isinstance(event, TrainingHeld):
        return event.training_id
    if isinstance(event, MonitoringVisitMade):
        return event.visit_id
    return event.partnership_id


def raw(event, *, time: datetime.datetime, subject: str | None = None, sequence: int = 1, id: str | None = None) -> bytes:
    """The CloudEvents JSON a service would publish for `event`."""
    spec, data = PUBLIC.encode(event)
    return envelope.write(
        id=id or new_id(),
        service=SERVICE_OF_TOPIC[spec.topic],
        type=spec.type,
        version=spec.version,
        subject=subject or subject_of(event),
        sequence=sequence,
        time=time,
        data=data,
    )


def wrap(event, *, time: datetime.datetime, subject: str | None = None, sequence: int = 1, id: str | None = None) -> Envelope:
    """The envelope a consumer would hand to the projector (through the wire form and back)."""
    return envelope.read(raw(event, time=time, subject=subject, sequence=sequence, id=id), PUBLIC)


def topic_of(env: Envelope) -> str:
    return PUBLIC.spec(env.type).topic


def proposed(edition_id, members, amount="6000.00", partnership_id=None):
    partnership_id = partnership_id or new_id()
    return PartnershipProposed(partnership_id, edition_id, "Wspólne czytanie", members[0], tuple(members), Decimal(amount))


ZERO = {
    "partnerships": {"proposed": 0, "mal_verified": 0, "funded": 0, "rejected": 0, "withdrawn": 0, "revoked": 0, "settled": 0},
    "funding": {"requested_total": "0.00", "granted_total": "0.00", "revoked_total": "0.00", "spent_total": "0.00",
                "returned_total": "0.00"},
    "institutions": {"count": 0, "by_kind": {}, "by_district": {}},
    "volunteers": {"joined": 0, "active": 0, "hours_approved": "0.00"},
    "training": {"sessions": 0, "hours": "0.00", "institutions_trained": 0, "monitoring_visits": 0, "institutions_visited": 0,
                 "programmes_adopted": 0},
}
GROUPS = tuple(ZERO)
"""The summary's groups of figures (what an edition's summary and a programme's totals share)."""


def figures(summary: dict) -> dict:
    return {k: summary[k] for k in GROUPS}


def with_(base: dict, **changes) -> dict:
    """ZERO with some groups changed: with_(ZERO, partnerships={"proposed": 1})."""
    result = {k: dict(v) for k, v in base.items()}
    for group, values in changes.items():
        result[group].update(values)
    return result


CAPS = (GrantCap(2, 3, Decimal("6000.00")), GrantCap(4, None, Decimal("10000.00")))


def edition_opened(edition_id: str, name: str = "Partnerstwa 2021 – tura jesienna", kind: str = "partnership",
                   programme: str = "partnerships", round: str | None = "autumn") -> EditionOpened:
    return EditionOpened(
        edition_id=edition_id, programme=programme, name=name, year=2021, round=round, kind=kind,
        mal_required=True, grant_caps=CAPS if kind == "partnership" else (), budget=Decimal("150000.00"),
        opens_on=datetime.date(2021, 9, 1), closes_on=datetime.date(2021, 10, 31),
    )


@dataclasses.dataclass
class Populated:
    """A realistic autumn round, as the events that told its story, in the order they happened."""

    edition_id: str
    events: list[Envelope]
    institutions: dict[str, str]  # name -> id
    partnerships: dict[str, str]  # title -> id
    volunteers: list[str]

    # What the summary must say when everything has arrived:
    expected = with_(
        ZERO,
        partnerships={"proposed": 5, "mal_verified": 3, "funded": 3, "rejected": 1, "withdrawn": 1},
        funding={"requested_total": "29500.00", "granted_total": "20500.00"},
        institutions={
            "count": 9,
            "by_kind": {"library": 3, "culture_house": 2, "mal": 2, "school": 1, "ngo": 1},
            "by_district": {"Ochota": 3, "Wola": 2, "Mokotów": 2, "Praga-Północ": 2},
        },
        volunteers={"joined": 4, "active": 3},
    )


INSTITUTIONS = [
    ("Biblioteka Publiczna Ochota – Filia nr 4", "library", "Ochota", False),
    ("Ognisko Pracy Pozaszkolnej na Ochocie", "culture_house", "Ochota", False),
    ("MAL Szczęśliwice", "mal", "Ochota", True),
    ("Biblioteka na Woli – Wypożyczalnia nr 17", "library", "Wola", False),
    ("Dom Kultury „Działdowska”", "culture_house", "Wola", False),
    ("Szkoła Podstawowa nr 103", "school", "Mokotów", False),
    ("Biblioteka Mokotów – Filia nr 7", "library", "Mokotów", False),
    ("MAL Szmulki", "mal", "Praga-Północ", True),
    ("Stowarzyszenie Praga Gada", "ngo", "Praga-Północ", False),
]


def populated() -> Populated:
    """Five partnerships in one edition: 3 funded (6000 + 6000 + 8500), 1 rejected, 1 withdrawn;
    four volunteers joined, one of them left; an institution of another edition must not count."""
    edition_id = new_id()
    other_edition = new_id()
    ids = {name: new_id() for name, *_ in INSTITUTIONS}
    inst = [ids[name] for name, *_ in INSTITUTIONS]
    events: list[Envelope] = []

    def add(event, when: str, **kw) -> None:
        events.append(wrap(event, time=at(when), **kw))

    add(edition_opened(edition_id), "2021-09-01 08:00")
    add(edition_opened(other_edition, name="Partnerstwa 2022 – tura wiosenna", round="spring"), "2022-02-01 08:00")
    for n, (name, kind, district, is_mal) in enumerate(INSTITUTIONS):
        add(InstitutionRegistered(ids[name], name, kind, district, is_mal), f"2021-08-{10 + n:02d} 09:00")
    outsider = new_id()
    add(InstitutionRegistered(outsider, "Dom Kultury Wawer", "culture_house", "Wawer", False), "2021-08-25 09:00")

    titles = ["Sąsiedzi na Ochocie", "Czytamy na Woli", "Mokotów razem", "Praga słucha", "Wycofany pomysł"]
    p = {t: new_id() for t in titles}
    proposals = [
        # title, members, requested, when
        ("Sąsiedzi na Ochocie", [inst[0], inst[1], inst[2]], "6000.00", "2021-09-10 10:00"),
        ("Czytamy na Woli", [inst[3], inst[4], inst[2]], "6000.00", "2021-09-15 10:00"),
        ("Mokotów razem", [inst[5], inst[6], inst[7], inst[8]], "9500.00", "2021-09-20 10:00"),
        ("Praga słucha", [inst[7], inst[8]], "8000.00", "2021-10-01 10:00"),
        ("Wycofany pomysł", [inst[0], inst[3]], "5000.00", "2021-10-05 10:00"),
    ]
    for title, members, amount, when in proposals:
        add(PartnershipProposed(p[title], edition_id, title, members[0], tuple(members), Decimal(amount)), when)
    add(PartnershipProposed(new_id(), other_edition, "Inna edycja", outsider, (outsider, inst[0]), Decimal("1000.00")),
        "2022-02-10 10:00")
    add(MALVerified(p["Sąsiedzi na Ochocie"], edition_id, inst[2]), "2021-10-12 09:00", sequence=2)
    add(MALVerificationFailed(p["Czytamy na Woli"], edition_id, "MAL nie potwierdził udziału", inst[2]),
        "2021-10-12 10:00", sequence=2)
    add(MALVerified(p["Czytamy na Woli"], edition_id, inst[2]), "2021-10-14 09:00", sequence=3)
    add(MALVerified(p["Mokotów razem"], edition_id, inst[7]), "2021-10-15 09:00", sequence=2)
    add(PartnershipWithdrawn(p["Wycofany pomysł"], edition_id, "Zmiana planów"), "2021-10-20 09:00", sequence=2)
    add(FundingGranted(p["Sąsiedzi na Ochocie"], edition_id, Decimal("6000.00"), Decimal("6000.00")), "2021-11-05 12:00")
    add(FundingGranted(p["Czytamy na Woli"], edition_id, Decimal("6000.00"), Decimal("6000.00")), "2021-11-05 12:10")
    add(FundingGranted(p["Mokotów razem"], edition_id, Decimal("8500.00"), Decimal("10000.00")), "2021-11-06 12:00")
    add(FundingRejected(p["Praga słucha"], edition_id, "Brak weryfikacji MAL"), "2021-11-06 12:30")
    add(EditionClosed(edition_id), "2021-12-20 12:00", sequence=2)

    volunteers = [new_id() for _ in range(4)]
    joins = [
        (volunteers[0], inst[0], p["Sąsiedzi na Ochocie"], "2021-10-03", "2021-10-04 09:00"),
        (volunteers[1], inst[3], p["Czytamy na Woli"], "2021-11-02", "2021-11-03 09:00"),
        (volunteers[2], inst[5], p["Mokotów razem"], "2021-11-15", "2021-11-16 09:00"),
        (volunteers[3], inst[6], None, "2021-12-01", "2021-12-02 09:00"),
    ]
    memberships = {}
    for volunteer, institution, partnership, joined_on, when in joins:
        memberships[volunteer] = new_id()
        add(VolunteerJoined(volunteer, memberships[volunteer], institution, edition_id, partnership,
                            datetime.date.fromisoformat(joined_on)), when)
    # The first volunteer also joins a second institution (still one volunteer), then leaves the first.
    add(VolunteerJoined(volunteers[0], new_id(), inst[1], edition_id, None, datetime.date(2021, 11, 10)),
        "2021-11-10 09:00", sequence=3)
    add(VolunteerLeft(volunteers[0], memberships[volunteers[0]], inst[0], edition_id, datetime.date(2021, 12, 10)),
        "2021-12-10 09:00", sequence=4)
    # The fourth volunteer leaves: three remain active.
    add(VolunteerLeft(volunteers[3], memberships[volunteers[3]], inst[6], edition_id, datetime.date(2021, 12, 15)),
        "2021-12-15 09:00", sequence=2)
    return Populated(edition_id, events, ids, p, volunteers)


def rewrite(env: Envelope) -> bytes:
    """The wire form of an envelope again (same id, subject, time): what a re-publishing relay sends."""
    spec, data = PUBLIC.encode(env.data)
    return envelope.write(id=env.id, service=SERVICE_OF_TOPIC[spec.topic], type=spec.type, version=spec.version,
                          subject=env.subject, sequence=env.sequence, time=env.time, data=data)


def rebuilt(trace: dict):
    """A figure again, from nothing but the events its sources list (an answer of /summary/sources)."""
    contributed = [s["contributes"] for s in trace["sources"]]
    derivation = trace["derivation"]
    if derivation.startswith("sum "):  # sum amount, sum hours
        column = derivation.removeprefix("sum ")
        return str(sum((decimal.Decimal(c[column]) for c in contributed), decimal.Decimal("0.00")))
    if derivation.startswith("count distinct institution_id"):
        describing = ("InstitutionRegistered", "InstitutionDetailsChanged")  # say what an institution is, name none in the edition
        return len({c["institution_id"] for c, s in zip(contributed, trace["sources"]) if s["type"] not in describing})
    key = derivation.removeprefix("count distinct ")
    return len({c[key] for c in contributed})
