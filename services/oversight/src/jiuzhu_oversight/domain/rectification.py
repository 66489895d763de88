"""Spot-check findings and rectification orders (乌尔禾区…工作方案 五(四): 备案审查抽查及书面反馈;
六(二): 对“漏保”或审批不规范行为书面限期进行整改)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace

from jiuzhu_contracts.base import Due
from jiuzhu_kernel.refusal import DomainRefusal

RECTIFICATION_RULE = "乌尔禾区工作方案 六(二): 对“漏保”或审批不规范行为书面限期进行整改（{n}个工作日）"


class OrderKind(enum.StrEnum):
    MISSED_COVERAGE = "missed_coverage"  # 应保未保（漏保）: a report; the case is always drawn for a check
    IRREGULAR_APPROVAL = "irregular_approval"  # 审批不规范: a spot check found a fault
    PROCEDURE = "procedure"  # 办理程序问题


ORDER_KINDS_ZH = {OrderKind.MISSED_COVERAGE: "应保未保（漏保）", OrderKind.IRREGULAR_APPROVAL: "审批不规范",
                  OrderKind.PROCEDURE: "办理程序问题"}

# The three findings of a filing review (plan 五(四)), with what each names when it is not so.
FINDING_FAULTS = (("target_correct", "对象认定不准确"), ("procedure_followed", "办理程序不规范"),
                  ("materials_complete", "审批材料不齐全"))


def faults(findings) -> list[str]:
    """What a spot check found wrong (an object with the three boolean findings); none: no order."""
    return [label for field, label in FINDING_FAULTS if not getattr(findings, field)]


def order_findings(faults_found: list[str], feedback: str) -> str:
    return "；".join(faults_found) + f"。{feedback}"


def spot_check_document_no(district: str, day: dt.date, number: int) -> str:
    return f"CC-{district}-{day.year}-{number:05d}"


def order_no(district: str, day: dt.date, number: int) -> str:
    return f"ZG-{district}-{day.year}-{number:05d}"


def answered_on_time(answered_on: dt.date, due_on: dt.date) -> bool:
    return answered_on <= due_on


@dataclass(frozen=True)
class RectificationOrder:
    """A written order to rectify within a period (六(二)), answered once by the jurisdiction it is
    addressed to, escalated once when its period passes unanswered. Each step returns the next one."""

    order_no: str
    jurisdiction: str
    concerning_case: str | None
    kind: OrderKind
    findings: str
    due: Due
    ordered_on: dt.date
    answered_on: dt.date | None = None
    answer: str | None = None
    escalated_on: dt.date | None = None

    @property
    def due_on(self) -> dt.date:
        return self.due.due_on

    def ensure_may_act(self, actor_id: str) -> None:
        """The case store's recusal check (D21 art. 11), a no-op: an order is answered by the
        jurisdiction's leader for the jurisdiction, and oversight keeps only whether a case involves a
        close relative of staff, not which staff members recuse from it (intake and verification do)."""

    def answered(self, answer: str, on: dt.date, jurisdiction: str) -> "RectificationOrder":
        if jurisdiction != self.jurisdiction:
            raise DomainRefusal(f"order {self.order_no} is addressed to jurisdiction {self.jurisdiction}",
                                rule="only the addressed jurisdiction answers its order", status=403)
        if self.answered_on:
            raise DomainRefusal(f"order {self.order_no} was answered on {self.answered_on}", rule="one answer",
                                status=409)
        return replace(self, answered_on=on, answer=answer)

    @property
    def answered_on_time(self) -> bool | None:
        return None if self.answered_on is None else answered_on_time(self.answered_on, self.due_on)

    def overdue(self, today: dt.date) -> bool:
        """Past its due date, unanswered and not escalated yet (escalated once only)."""
        return self.answered_on is None and self.escalated_on is None and self.due_on < today

    def escalated(self, on: dt.date) -> "RectificationOrder":
        if not self.overdue(on):
            raise DomainRefusal(f"order {self.order_no} is not overdue or was escalated already",
                                rule=RECTIFICATION_RULE.format(n=self.due.working_days), status=409)
        return replace(self, escalated_on=on)
