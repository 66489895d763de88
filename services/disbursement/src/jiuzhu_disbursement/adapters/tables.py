"""Disbursement's own tables."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    func,
)
from jiuzhu_runtime.case_store import case_table

metadata = MetaData()

recipients = Table(
    "recipients", metadata,
    Column("case_id", String(40), primary_key=True),
    Column("jurisdiction", Text, nullable=False, index=True),
    Column("category", Text, nullable=False),
    Column("public_name", Text, nullable=False),
    Column("household_size", Integer, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("from_month", String(7), nullable=False),
    Column("until_month", String(7)),
    Column("payment_account", Text, nullable=False),
    Column("approved_on", Date, nullable=False),
)

# A roster's header in the case store's shape (runtime ``case_table``, keyed by the roster's id, longer
# than a case id): the header (domain/roster_header.py) is the state; the columns the versions of a
# month and the rosters of a month are found by are derived from it (adapters/roster_headers.py).
# Its lines are roster_lines, written in bulk.
rosters = case_table(
    "rosters", metadata,
    Column("scope", Text, nullable=False),  # a jurisdiction code, or the district code
    Column("month", String(7), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", Text, nullable=False),  # compiled | superseded | submitted
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    key="roster_id", key_length=80,
)

roster_lines = Table(
    "roster_lines", metadata,
    Column("roster_id", String(80), nullable=False),
    Column("jurisdiction", Text, nullable=False),
    Column("case_id", String(40), nullable=False),
    Column("category", Text, nullable=False),
    Column("month", String(7), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("name", Text, nullable=False),
    Column("account", Text, nullable=False),
    Column("kind", Text, nullable=False),
    PrimaryKeyConstraint("roster_id", "case_id", "category", "month"),
)

# No household is ever paid twice for the same month and category: the database holds one claim
# per (case, category, month); a second submission of the same line fails on this key.
payment_claims = Table(
    "payment_claims", metadata,
    Column("case_id", String(40), nullable=False),
    Column("category", Text, nullable=False),
    Column("month", String(7), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("roster_id", String(80), nullable=False, index=True),
    Column("status", Text, nullable=False),
    Column("failure_reason", Text),
    PrimaryKeyConstraint("case_id", "category", "month"),
    CheckConstraint("status IN ('submitted', 'paid', 'failed')", name="claim_status"),
)

# The standing caseload (issue 15): the amount from an effective month on, one row per change
# (``support_changed``); ``recipients.amount_fen`` stays the amount approved or imported with.
recipient_amounts = Table(
    "recipient_amounts", metadata,
    Column("case_id", String(40), nullable=False),
    Column("from_month", String(7), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("event_id", String(26), nullable=False),
    Column("cause", Text),  # support_changed's cause (a ChangeCause value); None before migration 0007
    PrimaryKeyConstraint("case_id", "from_month"),
)
