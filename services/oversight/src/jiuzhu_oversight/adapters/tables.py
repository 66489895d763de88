"""Oversight's own tables: the district's register, audit trail and its checkpoints, clocks,
filings, spot checks, rectification orders, beneficiary index and dead letters."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

metadata = MetaData()

register = Table(
    "register", metadata,
    Column("case_id", String(40), primary_key=True),
    Column("jurisdiction", Text, nullable=False, index=True),
    Column("category", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("applicant_name", Text, nullable=False),
    Column("committee", Text, nullable=False),
    Column("accepted_on", Date, nullable=False),
    Column("visited_on", Date),
    Column("reviewed_on", Date),
    Column("decided_on", Date),
    Column("close_relative", Boolean, nullable=False, server_default="false"),
    Column("objections", Integer, nullable=False, server_default="0"),
    Column("reported", Boolean, nullable=False, server_default="false"),
    Column("amount_fen", BigInteger, nullable=False, server_default="0"),
    Column("first_month_paid", Text),
    Column("ended", Boolean, nullable=False, server_default="false"),
    # Issue 15: an imported household (recipient_migrated) — the file and row it came from; null otherwise.
    Column("migrated", JSONB),
    # Issue 15: a household moved between jurisdictions — {jurisdiction, case_id, transfer_id} of the
    # case it came from (on the receiving case) and of the case it went to (on the sending one).
    Column("moved_from", JSONB),
    Column("moved_to", JSONB),
)

audit_log = Table(
    "audit_log", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=True),
    # the chain the entry is on: its event's jurisdiction (domain/partitions.py; migration 0113)
    Column("chain", Text, nullable=False),
    Column("event_id", String(26), nullable=False, unique=True),
    Column("case_id", String(40), index=True),
    Column("jurisdiction", Text, nullable=False),
    Column("category", Text),
    Column("event_type", Text, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("body", JSONB, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("audit_log_chain_seq", "chain", "seq"),
)

# The checkpoints this instance emitted (the outbox carries them to the stream). Only for deciding
# when the next is due: verification reads the checkpoints from the stream, never from here.
audit_checkpoints = Table(
    "audit_checkpoints", metadata,
    Column("event_id", String(26), primary_key=True),
    Column("chain", Text),
    Column("last_seq", BigInteger, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("entries", BigInteger, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("trigger", Text, nullable=False),
    Index("audit_checkpoints_chain", "chain", "last_seq"),
)

# The clocks: adapters/clock_register.py (a kind of the case store, one row per case).

filings = Table(
    "filings", metadata,
    Column("case_id", String(40), primary_key=True),
    Column("jurisdiction", Text, nullable=False),
    Column("month", String(7), nullable=False, index=True),
    Column("record", JSONB, nullable=False),
)

samples = Table(
    "samples", metadata,
    Column("jurisdiction", Text, primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("seed", Text, nullable=False),
    Column("filings", Integer, nullable=False),
    Column("population", JSONB, nullable=False),  # the filings the draw was made from, with their flags
    Column("share", Text),  # the share drawn with, an exact fraction ("3/10"); null: drawn before it was kept
    Column("drawn", Integer, nullable=False),
    Column("drawn_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

beneficiaries = Table(
    "beneficiaries", metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("case_id", String(40), primary_key=True),
    Column("jurisdiction", Text, nullable=False),
    Column("open", Boolean, nullable=False, server_default="true"),
)

alerts = Table(
    "alerts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("id_hash", String(64), nullable=False),
    Column("cases", ARRAY(Text), nullable=False),
    Column("jurisdictions", ARRAY(Text), nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("id_hash", "cases"),
)

# Document numbers (rectification orders, spot-check feedback), one row per series and year, taken
# with INSERT … ON CONFLICT DO UPDATE … RETURNING: the row lock makes two at once get distinct numbers.
counters = Table(
    "counters", metadata,
    Column("name", Text, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

dead_letters = Table(
    "dead_letters", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dlq_seq", BigInteger, nullable=False, unique=True),
    Column("consumer", Text, nullable=False),
    Column("original_subject", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # v2: what the message claimed to be (read without trusting it) and whether it was refused as
    # not authentic — a security alert — rather than as unprocessable.
    Column("original_seq", BigInteger),
    Column("signer", Text),
    Column("event_id", Text),
    Column("event_type", Text),
    Column("case_id", Text, index=True),
    Column("security", Boolean, nullable=False, server_default="false"),
    UniqueConstraint("consumer", "original_seq", name="dead_letters_once_per_consumer"),
)

# The standing caseload (issue 15, service_layer/caseload.py): each decision on a supported
# household filed with the district — imported, amount changed, gradual exit, ended …
support_filings = Table(
    "support_filings", metadata,
    Column("event_id", String(26), primary_key=True),
    Column("case_id", String(40), nullable=False, index=True),
    Column("jurisdiction", Text, nullable=False),
    Column("month", String(7), nullable=False, index=True),
    Column("kind", Text, nullable=False),  # the event type
    Column("record", JSONB, nullable=False),
)

# … and the written notices of those decisions: the clock each opened, and its delivery (which may
# be seen before the decision that opened it, after a retry).
support_notices = Table(
    "support_notices", metadata,
    Column("notice_no", Text, primary_key=True),
    Column("case_id", String(40)),
    Column("clock_event", String(26)),  # the event that opened its clock (adapters/clock_register.py)
    Column("delivered_on", Date),
    Column("received_by", Text),
)
