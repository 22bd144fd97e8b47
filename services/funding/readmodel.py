"""Tables the GET endpoints answer from: what funding learnt from events, and its own decisions.

Rows are created by whichever event about them arrives first (events of different aggregates
come in any order), so most columns are nullable until their event arrives.
"""

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, Numeric, String, Table, Text

from infra.db.statements import UtcDateTime

metadata = MetaData()

editions = Table(
    "editions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("known", Boolean, nullable=False),  # EditionOpened has arrived
    Column("name", String(200)),
    Column("programme", String(32)),
    Column("year", Integer),
    Column("round", String(16)),
    Column("kind", String(16)),
    Column("mal_required", Boolean),
    Column("grant_caps", Text),  # JSON [{min_institutions, max_institutions, cap}]
    Column("budget", Numeric(14, 2)),
    Column("closed", Boolean, nullable=False),
    Column("opened_at", UtcDateTime),
    Column("closed_at", UtcDateTime),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(36), primary_key=True),  # the partnership's id
    Column("edition_id", String(36), nullable=False, index=True),
    Column("proposed", Boolean, nullable=False),  # PartnershipProposed has arrived
    Column("title", String(200)),
    Column("lead_institution_id", String(36)),
    Column("institution_ids", Text),  # JSON list
    Column("size", Integer),
    Column("requested_amount", Numeric(14, 2)),
    Column("proposed_at", UtcDateTime),
    Column("withdrawn", Boolean, nullable=False),
    Column("withdrawn_reason", Text),
    Column("withdrawn_at", UtcDateTime),
    Column("withdrawn_event", String(36)),  # the PartnershipWithdrawn's id: processed_events says when funding applied it
    Column("mal_status", String(16), nullable=False),
    Column("mal_sequence", Integer, nullable=False),  # the partnership version that set mal_status
    Column("mal_institution_id", String(36)),
    Column("mal_reason", Text),
    Column("mal_at", UtcDateTime),
    Column("decision", String(16)),  # granted, rejected or NULL
    Column("granted_amount", Numeric(14, 2)),
    Column("granted_cap", Numeric(14, 2)),
    Column("rejection_reason", Text),
    Column("decided_at", UtcDateTime),
    Column("revoked_reason", Text),  # a grant taken back (FundingRevoked): it no longer counts against the budget
    Column("revoked_at", UtcDateTime),
    Column("settlement", String(16)),  # a SettlementStatus once a report came; NULL while none did
    Column("spent_amount", Numeric(14, 2)),  # FundingSettled's figures
    Column("returned_amount", Numeric(14, 2)),
    Column("settled_at", UtcDateTime),
    Column("version", Integer, nullable=False),  # the FundingCase aggregate's version
    Column("updated_at", UtcDateTime, nullable=False),
)

settlements = Table(
    "settlements",
    metadata,
    Column("partnership_id", String(36), primary_key=True),
    Column("sequence", Integer, primary_key=True),  # the SettlementSubmitted's version of the case
    Column("spent_amount", Numeric(14, 2), nullable=False),
    Column("volunteers_engaged", Integer, nullable=False),
    Column("hours", Numeric(10, 2), nullable=False),
    Column("submitted_on", Date, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("outcome", String(16)),  # returned or settled, once staff decided
    Column("reason", Text),  # why it was returned
    Column("decided_at", UtcDateTime),
)
"""Every final report of a case, returned ones included: the case shows its whole history."""
