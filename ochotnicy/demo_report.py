"""The demo loader's last word: it waits for the summaries the data implies and prints their figures."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import TYPE_CHECKING

from infra.polish import decimal, pln
from ochotnicy import demo_data as data

if TYPE_CHECKING:
    from ochotnicy.demo import Loader

TOGETHER = "libraries 2017–2018"
"""The key of the library programme's summary over its 1st and 2nd editions: the seeds' "24 libraries, 300+ volunteers"."""
TOGETHER_EDITIONS = (data.LIBRARIES_2017, data.LIBRARIES_2018)
TOGETHER_YEARS = {"from_year": 2017, "to_year": 2018}


def wait_for_summaries(loader: Loader, timeout: float = 90.0) -> bool:
    """Waits until the reporting service shows what the data implies; False if it did not in time."""
    expected = data.expected() | {TOGETHER: data.expected_across(set(TOGETHER_EDITIONS))}
    deadline = time.monotonic() + timeout
    while True:
        loader.result.summaries = {}
        for key, edition_id in loader.result.editions.items():
            answer = loader.client.call("GET", "reporting", f"/editions/{edition_id}/summary")
            if answer.status == 200:
                loader.result.summaries[key] = answer.body
        answer = loader.client.call("GET", "reporting", "/programmes/libraries/summary", query=TOGETHER_YEARS)
        if answer.status == 200:
            loader.result.summaries[TOGETHER] = answer.body
        if all(shows(loader.result.summaries.get(key), figures) for key, figures in expected.items()):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)


def shows(summary: dict | None, figures: dict) -> bool:
    """Whether `summary` has every figure of `figures` (a summary may tell more than the data's figures name)."""
    if summary is None:
        return False
    return all(summary.get(part, {}).get(name) == value
               for part, values in figures.items() for name, value in values.items())


def report(loader: Loader) -> None:
    if "reporting" not in loader.settings.service_urls or not wait_for_summaries(loader):
        loader.say(f"Dane demonstracyjne wczytane ({loader.result.seconds:.0f} s); podsumowania jeszcze się budują.")
        return
    lines = [f"Dane demonstracyjne wczytane ({loader.result.seconds:.0f} s):"]
    for edition in data.EDITIONS:
        s = loader.result.summaries[edition.key]
        if edition.kind == "partnership":
            detail = (f"wnioski {s['partnerships']['proposed']}, dofinansowane {s['partnerships']['funded']} "
                      f"({pln(Decimal(s['funding']['granted_total']))})")
            if edition.mal_required:
                detail += f", MAL zweryfikowany: {s['partnerships']['mal_verified']}"
            if settled := s["partnerships"].get("settled"):
                detail += f", rozliczone {settled} (do zwrotu {pln(Decimal(s['funding']['returned_total']))})"
            if revoked := s["partnerships"].get("revoked"):
                detail += f", cofnięte {revoked} ({pln(Decimal(s['funding']['revoked_total']))})"
        else:
            detail = _library_detail(s)
        lines.append(f"  {edition.name}: {detail}")
    lines.append(f"  Rozwój wolontariatu w bibliotekach, edycje 2017 i 2018 razem (każdy raz): "
                 f"{_library_detail(loader.result.summaries[TOGETHER])}")
    reporting = loader.settings.service_urls["reporting"]
    lines.append(f"  Podsumowania: {reporting}/editions; program bibliotek razem: {reporting}/programmes/libraries"
                 "?from_year=2017&to_year=2018")
    loader.say("\n".join(lines))


def _library_detail(s: dict) -> str:
    training = s["training"]
    return (f"biblioteki {s['institutions']['count']}, wolontariusze {s['volunteers']['joined']} "
            f"(nadal aktywni {s['volunteers']['active']}), zatwierdzone godziny "
            f"{decimal(Decimal(s['volunteers']['hours_approved']))}, szkolenia i spotkania {training['sessions']}, "
            f"wizyty trenerów {training['monitoring_visits']}, programy wolontariatu {training['programmes_adopted']}")
