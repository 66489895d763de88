"""Verification's own tables."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, MetaData, String, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

# One row per case: the aggregate as JSON, plus the columns the work list sorts and filters by.
investigations = Table(
    "investigations", metadata,
    Column("case_id", String(40), primary_key=True),
    Column("state", JSONB, nullable=False),
    Column("status", Text, nullable=False, index=True),
    Column("next_clock", Text),
    Column("next_due", Date, index=True),
    Column("check_request_id", Text, unique=True),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
