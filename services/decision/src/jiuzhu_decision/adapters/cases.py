"""How decision stores its case (the runtime's case store) and the worklist query on it."""

from __future__ import annotations

from typing import Any

from jiuzhu_runtime.case_store import CaseKind, CaseStore

from jiuzhu_decision.adapters.tables import decision_cases
from jiuzhu_decision.domain.decision_case import CaseStatus, DecisionCase


def derived_columns(case: DecisionCase) -> dict[str, Any]:
    """The worklist's columns: only a case still in procedure has a decision due."""
    in_procedure = case.status == CaseStatus.IN_PROCEDURE
    return {"status": case.status.value,
            "decision_due": case.decision_due.due_on if case.decision_due and in_procedure else None}


def v1_kept_no_area_nor_income(state: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (the shape before the case store, and before the standing caseload) kept neither
    the household's area nor the income its review counted: not known, never guessed."""
    review = state.get("review")
    return {**state, "area": None,
            "review": None if review is None else {**review, "monthly_income_fen": None}}


# Version 2: the area and the review's counted income are kept (a standard raise recomputes from them).
DECISION_CASES = CaseKind(decision_cases, DecisionCase, version=2, upcasters={1: v1_kept_no_area_nor_income},
                          columns=derived_columns, held="here")


async def awaiting_decision(store: CaseStore[DecisionCase], limit: int) -> list[DecisionCase]:
    """The cases in procedure, the most urgent decision first (those with no clock yet last)."""
    return await store.where(decision_cases.c.status == CaseStatus.IN_PROCEDURE.value,
                             order_by=(decision_cases.c.decision_due.asc().nulls_last(), decision_cases.c.case_id),
                             limit=limit)
