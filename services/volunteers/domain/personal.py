"""Personal data of a volunteer, and the port through which it is sealed (no I/O here).

The domain never keeps personal data in the clear: it seals each field with the volunteer's
`Cipher` before recording an event, and opens it only when asked to show it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Protocol

from infra.errors import RuleBroken
from infra.freetext import required_words, visible, words

FIELDS = ("first_name", "last_name", "email", "phone", "birth_date")


class Unreadable(Exception):
    """Sealed data that cannot be opened: the key is gone (erased) or the data is not ours."""


class Cipher(Protocol):
    """One volunteer's key: seals and opens that volunteer's fields (the field name is bound in)."""

    def seal(self, field: str, plaintext: str) -> str: ...

    def open(self, field: str, sealed: str) -> str: ...


@dataclass(frozen=True, repr=False)
class Person:
    """Name, e-mail, phone and birth date in the clear; its repr hides them so they never reach a log line."""

    first_name: str
    last_name: str
    email: str
    phone: str | None = None
    birth_date: datetime.date | None = None

    @classmethod
    def of(cls, first_name: str, last_name: str, email: str, phone: str | None = None,
           birth_date: datetime.date | None = None, *, today: datetime.date | None = None) -> Person:
        """Trims and checks what a person typed; blank names are refused by field, a birth date after `today` too."""
        person = cls(
            first_name=required_words(first_name, field="first_name", message="Podaj imię wolontariusza.", rule="required"),
            last_name=required_words(last_name, field="last_name", message="Podaj nazwisko wolontariusza.", rule="required"),
            email=(email or "").strip(),
            phone=words(phone) or None,
            birth_date=birth_date,
        )
        if not visible(person.email):
            raise RuleBroken("Podaj adres e-mail wolontariusza.", rule="required", field="email")
        if "@" not in person.email:
            raise RuleBroken("Podaj poprawny adres e-mail, np. jan.kowalski@example.pl.", rule="email", field="email")
        if birth_date is not None and today is not None and birth_date > today:
            raise RuleBroken(f"Data urodzenia ({birth_date.isoformat()}) nie może być późniejsza niż dzisiejsza "
                             f"({today.isoformat()}).", rule="birth_date_in_future", field="birth_date")
        return person

    def with_changes(self, *, today: datetime.date, **changes: object) -> Person:
        """The person with the fields given (not None) changed, checked as a registration is."""
        fields = {name: getattr(self, name) for name in FIELDS} | {k: v for k, v in changes.items() if v is not None}
        return Person.of(**fields, today=today)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return "Person(<dane osobowe ukryte>)"


@dataclass(frozen=True)
class Sealed:
    """The same fields as ciphertext: what the event store and the read model keep (the birth date as its ISO text)."""

    first_name: str
    last_name: str
    email: str
    phone: str | None = None
    birth_date: str | None = None


def seal(person: Person, cipher: Cipher) -> Sealed:
    return Sealed(
        first_name=cipher.seal("first_name", person.first_name),
        last_name=cipher.seal("last_name", person.last_name),
        email=cipher.seal("email", person.email),
        phone=cipher.seal("phone", person.phone) if person.phone is not None else None,
        birth_date=cipher.seal("birth_date", person.birth_date.isoformat()) if person.birth_date is not None else None,
    )


def unseal(sealed: Sealed, cipher: Cipher | None) -> Person:
    """The person in the clear; raises Unreadable when there is no key (erased) or it does not fit."""
    if cipher is None:
        raise Unreadable("no key")
    return Person(
        first_name=cipher.open("first_name", sealed.first_name),
        last_name=cipher.open("last_name", sealed.last_name),
        email=cipher.open("email", sealed.email),
        phone=cipher.open("phone", sealed.phone) if sealed.phone is not None else None,
        birth_date=datetime.date.fromisoformat(cipher.open("birth_date", sealed.birth_date))
        if sealed.birth_date is not None else None,
    )
