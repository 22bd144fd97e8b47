"""The vocabulary's StrEnums are their words: naming a member instead of a string changes no byte anywhere."""

import datetime
import json
import sqlite3
import uuid
from decimal import Decimal

import orjson
import psycopg
import pytest
from psycopg.adapt import PyFormat
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select, text

from contracts import PUBLIC, envelope, vocabulary
from contracts.applications import EditionOpened, GrantCap
from contracts.funding import FundingGranted, GrantInputs, RulesApplied
from contracts.vocabulary import (
    CaseStatus,
    EditionKind,
    EditionStatus,
    InstitutionKind,
    MalStatus,
    Outcome,
    PartnershipStatus,
    Programme,
    Round,
)
from services.reporting import readmodel
from services.reporting.readmodel import Stage

ENUMS = (Programme, Round, EditionKind, InstitutionKind, EditionStatus, PartnershipStatus, MalStatus, Outcome, CaseStatus)
MEMBERS = [member for enum in ENUMS for member in enum]


def test_the_words_are_the_contracts_words():
    # CONTRACT.md names these; a member renamed in code must never change what is written.
    assert vocabulary.PROGRAMMES == ("partnerships", "libraries", "culture_houses", "care_homes")
    assert vocabulary.ROUNDS == ("spring", "autumn")
    assert vocabulary.EDITION_KINDS == ("partnership", "enrolment")
    assert vocabulary.INSTITUTION_KINDS == (
        "library", "culture_house", "mal", "social_welfare_centre", "school", "care_home", "ngo", "other",
    )
    assert vocabulary.PARTNERSHIP_STATUSES == ("proposed", "withdrawn")
    assert vocabulary.CASE_STATUSES == ("open", "granted", "rejected", "withdrawn", "revoked")
    assert set(MalStatus) == {"not_required", "pending", "verified", "failed"}
    assert set(EditionStatus) == {"open", "closed"} and set(Outcome) == {"granted", "rejected"}


def test_the_tuples_hold_plain_strings():
    for words in (vocabulary.PROGRAMMES, vocabulary.ROUNDS, vocabulary.EDITION_KINDS, vocabulary.INSTITUTION_KINDS,
                  vocabulary.PARTNERSHIP_STATUSES, vocabulary.CASE_STATUSES, vocabulary.DISTRICTS):
        assert all(type(word) is str for word in words)


@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: f"{type(m).__name__}.{m.name}")
def test_a_member_is_its_word_wherever_it_is_written(member):
    word = member.value
    assert type(word) is str
    assert member == word and hash(member) == hash(word)
    assert str(member) == f"{member}" == word
    assert orjson.dumps(member) == orjson.dumps(word)
    assert json.dumps(member) == json.dumps(word)
    assert {word: 1}[member] == 1


def test_an_event_built_from_members_is_written_as_one_built_from_words():
    edition_id = str(uuid.uuid4())

    def opened(programme, round_, kind):
        return EditionOpened(
            edition_id=edition_id, programme=programme, name="Biblioteki 2026", year=2026, round=round_, kind=kind,
            mal_required=False, grant_caps=(), budget=None,
            opens_on=datetime.date(2026, 3, 1), closes_on=datetime.date(2026, 4, 1),
        )

    def wire(event):
        spec, data = PUBLIC.encode(event)
        return envelope.write(id=edition_id, service="applications", type=spec.type, version=spec.version,
                              subject=edition_id, sequence=1, time=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
                              data=data)

    by_member = wire(opened(Programme.LIBRARIES, Round.SPRING, EditionKind.ENROLMENT))
    assert by_member == wire(opened("libraries", "spring", "enrolment"))
    read = envelope.read(by_member, PUBLIC).data
    assert type(read.programme) is str and read.kind == EditionKind.ENROLMENT


def test_grant_inputs_carry_the_mal_status_as_its_word():
    granted = FundingGranted(
        partnership_id=str(uuid.uuid4()), edition_id=str(uuid.uuid4()), amount=Decimal("5000.00"), cap=Decimal("6000.00"),
        rules=RulesApplied(mal_required=True, grant_caps=(GrantCap(2, None, Decimal("6000.00")),), budget=None),
        inputs=GrantInputs(partnership_size=3, requested_amount=Decimal("6000.00"), mal_status=MalStatus.VERIFIED,
                           budget_committed_before=None),
    )
    _spec, data = PUBLIC.encode(granted)
    assert data["inputs"]["mal_status"] == "verified" and type(data["inputs"]["mal_status"]) is str


def test_a_member_is_stored_as_its_word_by_sqlalchemy_and_the_drivers():
    table = Table("statuses", MetaData(), Column("status", String(16)))
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(table), [{"status": EditionStatus.OPEN}, {"status": MalStatus.NOT_REQUIRED}])
        stored = connection.execute(text("SELECT status, typeof(status) FROM statuses")).all()
        read = connection.execute(select(table.c.status)).scalars().all()
    assert [tuple(r) for r in stored] == [("open", "text"), ("not_required", "text")]
    assert all(type(value) is str for value in read)
    # PostgreSQL's driver takes a StrEnum for the str it is (not Enum's name): the same bytes as the word.
    for member in MEMBERS:
        dumper = psycopg.adapters.get_dumper(type(member), PyFormat.AUTO)
        assert bytes(dumper(type(member)).dump(member)) == member.value.encode()
    sqlite = sqlite3.connect(":memory:")
    assert sqlite.execute("SELECT ?", (CaseStatus.WITHDRAWN,)).fetchone() == ("withdrawn",)


def test_every_reporting_stage_is_a_column_group_of_the_read_model():
    columns = {c.name for table in readmodel.metadata.tables.values() for c in table.columns}
    for stage in Stage:
        assert {f"{stage.value}_event", f"{stage.value}_subject", f"{stage.value}_at"} <= columns, stage
