"""Personal data: sealed per volunteer, never in the clear in events, unreadable once the key is gone."""

from __future__ import annotations

import dataclasses
import datetime
import uuid

import pytest

from infra.errors import RuleBroken
from services.volunteers.commands import RegisterVolunteer
from services.volunteers.crypto import VolunteerCipher, email_digest, new_key
from services.volunteers.domain.events import REGISTRY, VolunteerRegistered
from services.volunteers.domain.personal import Person, Sealed, Unreadable, seal, unseal
from services.volunteers.domain.volunteers import Volunteer

ANNA = Person.of("  Anna  Maria ", "Wiśniewska-Kowalczyk", " anna.wisniewska@example.pl ", "+48 600 123 456",
                 datetime.date(1990, 5, 17))
SECRETS = ("Anna", "Wiśniewska", "anna.wisniewska", "600 123 456", "1990-05-17")


def cipher(volunteer_id: str | None = None) -> VolunteerCipher:
    return VolunteerCipher(volunteer_id or str(uuid.uuid4()), new_key())


def test_input_is_trimmed_and_blank_names_are_refused_by_field():
    assert (ANNA.first_name, ANNA.email, ANNA.phone) == ("Anna Maria", "anna.wisniewska@example.pl", "+48 600 123 456")
    assert Person.of("Jan", "Kos", "jan@example.pl", "  ").phone is None
    with pytest.raises(RuleBroken) as refused:
        Person.of("   ", "Kos", "jan@example.pl")
    assert refused.value.field == "first_name"
    for args, field, message in ((("Jan", "\u200b", "jan@example.pl"), "last_name", "Podaj nazwisko wolontariusza."),
                                 (("Jan", "Kos", "  "), "email", "Podaj adres e-mail wolontariusza.")):
        with pytest.raises(RuleBroken) as refused:
            Person.of(*args)
        assert (refused.value.field, refused.value.rule, refused.value.message) == (field, "required", message)


def test_sealed_fields_open_again_with_the_same_key():
    key = cipher()
    sealed = seal(ANNA, key)
    assert unseal(sealed, key) == ANNA
    assert all(value.startswith("v1.") for value in dataclasses.astuple(sealed))


def test_the_same_value_seals_differently_each_time():
    key = cipher()
    assert key.seal("email", "a@example.pl") != key.seal("email", "a@example.pl")


def test_registration_records_only_ciphertext_in_the_event():
    volunteer_id = str(uuid.uuid4())
    key = cipher(volunteer_id)
    volunteer = Volunteer.register(volunteer_id, ANNA, key)
    [(_, event)] = volunteer.pull_events()
    assert isinstance(event, VolunteerRegistered)
    _, data = REGISTRY.encode(event)
    stored = repr(data) + repr(event)
    for secret in SECRETS:
        assert secret not in stored
    assert volunteer.person(key) == ANNA


def test_without_the_key_nothing_opens_and_the_aggregate_says_erased_instead_of_failing():
    volunteer_id = str(uuid.uuid4())
    volunteer = Volunteer.register(volunteer_id, ANNA, cipher(volunteer_id))
    with pytest.raises(Unreadable):
        unseal(volunteer.sealed, None)
    with pytest.raises(Unreadable):
        unseal(volunteer.sealed, cipher(volunteer_id))  # another key: a shredded one cannot be guessed back
    assert volunteer.person(cipher(volunteer_id)) is None
    volunteer.erase()
    assert volunteer.person(None) is None


def test_a_ciphertext_moved_to_another_field_or_volunteer_does_not_open():
    volunteer_id = str(uuid.uuid4())
    key = new_key()
    sealed = VolunteerCipher(volunteer_id, key).seal("first_name", "Anna")
    with pytest.raises(Unreadable):
        VolunteerCipher(volunteer_id, key).open("last_name", sealed)
    with pytest.raises(Unreadable):
        VolunteerCipher(str(uuid.uuid4()), key).open("first_name", sealed)
    with pytest.raises(Unreadable):
        VolunteerCipher(volunteer_id, key).open("first_name", "v1.not-base64!")


def test_personal_data_never_shows_in_a_repr_that_might_reach_a_log():
    command = RegisterVolunteer(str(uuid.uuid4()), "Anna", "Wiśniewska", "anna.wisniewska@example.pl", "600 123 456")
    for text in (repr(ANNA), repr(command), repr(cipher())):
        for secret in SECRETS:
            assert secret not in text


def test_the_email_digest_ignores_case_and_spaces_and_depends_on_the_secret():
    secret = b"s" * 32
    assert email_digest(secret, " Anna@Example.PL ") == email_digest(secret, "anna@example.pl")
    assert email_digest(secret, "anna@example.pl") != email_digest(b"t" * 32, "anna@example.pl")
    assert "anna" not in email_digest(secret, "anna@example.pl")


def test_a_sealed_record_without_a_phone_keeps_none():
    key = cipher()
    person = Person.of("Jan", "Kos", "jan@example.pl")
    sealed = seal(person, key)
    assert sealed.phone is None and unseal(sealed, key).phone is None
    assert isinstance(sealed, Sealed)
