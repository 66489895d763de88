"""Intake's own tables (its database alone; other services never read them)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY

from jiuzhu_runtime.case_store import case_table

metadata = MetaData()

# Applications (domain/application_record.py) in the case store's shape, keyed by their number; the
# awaiting-correction list's columns are derived from the state (adapters/applications.py).
applications = case_table(
    "applications", metadata,
    Column("status", Text, nullable=False),  # submitted | awaiting_correction | accepted
    Column("notice_issued_on", Date),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    key="application_id",
)

# Every case of the jurisdiction as the window holds it (domain/intake_case.py), in the case store's
# shape; the columns the duplicate check, the close-relative register and the case list query are
# derived from the state (adapters/intake_cases.py).
cases = case_table(
    "cases", metadata,
    Column("category", Text, nullable=False),
    Column("committee", Text, nullable=False),
    Column("member_ids", ARRAY(Text), nullable=False),
    Column("stage", Text, nullable=False),
    Column("accepted_on", Date, nullable=False),
    Index("cases_member_ids", "member_ids", postgresql_using="gin"),
)

timeline = Table(
    "case_timeline", metadata,
    Column("event_id", String(26), primary_key=True),
    Column("case_id", String(40), nullable=False, index=True),
    Column("event_type", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("actor_name", Text, nullable=False),
)

counters = Table(
    "counters", metadata,
    Column("name", Text, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

close_relatives = Table(
    "close_relatives", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("staff_id", Text, nullable=False),
    Column("staff_name", Text, nullable=False),
    Column("relative_name", Text, nullable=False),
    Column("relative_id_number", String(18), nullable=False, index=True),
    Column("relation", Text, nullable=False),
    Column("registered_by", Text, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("staff_id", "relative_id_number"),
)

# Active-discovery reports (domain/discovery.py) in the case store's shape; the worklist's columns
# are derived from the state (adapters/discovery_reports.py).
discovery_reports = case_table(
    "discovery_reports", metadata,
    Column("committee", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("reported_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Index("discovery_reports_status_due", "status", "due_on"),
)
