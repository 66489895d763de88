"""The window's view of where a case stands, from the events of every stage (SPEC §5)."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Where a case stands, as the window shows it (the stored and API values are these strings)."""

    INVESTIGATING = "investigating"
    UNDER_REVIEW = "under_review"
    REVIEWED = "reviewed"
    IN_PUBLICITY = "in_publicity"
    AWAITING_DECISION = "awaiting_decision"
    REINVESTIGATING = "reinvestigating"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    DEEMED_WITHDRAWN = "deemed_withdrawn"
    ENDED = "ended"
    CLOSED = "closed"  # temporary assistance paid in full: the case is done (issue 16 item 1)


# event type → (stage after it, 中文 timeline label)
STAGES: dict[str, tuple[Stage | None, str]] = {
    # The case row is born "investigating" in the accepting transaction; our own acceptance event,
    # relayed later, may arrive after the next stage's event and must not move the stage back.
    "application_accepted": (None, "申请已受理"),
    "home_visit_recorded": (Stage.UNDER_REVIEW, "入户调查完成"),
    "household_recorded": (None, "家庭信息已录入"),
    "economic_check_requested": (None, "已发起家庭经济状况核对"),
    "economic_check_reported": (None, "核对报告已出具"),
    "democratic_appraisal_held": (None, "民主评议已开展"),
    "review_signed": (Stage.REVIEWED, "审核意见已签署"),
    "publicity_opened": (Stage.IN_PUBLICITY, "公示中"),
    "objection_raised": (None, "公示期间收到异议"),
    "publicity_closed": (Stage.AWAITING_DECISION, "公示期满"),
    "reinvestigation_opened": (Stage.REINVESTIGATING, "异议重新调查"),
    "reinvestigation_completed": (None, "重新调查完成"),
    "case_approved": (Stage.APPROVED, "审核确认：批准"),
    "case_refused": (Stage.REFUSED, "审核确认：不予批准"),
    "refusal_notice_issued": (None, "不予批准书面通知已送达居（村）委会"),
    "application_withdrawn": (Stage.WITHDRAWN, "申请人撤回申请"),
    "application_deemed_withdrawn": (Stage.DEEMED_WITHDRAWN, "不配合调查，视为放弃申请"),
    "support_ended": (Stage.ENDED, "停止救助"),
    "close_relative_flagged": (None, "近亲属备案：本案已标记，相关工作人员回避"),
    # The standing caseload (issue 15): a household supported under the old system is imported as
    # one approved here ("approved": open for the duplicate check, decided for withdrawal); after
    # that, its support changes or ends (D21 art. 32).
    "recipient_migrated": (Stage.APPROVED, "存量救助对象导入（原系统已批准）"),
    "support_changed": (None, "救助金额调整"),
    "gradual_exit_started": (None, "收入超过标准，进入渐退期"),
    "support_notice_delivered": (None, "救助变更书面通知已送达"),
    # A household's own changes (item 6): its members or address; a move from another jurisdiction
    # of the district, which opens its case here; a move away asked for (answered on the other side).
    "household_changed": (None, "家庭成员、账户或住址变更"),
    "household_transfer_accepted": (Stage.APPROVED, "迁入本辖区（迁出地已批准，本辖区接收）"),
    "household_transfer_requested": (None, "全户迁出，已商请迁入地接收"),
    # Temporary assistance (issue 16 item 1, L18 §2): paid in full through one-off batches, the case
    # is closed, so the household's next emergency may be applied for. An assist-first decision's
    # means check and publicity, completed afterwards, stay on the timeline and move no stage back.
    "temporary_assistance_paid": (Stage.CLOSED, "临时救助已全部发放，案件办结"),
}

DECIDED = {Stage.APPROVED, Stage.REFUSED, Stage.ENDED}
CLOSED = {Stage.REFUSED, Stage.WITHDRAWN, Stage.DEEMED_WITHDRAWN, Stage.ENDED, Stage.CLOSED}  # not "open" for duplicates
# The stages before a decision: an approved case (an assist-first one, whose means check and
# publicity are completed afterwards) is not moved back to them.
BEFORE_DECISION = {Stage.INVESTIGATING, Stage.UNDER_REVIEW, Stage.REVIEWED, Stage.IN_PUBLICITY,
                   Stage.AWAITING_DECISION, Stage.REINVESTIGATING}


def may_withdraw(stage: str) -> bool:
    """The applicant may withdraw through the clerk until the decision."""
    return stage not in DECIDED | CLOSED


def next_stage(current: str, event_type: str) -> Stage:
    stage, _ = STAGES.get(event_type, (None, ""))
    if current in CLOSED and event_type not in ("support_ended",):
        return Stage(current)  # a closed case does not reopen from a late event
    if current == Stage.APPROVED and stage in BEFORE_DECISION:
        return Stage(current)
    return stage or Stage(current)
