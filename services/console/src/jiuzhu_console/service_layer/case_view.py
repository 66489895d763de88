"""One case as the signed-in person may see it, composed from the services' own answers (each asked
with the person's token): district staff from oversight's register and timeline; jurisdiction staff
from intake (stage, due dates, timeline), verification (visit, review), publicity (notice, objections)
and decision (options, decision, refusal notice). A part the person may not read is simply absent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain import case_actions
from jiuzhu_console.domain.archive import archivable
from jiuzhu_console.domain.case_actions import CaseState, Who
from jiuzhu_console.domain.person import Person
from jiuzhu_console.service_layer.context import Console

EVENT_LABELS = {  # oversight's timeline names events; intake's words for them (intake domain/case_stage.py)
    "application_accepted": "申请已受理", "home_visit_recorded": "入户调查完成", "household_recorded": "家庭信息已录入",
    "economic_check_requested": "已发起家庭经济状况核对", "economic_check_reported": "核对报告已出具",
    "democratic_appraisal_held": "民主评议已开展", "review_signed": "审核意见已签署", "publicity_opened": "公示开始",
    "objection_raised": "公示期间收到异议", "publicity_closed": "公示期满", "reinvestigation_opened": "异议重新调查",
    "reinvestigation_completed": "重新调查完成", "case_approved": "审核确认：批准", "case_refused": "审核确认：不予批准",
    "refusal_notice_issued": "不予批准书面通知已送达居（村）委会", "application_withdrawn": "申请人撤回申请",
    "application_deemed_withdrawn": "不配合调查，视为放弃申请", "support_ended": "停止救助",
    "close_relative_flagged": "近亲属备案：相关工作人员回避", "case_filed": "案件归档",
    "spot_check_selected": "被抽中备案抽查", "rectification_ordered": "下达整改通知", "rectification_answered": "整改答复",
    "temporary_assistance_paid": "临时救助已全部发放，案件办结",  # issue 16 item 1
}
STAGE_LABELS = {"investigating": "入户调查中", "under_review": "待审核", "reviewed": "已审核", "in_publicity": "公示中",
                "awaiting_decision": "待审核确认", "reinvestigating": "异议重新调查中", "approved": "已批准",
                "refused": "不予批准", "withdrawn": "已撤回", "deemed_withdrawn": "视为放弃申请", "ended": "已停止救助",
                "closed": "已发放办结"}


@dataclass
class Step:
    label: str
    at: str | None
    who: str
    role: str = ""


@dataclass
class Clock:
    clock: str
    due_on: str
    rule: str
    state: str  # open | met | breached | "" (unknown)
    deadline: Any = None


@dataclass
class CaseView:
    case_id: str
    jurisdiction: str
    summary: dict
    stage: str
    steps: list[Step]
    clocks: list[Clock]
    verification: dict | None = None
    decision: dict | None = None
    notices: list[dict] = field(default_factory=list)
    objections: list[dict] = field(default_factory=list)
    actions: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)  # parts a service would not give this person
    household: dict | None = None  # intake's: address and members as accepted at the window

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    @property
    def archivable(self) -> bool:
        """Closed or on support: the case can be downloaded as one archive (档案)."""
        return archivable(self.stage)


def who_of(person: Person) -> Who:
    return Who(id=person.id, roles=frozenset(person.roles), jurisdiction=person.jurisdiction, district=person.district)


async def _maybe(coro, missing: list[str], what: str):
    """A part the person may not read (403) or that does not exist yet (404) is left out."""
    try:
        return await coro
    except ApiRefused as refusal:
        if refusal.status in (403, 404):
            if refusal.status == 403:
                missing.append(what)
            return None
        raise


def state_of(case_id: str, stage: str, decision: dict | None, authority: list | None, category: str | None) -> CaseState:
    body = next((a["body"] for a in authority or [] if a.get("category") == category), None)
    if not decision:
        return CaseState(case_id, stage, deciding_body=body, category=category)
    review = decision.get("review") or {}
    may_approve = may_refuse = False
    if decision.get("status") == "in_procedure" and review:
        may_refuse = True if not review.get("eligible") else decision.get("clean_review_round") == review.get("round")
        may_approve = bool(review.get("eligible")) and decision.get("clean_review_round") == review.get("round")
    d = decision.get("decision") or {}
    notice = decision.get("refusal_notice") or {}
    excluded = frozenset(decision.get("recused", []) + decision.get("investigated_by", [])
                         + decision.get("reviewed_by", []))
    return CaseState(case_id, stage, may_approve=may_approve, may_refuse=may_refuse, deciding_body=body,
                     decided_approved=d.get("approved") if d else None,
                     supported=decision.get("status") == "decided" and bool(d.get("approved")),
                     refusal_notice=bool(notice), refusal_notice_delivered=bool(notice.get("delivered_on")),
                     excluded=excluded, category=category)


async def load(console: Console, person: Person, case_id: str, today: dt.date) -> CaseView:
    """Raises ApiRefused when the case's own record is refused (another jurisdiction: 403) or missing."""
    api, token = console.api, person.token
    jurisdiction = case_id.split("-", 1)[0]
    if jurisdiction not in console.api.jurisdictions("decision"):
        raise ApiRefused(404, f"没有案件 {case_id}：案件编号的辖区代码不属于本区", {}, "console")
    missing: list[str] = []
    if person.at_district:
        summary = await api.get("oversight", None, f"/cases/{case_id}", token)
        steps = [Step(EVENT_LABELS.get(e["event_type"], e["event_type"]), e.get("occurred_at"),
                      (e.get("actor") or {}).get("name", ""), (e.get("actor") or {}).get("role", ""))
                 for e in summary.get("timeline", [])]
        clocks = [Clock(c["clock"], c["due_on"], c.get("rule", ""), c.get("state", "")) for c in summary.get("clocks", [])]
        verification = None
        notices, objections = [], []
        household = await _maybe(api.get("intake", jurisdiction, f"/cases/{case_id}", token), missing, "家庭成员")
    else:
        summary = household = await api.get("intake", jurisdiction, f"/cases/{case_id}", token)
        steps = [Step(e.get("label") or e["event_type"], e.get("occurred_at"), e.get("actor_name", ""))
                 for e in summary.get("timeline", [])]
        clocks = [Clock(c["clock"], c["due_on"], c.get("rule", ""), "") for c in summary.get("dues", {}).values()]
        verification = await _maybe(api.get("verification", jurisdiction, f"/cases/{case_id}", token), missing, "调查审核记录")
        notices = await _maybe(api.get("publicity", jurisdiction, "/notices", token), missing, "公示") or []
        notices = [n for n in notices if n["case_id"] == case_id]
        objections = await _maybe(api.get("publicity", jurisdiction, "/objections", token), missing, "异议") or []
        objections = [o for o in objections if o["case_id"] == case_id]
    decision = await _maybe(api.get("decision", jurisdiction, f"/cases/{case_id}", token), missing, "审核确认情况")
    authority = await _maybe(api.get("decision", jurisdiction, "/authority", token), [], "审批权限")
    tz = ZoneInfo(console.config.district.timezone)
    for step in steps:  # the services answer in UTC; the district reads its own time
        if step.at:
            step.at = dt.datetime.fromisoformat(str(step.at).replace("Z", "+00:00")).astimezone(tz).isoformat()
    stage = summary.get("stage", "")
    _close_clocks(clocks, stage, summary)
    for c in clocks:
        c.deadline = console.deadline(c.due_on if c.state not in ("met",) else None, today)
    clocks.sort(key=lambda c: (c.state == "met", c.deadline.urgency, c.due_on))
    state = state_of(case_id, stage, decision, authority, summary.get("category"))
    who = who_of(person)
    return CaseView(case_id, jurisdiction, summary, stage, steps, clocks, verification, decision, notices, objections,
                    case_actions.actions(who, state), case_actions.documents(who, state), missing,
                    household={"address": household.get("address"), "members": household.get("members", [])}
                    if household else None)


# which stages show a clock done (intake's dues carry no state; oversight's do)
_DONE_AFTER = {"investigation": {"under_review", "reviewed", "in_publicity", "awaiting_decision", "approved", "refused"},
               "review": {"reviewed", "in_publicity", "awaiting_decision", "approved", "refused"},
               "publicity": {"awaiting_decision", "approved", "refused"},
               "decision": {"approved", "refused"}, "decision_after_objection": {"approved", "refused"}}


def _close_clocks(clocks: list[Clock], stage: str, summary: dict) -> None:
    for c in clocks:
        if not c.state:
            c.state = "met" if stage in _DONE_AFTER.get(c.clock, set()) or stage in ("withdrawn", "deemed_withdrawn",
                                                                                    "ended") else "open"
