"""A round whose grants go on after the decisions: revoked, reported, returned, settled; and a register corrected meanwhile."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from contracts.applications import InstitutionDetailsChanged, InstitutionRegistered, PartnershipProposed, PartnershipWithdrawn
from contracts.envelope import Envelope
from contracts.funding import FundingGranted, FundingRevoked, FundingSettled, SettlementReturned, SettlementSubmitted
from tests.integration.reporting.scenario import ZERO, at, edition_opened, new_id, with_, wrap


@dataclasses.dataclass
class Story:
    edition_id: str
    events: list[Envelope]
    partnerships: dict[str, str]  # title -> id
    institutions: dict[str, str]  # the name it was registered with -> id


INSTITUTIONS = [
    ("Biblioteka na Ochocie", "library", "Ochota"),
    ("Dom Kultury „Rakowiec”", "culture_house", "Ochota"),
    ("MAL Szczęśliwice", "mal", "Ochota"),
    ("Szkoła Podstawowa nr 12", "school", "Wola"),
]
CORRECTED = "Biblioteka na Ochocie"
"""Corrected on 15 November 2022 (a culture house in Włochy, renamed), renamed again on 1 February 2023."""
CORRECTIONS = (
    ("2022-11-15 10:00", "Dom Kultury „Włochy” – Filia", "culture_house", "Włochy"),
    ("2023-02-01 10:00", "Dom Kultury „Włochy”", "culture_house", "Włochy"),
)

SETTLED, WITHDRAWN, REVOKED, AWAITING, OPEN = (
    "Ogrody sąsiedzkie", "Czytanie na głos", "Warsztaty rodzinne", "Spacery z historią", "Kino plenerowe")
GRANTS = {SETTLED: "6000.00", WITHDRAWN: "5000.00", REVOKED: "8000.00", AWAITING: "4000.00", OPEN: "3000.00"}


def story() -> Story:
    """Five grants of 1–6 October 2022 (26 000 zł): one settled in January (5 400 spent, 600 returned, after a report
    sent back once), one revoked when its partnership withdrew, one revoked by staff, one with a report awaiting
    acceptance, one without a report; and the lead of the settled one corrected in the register twice."""
    edition_id = new_id()
    institution = {name: new_id() for name, *_ in INSTITUTIONS}
    p = {title: new_id() for title in GRANTS}
    events: list[Envelope] = []

    def add(event, when: str, **kw) -> None:
        events.append(wrap(event, time=at(when), **kw))

    add(edition_opened(edition_id, name="Partnerstwa 2022 – tura jesienna"), "2022-09-01 08:00")
    for n, (name, kind, district) in enumerate(INSTITUTIONS):
        add(InstitutionRegistered(institution[name], name, kind, district, kind == "mal"), f"2022-08-{10 + n:02d} 09:00")
    ids = list(institution.values())
    for n, (title, amount) in enumerate(GRANTS.items()):
        members = (ids[n % 4], ids[(n + 1) % 4])
        add(PartnershipProposed(p[title], edition_id, title, members[0], members, Decimal(amount)), f"2022-09-{5 + n:02d} 10:00")
    for n, (title, amount) in enumerate(GRANTS.items()):
        add(FundingGranted(p[title], edition_id, Decimal(amount), Decimal("6000.00")), f"2022-10-0{1 + n} 10:00")
    add(PartnershipWithdrawn(p[WITHDRAWN], edition_id, "Zmiana planów"), "2022-11-02 09:00", sequence=2)
    add(FundingRevoked(p[WITHDRAWN], edition_id, Decimal("5000.00"), "Partnerstwo wycofało się po decyzji"),
        "2022-11-02 09:00:01", sequence=2)
    add(FundingRevoked(p[REVOKED], edition_id, Decimal("8000.00"), "Nie rozpoczęto działań"), "2022-12-01 12:00", sequence=2)
    for when, name, kind, district in CORRECTIONS:
        add(InstitutionDetailsChanged(institution[CORRECTED], name, kind, district, False), when, sequence=2)
    report = dict(spent_amount=Decimal("5400.00"), volunteers_engaged=12, hours=Decimal("240.5"),
                  submitted_on=datetime.date(2023, 1, 10))
    add(SettlementSubmitted(p[SETTLED], edition_id, **report), "2023-01-10 10:00", sequence=2)
    add(SettlementReturned(p[SETTLED], edition_id, "Brak listy wolontariuszy"), "2023-01-12 10:00", sequence=3)
    add(SettlementSubmitted(p[SETTLED], edition_id, **report), "2023-01-16 10:00", sequence=4)
    add(FundingSettled(p[SETTLED], edition_id, Decimal("6000.00"), Decimal("5400.00"), Decimal("600.00")),
        "2023-01-20 10:00", sequence=5)
    add(SettlementSubmitted(p[AWAITING], edition_id, spent_amount=Decimal("3900.00"), volunteers_engaged=5,
                            hours=Decimal("60"), submitted_on=datetime.date(2023, 1, 25)), "2023-01-25 10:00", sequence=2)
    return Story(edition_id, events, p, institution)


GRANTED = with_(ZERO, partnerships={"proposed": 5, "funded": 5}, funding={"requested_total": "26000.00", "granted_total": "26000.00"})
AFTER_WITHDRAWAL = with_(GRANTED, partnerships={"funded": 4, "withdrawn": 1, "revoked": 1},
                         funding={"requested_total": "21000.00", "granted_total": "21000.00", "revoked_total": "5000.00"})
AFTER_REVOCATION = with_(AFTER_WITHDRAWAL, partnerships={"funded": 3, "revoked": 2},
                         funding={"granted_total": "13000.00", "revoked_total": "13000.00"})
SETTLED_FIGURES = with_(AFTER_REVOCATION, partnerships={"settled": 1}, funding={"spent_total": "5400.00", "returned_total": "600.00"})

MOMENTS = {
    "2022-09-30": with_(GRANTED, partnerships={"funded": 0}, funding={"granted_total": "0.00"}),
    "2022-10-10": GRANTED,
    "2022-11-02T09:00:00Z": with_(GRANTED, partnerships={"withdrawn": 1}, funding={"requested_total": "21000.00"}),
    "2022-11-02T09:00:01Z": AFTER_WITHDRAWAL,
    "2022-11-30": AFTER_WITHDRAWAL,
    "2022-12-01T12:00:00Z": AFTER_REVOCATION,
    "2023-01-19": AFTER_REVOCATION,
    "2023-01-20T10:00:00Z": SETTLED_FIGURES,
    "2030-01-01": SETTLED_FIGURES,
}
"""The partnership and funding figures as they stood at moments on both sides of each revocation and the settlement."""


def figures(summary: dict) -> dict:
    """The summary's partnership and funding groups (the institutions: tests of their own)."""
    return {k: summary[k] for k in ("partnerships", "funding")}
