"""A re-review's proposal before the authority (定期核查, D21 art. 31–32): one per household and
round, pending from re_review_completed until the authority continues support (with reasons when
the proposal was to change or stop it) or acts on it with a change, a gradual exit or an end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from jiuzhu_kernel.refusal import DomainRefusal

REASONS_RULE = "D21 art. 32: continuing support against a proposal to change or stop it states the reasons"


class OutcomeStatus(StrEnum):
    PENDING = "pending"  # awaiting the authority
    CONTINUED = "continued"  # support continued unchanged
    ACTED = "acted"  # a change, a gradual exit or an end was decided on it


@dataclass(frozen=True)
class ReReviewOutcome:
    case_id: str
    round: int
    outcome: str  # continue | change | stop (the proposal)
    completed_on: dt.date
    proposal: dict[str, Any]  # the re_review_completed payload
    status: OutcomeStatus = OutcomeStatus.PENDING
    resolved_on: dt.date | None = None
    resolved_by: dict[str, Any] | None = None  # {id, name, role}, or the event that acted on it
    resolution: dict[str, Any] | None = None  # reasons, or the event type and its notice

    @property
    def outcome_no(self) -> str:
        """Its number: the household's case and the round."""
        return f"{self.case_id}/{self.round}"

    def ensure_may_act(self, actor_id: str) -> None:
        """Recusal is checked on the household, which the authority's command locks first."""

    def continued(self, on: dt.date, by: dict[str, Any], reasons: tuple[str, ...], amount_fen: int) -> "ReReviewOutcome":
        """Support continues unchanged; against a proposal to change or stop it, only with reasons."""
        if self.outcome != "continue" and not any(r.strip() for r in reasons):
            raise DomainRefusal(f"核查建议为{self.outcome}，继续保障须说明理由 / the re-review proposed "
                                f"{self.outcome}: continuing needs reasons", rule=REASONS_RULE, status=422,
                                field="reasons")
        return replace(self, status=OutcomeStatus.CONTINUED, resolved_on=on, resolved_by=by,
                       resolution={"reasons": list(reasons), "amount_fen": amount_fen})

    def acted(self, on: dt.date, by: dict[str, Any], resolution: dict[str, Any]) -> "ReReviewOutcome":
        """A change, a gradual exit or an end of the household's support decided on it."""
        return replace(self, status=OutcomeStatus.ACTED, resolved_on=on, resolved_by=by, resolution=resolution)

    def listed(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "round": self.round, "status": self.status.value, "outcome": self.outcome,
                "completed_on": self.completed_on, "proposal": self.proposal, "resolved_on": self.resolved_on,
                "resolved_by": self.resolved_by, "resolution": self.resolution}
