"""Tables the GET endpoints answer from, and what this service knows of institutions and editions.

`volunteers` keeps the personal fields as the same ciphertext the events carry (erasure nulls them);
`known_*` are small projections of the applications service's events, built order-tolerantly.
"""

from sqlalchemy import Boolean, Column, Date, Index, Integer, MetaData, Numeric, String, Table, Text, false

from infra.db.statements import UtcDateTime

metadata = MetaData()

volunteers = Table(
    "volunteers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("first_name", Text),
    Column("last_name", Text),
    Column("email", Text),
    Column("phone", Text),
    Column("birth_date", Text),
    Column("erased", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("registered_at", UtcDateTime, nullable=False),
    Column("erased_at", UtcDateTime),
)

memberships = Table(
    "memberships",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("volunteer_id", String(36), nullable=False, index=True),
    Column("institution_id", String(36), nullable=False),
    Column("edition_id", String(36), nullable=False),
    Column("partnership_id", String(36)),
    Column("joined_on", Date, nullable=False),
    Column("left_on", Date),
    Column("joined_at", UtcDateTime, nullable=False),
    Column("left_at", UtcDateTime),
    Column("agreement_signed_on", Date),
    Column("accident_insurance", Boolean, nullable=False, server_default=false()),
    Column("guardian_consent", Boolean, nullable=False, server_default=false()),
    Column("minor", Boolean, nullable=False, server_default=false(), doc="under 18 on the day of joining"),
    Column("long_from", Date, nullable=False,
           doc="the first day the engagement has lasted over 30 days (domain.paperwork.long_from of joined_on)"),
    Index("ix_memberships_institution_edition", "institution_id", "edition_id"),
)

hours_entries = Table(
    "hours_entries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("volunteer_id", String(36), nullable=False, index=True),
    Column("membership_id", String(36), nullable=False, index=True),
    Column("institution_id", String(36), nullable=False),
    Column("edition_id", String(36), nullable=False),
    Column("month", String(7), nullable=False),
    Column("hours", Numeric(9, 2), nullable=False),
    Column("activity", Text),
    Column("status", String(16), nullable=False, index=True),
    Column("reason", Text),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("decided_at", UtcDateTime),
)
"""Monthly hours of memberships: submitted, then approved or declined (a declined entry stays, with its reason)."""

known_institutions = Table(
    "known_institutions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("district", String(32), nullable=False),
    Column("version", Integer, nullable=False, doc="the sequence of the event the row is from: an older one never overwrites it"),
)

known_editions = Table(
    "known_editions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200)),
    Column("programme", String(32)),
    Column("year", Integer),
    Column("opened", Boolean, nullable=False),
    Column("closed", Boolean, nullable=False),
)
"""A row may come from EditionClosed before EditionOpened arrives; the edition is known once `opened`."""

known_partnerships = Table(
    "known_partnerships",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False),
    Column("institution_ids", Text),
    Column("proposed", Boolean, nullable=False),
    Column("withdrawn", Boolean, nullable=False),
)
"""A row may come from PartnershipWithdrawn first; the partnership is known once `proposed`."""

known_participants = Table(
    "known_participants",
    metadata,
    Column("edition_id", String(36), primary_key=True),
    Column("institution_id", String(36), primary_key=True),
    Column("via", String(36), primary_key=True),
)
"""An institution takes part in an edition by enrolling (`via` "enrolment") or as a partner of a proposal (`via`
the partnership's id; it no longer counts once that partnership is withdrawn)."""
ENROLMENT = "enrolment"

