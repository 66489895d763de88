"""Disbursement's tables for temporary assistance's one-off batches (migration 0008)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Integer, PrimaryKeyConstraint, String, Table, Text, func
from jiuzhu_runtime.case_store import case_table

from jiuzhu_disbursement.adapters.tables import metadata

temporary_tranches = Table(
    "temporary_tranches", metadata,
    Column("case_id", String(40), nullable=False),
    Column("tranche", Integer, nullable=False),
    Column("jurisdiction", Text, nullable=False),
    Column("public_name", Text, nullable=False),
    Column("payment_account", Text, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("payable_on", Date, nullable=False),
    Column("tranches", Integer, nullable=False),  # how many the decision has
    PrimaryKeyConstraint("case_id", "tranche"),
)

# A batch's header in the case store's shape (domain/one_off_batch.py ``OneOffBatch`` is the state;
# scope, issued_on and status derived from it: adapters/one_off_batch_headers.py). Its lines and
# claims are rows of their own, written in bulk.
one_off_batches = case_table(
    "one_off_batches", metadata,
    Column("scope", Text, nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("status", Text, nullable=False),  # issued | confirmed
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    key="batch_id", key_length=80,
)

one_off_batch_lines = Table(
    "one_off_batch_lines", metadata,
    Column("batch_id", String(80), nullable=False),
    Column("case_id", String(40), nullable=False),
    Column("tranche", Integer, nullable=False),
    Column("jurisdiction", Text, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("name", Text, nullable=False),
    Column("account", Text, nullable=False),
    Column("carried", Boolean, nullable=False),  # a failed payment sent again
    PrimaryKeyConstraint("batch_id", "case_id", "tranche"),
)

# A tranche is paid once: one claim per (case, tranche), whichever batch carries it.
tranche_claims = Table(
    "tranche_claims", metadata,
    Column("case_id", String(40), nullable=False),
    Column("tranche", Integer, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("batch_id", String(80), nullable=False, index=True),
    Column("status", Text, nullable=False),  # submitted | paid | failed
    Column("failure_reason", Text),
    PrimaryKeyConstraint("case_id", "tranche"),
)
