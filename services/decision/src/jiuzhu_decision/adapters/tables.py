"""Decision's own tables."""

from __future__ import annotations

from sqlalchemy import Column, Date, MetaData, Text

from jiuzhu_runtime.case_store import case_table

metadata = MetaData()

# One row per case: the DecisionCase aggregate in ``state`` (case store), with the columns the
# worklist sorts and filters on derived from it (adapters/cases.py).
decision_cases = case_table(
    "decision_cases", metadata,
    Column("status", Text, nullable=False, index=True),
    Column("decision_due", Date, index=True),
)
