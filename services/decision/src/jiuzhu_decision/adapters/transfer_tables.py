"""Households other jurisdictions ask this one to take on (迁入申请), in the case store's shape,
keyed by the transfer id."""

from __future__ import annotations

from sqlalchemy import Column, Date, Text

from jiuzhu_runtime.case_store import CaseKind, case_table

from jiuzhu_decision.adapters.tables import metadata
from jiuzhu_decision.domain.household_changes import IncomingTransfer

incoming_transfers = case_table(
    "incoming_transfers", metadata,
    Column("status", Text, nullable=False, index=True),
    Column("from_jurisdiction", Text, nullable=False),
    Column("requested_on", Date, nullable=False),
)

INCOMING_TRANSFERS = CaseKind(
    incoming_transfers, IncomingTransfer, version=1,
    columns=lambda t: {"status": t.status.value, "from_jurisdiction": t.from_jurisdiction,
                       "requested_on": t.requested_on},
    held="asked to move here")
