"""The volunteers' keys: one row per volunteer; deleting it shreds their personal data everywhere.

The key row also carries the keyed digest of the e-mail used to refuse a second registration of
the same address, so erasure removes both in one statement. Nothing here is a read model: the
rows are not derived from events (an audit replay leaves them alone).
"""

from __future__ import annotations

import datetime

from sqlalchemy import Column, Connection, LargeBinary, MetaData, String, Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infra.db.statements import UtcDateTime
from infra.errors import Conflict
from services.volunteers.crypto import VolunteerCipher, email_digest, new_key

metadata = MetaData()

volunteer_keys = Table(
    "volunteer_keys",
    metadata,
    Column("volunteer_id", String(36), primary_key=True),
    Column("key", LargeBinary, nullable=False),
    Column("email_digest", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)

service_secrets = Table(
    "service_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)
"""Random secrets made by the migration; `email_digest` keys the e-mail digests."""


def _digest(session: Session, email: str) -> str:
    secret = session.execute(select(service_secrets.c.value).where(service_secrets.c.name == "email_digest")).scalar_one()
    return email_digest(secret, email)


def holder_of(session: Session, email: str) -> str | None:
    """The volunteer registered with this e-mail (not erased), if any."""
    return session.execute(
        select(volunteer_keys.c.volunteer_id).where(volunteer_keys.c.email_digest == _digest(session, email))
    ).scalar()


def create(session: Session, volunteer_id: str, email: str) -> VolunteerCipher:
    """A new key for a new volunteer, in the caller's transaction."""
    key = new_key()
    try:
        with session.begin_nested():
            session.execute(
                insert(volunteer_keys).values(
                    volunteer_id=volunteer_id,
                    key=key,
                    email_digest=_digest(session, email),
                    created_at=datetime.datetime.now(datetime.timezone.utc),
                )
            )
    except IntegrityError as exc:
        raise Conflict(
            "Wolontariusz z tym adresem e-mail został właśnie zarejestrowany. Wyszukaj istniejący wpis.",
            rule="duplicate_email",
            field="email",
        ) from exc
    return VolunteerCipher(volunteer_id, key)


def change_email(session: Session, volunteer_id: str, email: str) -> None:
    """The digest follows a corrected address, in the caller's transaction (Conflict when another volunteer holds it)."""
    try:
        with session.begin_nested():
            session.execute(update(volunteer_keys).where(volunteer_keys.c.volunteer_id == volunteer_id)
                            .values(email_digest=_digest(session, email)))
    except IntegrityError as exc:
        raise Conflict("Ten adres e-mail ma już inny wolontariusz. Wyszukaj jego wpis.", rule="duplicate_email",
                       field="email") from exc


def cipher(session: Session | Connection, volunteer_id: str) -> VolunteerCipher | None:
    """The volunteer's cipher, or None when the key has been shredded."""
    key = session.execute(select(volunteer_keys.c.key).where(volunteer_keys.c.volunteer_id == volunteer_id)).scalar()
    return VolunteerCipher(volunteer_id, key) if key is not None else None


def ciphers(session: Session | Connection, volunteer_ids: list[str]) -> dict[str, VolunteerCipher]:
    rows = session.execute(
        select(volunteer_keys.c.volunteer_id, volunteer_keys.c.key).where(volunteer_keys.c.volunteer_id.in_(volunteer_ids))
    )
    return {r.volunteer_id: VolunteerCipher(r.volunteer_id, r.key) for r in rows}


def shred(session: Session, volunteer_id: str) -> None:
    """Deletes the key (and the e-mail digest): the sealed data can never be opened again."""
    session.execute(delete(volunteer_keys).where(volunteer_keys.c.volunteer_id == volunteer_id))
