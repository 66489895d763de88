"""Publicity's own tables."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Integer, MetaData, String, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB

from jiuzhu_runtime.case_store import case_table

metadata = MetaData()

# The notices in the case store's shape (runtime ``case_table``, keyed by the notice's number, which
# is longer than a case id: "GS-<case id>-<round>"): the notice (domain/notice.py) is the state; the
# columns the board, the ticker and a case's rounds query are derived from it (adapters/notices.py).
notices = case_table(
    "notices", metadata,
    Column("case_id", String(40), nullable=False, index=True),
    Column("committee", Text, nullable=False, index=True),
    Column("status", Text, nullable=False),  # open | closed | withdrawn
    Column("opens_on", Date, nullable=False),
    Column("closes_on", Date, nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    key="notice_no", key_length=60,
)

objections = Table(
    "objections", metadata,
    Column("objection_id", String(40), primary_key=True),
    Column("notice_no", String(60), nullable=False, index=True),
    Column("case_id", String(40), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("channel", Text, nullable=False),
    Column("anonymous", Boolean, nullable=False),
    Column("summary", Text, nullable=False),
    Column("contact", Text),  # private: never on a public page or the bus
    Column("recorded_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Per case: the 15-working-day limit an objection set, binding later windows too.
case_limits = Table(
    "case_limits", metadata,
    Column("case_id", String(40), primary_key=True),
    Column("binding_due", JSONB, nullable=False),
)

listings = Table(
    "listings", metadata,
    Column("case_id", String(40), primary_key=True),
    Column("committee", Text, nullable=False),
    Column("public_name", Text, nullable=False),
    Column("household_size", Integer, nullable=False),
    Column("category", Text, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),  # fen; BIGINT as everywhere (migration 0004)
    Column("since", Date, nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
)

# The standing caseload (issue 15): an amount (and household size) decided for a later month than
# the decision's own, waiting for that month to reach the long-term list and the door card.
pending_listing_amounts = Table(
    "pending_listing_amounts", metadata,
    Column("case_id", String(40), primary_key=True),
    Column("from_month", String(7), primary_key=True, index=True),
    Column("amount_fen", BigInteger, nullable=False),
    Column("household_size", Integer, nullable=False),
)
