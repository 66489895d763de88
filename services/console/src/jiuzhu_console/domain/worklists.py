"""What the window, the investigators and the reviewer see first: the open work, most urgent
first (plan 五: every period in working days), and where each piece of work stands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from jiuzhu_console.domain.urgency import Deadline

# The clock a case runs against at each stage of the window's view (intake's case_stage.STAGES).
STAGE_CLOCK = {"investigating": "investigation", "under_review": "review", "reviewed": "publicity",
               "in_publicity": "publicity", "awaiting_decision": "decision",
               "reinvestigating": "decision_after_objection"}
CLOSED_STAGES = {"approved", "refused", "withdrawn", "deemed_withdrawn", "ended", "closed"}
STAGE_ZH = {"investigating": "调查核实中", "under_review": "待审核", "reviewed": "已审核待公示",
            "in_publicity": "公示中", "awaiting_decision": "待审核确认", "reinvestigating": "异议重新调查",
            "approved": "已批准", "refused": "不予批准", "withdrawn": "已撤回", "deemed_withdrawn": "视为放弃",
            "ended": "已停止救助", "closed": "已发放办结"}
# The applicant may withdraw through the clerk until the decision (intake: case_stage.may_withdraw).
WITHDRAWABLE = set(STAGE_CLOCK)


def current_due(case: Mapping) -> tuple[str | None, str | None]:
    """The clock the case's stage runs against and its due date, if the case carries it."""
    clock = STAGE_CLOCK.get(case.get("stage", ""))
    due = (case.get("dues") or {}).get(clock or "")
    return clock, (due or {}).get("due_on")


def is_open(case: Mapping) -> bool:
    return case.get("stage") not in CLOSED_STAGES


def most_urgent_first(rows: list[tuple[Deadline, Mapping]]) -> list[tuple[Deadline, Mapping]]:
    """Overdue, due today, due soon, later, no deadline; within each, the earliest due date, then
    the oldest case number."""
    far = dt.date.max
    return sorted(rows, key=lambda r: (r[0].urgency, r[0].due_on or far, str(r[1].get("case_id", ""))))


def check_status(record: Mapping | None) -> tuple[str, str]:
    """Where the economic check (家庭经济状况核对) stands: (css, words)."""
    if not record or not record.get("household"):
        return "none", "未录入家庭信息"
    if not record.get("check_report"):
        return "due-soon", "核对中，等待核对报告"
    return "later", "已出具核对报告"


def review_readiness(record: Mapping | None) -> tuple[bool, str]:
    """Whether the reviewer can sign now, else what is still missing (verification's
    ``ensure_reviewable``: visit, household data, check report, appraisal if disputed)."""
    if not record:
        return False, "调查记录不可用"
    status = record.get("status")
    if status not in ("investigating", "reinvestigating"):
        return False, {"reviewed": "已签署审核意见"}.get(status, f"案件状态：{status}")
    if not record.get("visit"):
        return False, "尚未入户调查"
    if not record.get("household"):
        return False, "尚未录入家庭信息"
    if not record.get("check_report"):
        return False, "等待经济状况核对报告"
    if record.get("disputed") and not record.get("appraisal"):
        return False, "有争议，待民主评议"
    if status == "reinvestigating" and not (record.get("reinvestigation") or {}).get("completed_on"):
        return False, "异议重新调查尚未完成"
    return True, "可审核"
