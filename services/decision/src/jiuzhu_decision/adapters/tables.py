"""Decision's own tables."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, MetaData, String, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

decision_cases = Table(
    "decision_cases", metadata,
    Column("case_id", String(40), primary_key=True),
    Column("state", JSONB, nullable=False),
    Column("status", Text, nullable=False, index=True),
    Column("decision_due", Date, index=True),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
