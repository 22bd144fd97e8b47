"""Builders the applications domain tests share: editions, institution facts, a proposal."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from contracts.applications import EditionOpened, GrantCap
from services.applications.domain.editions import Edition
from services.applications.domain.institutions import InstitutionFacts
from services.applications.domain.partnerships import Partnership

AUTUMN_CAPS = (GrantCap(2, 3, Decimal("6000.00")), GrantCap(4, None, Decimal("10000.00")))


def uid() -> str:
    return str(uuid.uuid4())


def opened(**overrides) -> EditionOpened:
    values = dict(
        edition_id=uid(), programme="partnerships", name="Partnerstwa 2021 – tura jesienna", year=2021,
        round="autumn", kind="partnership", mal_required=True, grant_caps=AUTUMN_CAPS, budget=None,
        opens_on=datetime.date(2021, 9, 1), closes_on=datetime.date(2021, 10, 31),
    )
    values.update(overrides)
    return EditionOpened(**values)


def edition(**overrides) -> Edition:
    return Edition.open(opened(**overrides))


def facts(n: int, mal: int | None = 0) -> dict[str, InstitutionFacts]:
    """n institutions; the one at index `mal` is a MAL (None: no MAL)."""
    found = {}
    for i in range(n):
        fid = uid()
        found[fid] = InstitutionFacts(fid, f"Instytucja {i}", "mal" if i == mal else "library", is_mal=i == mal)
    return found


def propose(ed: Edition, institutions: dict, amount: str = "6000.00", ids=None, lead=None) -> Partnership:
    ids = list(institutions) if ids is None else ids
    return Partnership.propose(
        uid(), edition=ed, title="  Sąsiedzi   razem ", lead_institution_id=lead or ids[0], institution_ids=ids,
        requested_amount=Decimal(amount), institutions=institutions,
    )


def rule_of(excinfo) -> str:
    return excinfo.value.rule
