"""One filing's spot check (plan 五(四): 备案审查抽查及书面反馈): drawn with the month's sample,
completed once with the three findings and the written feedback. A frozen value; completing it
returns the next one or refuses with the rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from jiuzhu_contracts.events.oversight import SpotCheckFindings
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_oversight.domain.sampling import Because


@dataclass(frozen=True)
class SpotCheck:
    case_id: str
    jurisdiction: str
    month: str  # the month the case was filed in, YYYY-MM
    because: Because
    findings: SpotCheckFindings | None = None
    feedback: str | None = None
    document_no: str | None = None
    inspector: str | None = None
    completed_on: dt.date | None = None

    def ensure_may_act(self, actor_id: str) -> None:
        """The case store's recusal check (D21 art. 11), a no-op: oversight keeps only whether a case
        involves a close relative of staff (such a case is always drawn), not which staff members
        recuse from it (intake and verification hold that), so it cannot tell a recused inspector."""

    def completed(self, findings: SpotCheckFindings, feedback: str, document_no: str, inspector: str,
                  on: dt.date) -> "SpotCheck":
        if self.completed_on:
            raise DomainRefusal(f"the spot check of {self.case_id} was completed on {self.completed_on}",
                                rule="plan 五(四): one written feedback per check", status=409)
        return replace(self, findings=findings, feedback=feedback, document_no=document_no, inspector=inspector,
                       completed_on=on)
