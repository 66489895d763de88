"""Verification's own tables."""

from __future__ import annotations

from sqlalchemy import Column, Date, MetaData, Text

from jiuzhu_runtime.case_store import case_table

metadata = MetaData()

# One row per case in the case store's shape: the aggregate as JSON with its version, plus the
# columns the work list sorts and filters by and the check centre's report is matched on, all
# derived from the aggregate (adapters/investigations.py).
investigations = case_table(
    "investigations", metadata,
    Column("status", Text, nullable=False, index=True),
    Column("next_clock", Text),
    Column("next_due", Date, index=True),
    Column("check_request_id", Text, unique=True),
)
