"""The supported households of this jurisdiction (case store shape)."""

from __future__ import annotations

from sqlalchemy import Column, Date, Text

from jiuzhu_runtime.case_store import CaseKind, case_table

from jiuzhu_decision.adapters.tables import metadata
from jiuzhu_decision.domain.supported_household import SupportedHousehold

supported_households = case_table(
    "supported_households", metadata,
    Column("status", Text, nullable=False, index=True),
    Column("category", Text, nullable=False, index=True),
    Column("committee", Text, nullable=False),
    Column("approved_on", Date, nullable=False),
)

SUPPORTED_HOUSEHOLDS = CaseKind(
    supported_households, SupportedHousehold, version=1,
    columns=lambda h: {"status": h.status.value, "category": h.category.value, "committee": h.committee,
                       "approved_on": h.approved_on},
    held="on support here")
