"""What the signed-in person may do on a case now, and which of its documents they may open — the
services' access rules (``access.allow(...)`` in each service's ``http.py``) and stage rules, mirrored
so the case page shows the actions the API would accept and nothing else. The services still decide.

* Jurisdiction staff act only on their own jurisdiction's cases; district staff (the district code as
  jurisdiction) act only where the district is named (``district=[...]``).
* 入户调查 (investigator) while the case is investigated or re-investigated; 审核 (reviewer) once the
  visit is recorded — plan 五(二).
* 异议登记 (clerk, committee) during the publicity window — plan 五(三).
* 审核确认 (leader where authority is devolved; bureau_admin at district where it is not — plan 二,
  三(三)) when the decision service says the case may be decided; never by someone who investigated
  or reviewed it or must recuse (plan 一 谁调查、谁签字、谁负责; plan 四(二)3).
* 不予批准书面通知送达 (leader, clerk; bureau_admin at district) until it is recorded — plan 五(三).
* 停止救助 (leader; bureau_admin at district) for an approved, supported household — D21 art. 32.
* 撤回申请 (clerk, on the applicant's word) until the decision — intake's ``case_stage.may_withdraw``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jiuzhu_contracts.base import Role

C, CM, I, R, L = Role.CLERK, Role.COMMITTEE, Role.INVESTIGATOR, Role.REVIEWER, Role.LEADER
BA, INS, AUD = Role.BUREAU_ADMIN, Role.INSPECTOR, Role.AUDITOR

INVESTIGATING = {"investigating", "reinvestigating"}
REVIEWING = {"under_review"}
IN_PUBLICITY = {"in_publicity"}
PAST_REVIEW = {"reviewed", "in_publicity", "awaiting_decision", "reinvestigating", "approved", "refused", "ended",
               "closed"}
DEVOLVED, BUREAU = "jurisdiction", "district_bureau"
# intake's case_stage: DECIDED | CLOSED, the stages after which a case can no longer be withdrawn
NOT_WITHDRAWABLE = {"approved", "refused", "ended", "withdrawn", "deemed_withdrawn", "closed"}


@dataclass(frozen=True)
class CaseState:
    """What the services say about a case, as far as the person may read it."""

    case_id: str
    stage: str  # intake's / oversight's stage: investigating, under_review, reviewed, in_publicity, ...
    may_approve: bool = False  # the decision service's options() (its GET /cases list)
    may_refuse: bool = False
    deciding_body: str | None = None  # GET /authority for the case's category: jurisdiction | district_bureau
    decided_approved: bool | None = None  # None: not decided
    supported: bool = False  # decided, approved and not ended
    refusal_notice: bool = False
    refusal_notice_delivered: bool = False
    excluded: frozenset[str] = field(default_factory=frozenset)  # recused, investigated or reviewed it
    category: str | None = None  # dibao, tekun, low_income, temporary

    @property
    def jurisdiction(self) -> str:
        return self.case_id.split("-", 1)[0]


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    href: str


@dataclass(frozen=True)
class Document:
    kind: str
    label: str

    def href(self, case_id: str) -> str:
        return f"/documents/{self.kind}/{case_id}"

    def pdf(self, case_id: str) -> str:
        return f"/documents/{self.kind}/{case_id}.pdf"


@dataclass(frozen=True)
class Who:
    id: str
    roles: frozenset[Role]
    jurisdiction: str
    district: str

    @property
    def at_district(self) -> bool:
        return self.jurisdiction == self.district


def _own(who: Who, case: CaseState, *roles: Role) -> bool:
    """access.allow(*roles): a jurisdiction service's own staff holding one of the roles."""
    return who.jurisdiction == case.jurisdiction and bool(who.roles & set(roles))


def _district(who: Who, *roles: Role) -> bool:
    """access.allow(district=[roles]): district staff holding one of the roles."""
    return who.at_district and bool(who.roles & set(roles))


def may_decide(who: Who, case: CaseState) -> bool:
    """审核确认: whoever holds the authority for the category (plan 二, 三(三)), when the case may be decided."""
    if not (case.may_approve or case.may_refuse) or who.id in case.excluded:
        return False
    if case.deciding_body == DEVOLVED:
        return _own(who, case, L)
    if case.deciding_body == BUREAU:
        return _district(who, BA)
    return False


def may_withdraw(case: CaseState) -> bool:
    """Intake refuses a withdrawal once the case is decided or closed (409); the decision service may
    know of the decision before intake's view of the stage catches up."""
    return bool(case.stage) and case.stage not in NOT_WITHDRAWABLE and case.decided_approved is None


def actions(who: Who, case: CaseState) -> list[Action]:
    cid = case.case_id
    out: list[Action] = []
    if case.stage in INVESTIGATING and _own(who, case, I):
        label = "重新调查核实" if case.stage == "reinvestigating" else "入户调查核实"
        out.append(Action("investigate", label, f"/investigator/cases/{cid}"))
    if case.stage in REVIEWING and _own(who, case, R):
        out.append(Action("review", "审核并签署审核意见", f"/reviewer/cases/{cid}"))
    if case.stage in IN_PUBLICITY and _own(who, case, C, CM):
        out.append(Action("objection", "登记公示异议", f"/committee#objection-{cid}"))
    if may_decide(who, case):
        out.append(Action("decide", "审核确认（批准或不予批准）", f"/leader/cases/{cid}"))
    if (case.refusal_notice and not case.refusal_notice_delivered
            and (_own(who, case, L, C) or _district(who, BA))):
        out.append(Action("deliver", "登记不予批准通知书送达", f"/leader/cases/{cid}#delivery"))
    if case.supported and who.id not in case.excluded and (
            (case.deciding_body == DEVOLVED and _own(who, case, L))
            or (case.deciding_body == BUREAU and _district(who, BA))):
        out.append(Action("end_support", "停止救助", f"/leader/cases/{cid}#end-support"))
    if may_withdraw(case) and _own(who, case, C):  # intake: access.allow(C)
        out.append(Action("withdraw", "撤回申请", f"/clerk/cases/{cid}/withdrawal"))
    return out


RECEIPT = Document("receipt", "受理回执")
CONFIRMATION_FORM = Document("confirmation-form", "申请审核确认表")
REFUSAL_NOTICE = Document("refusal-notice", "不予批准通知书")
DOOR_CARD = Document("door-card", "救助对象公示卡")
NO_DOOR_CARD = frozenset({"low_income"})


def documents(who: Who, case: CaseState) -> list[Document]:
    """The case's documents that exist at this stage and that the person may open."""
    out: list[Document] = []
    if _own(who, case, C, CM):  # intake /cases/{id}/receipt
        out.append(RECEIPT)
    if case.stage in PAST_REVIEW and (_own(who, case, L, C) or _district(who, BA)):  # decision confirmation-form
        out.append(CONFIRMATION_FORM)
    if case.refusal_notice and (_own(who, case, L, C, CM) or _district(who, BA)):  # decision refusal-notice
        out.append(REFUSAL_NOTICE)
    # publicity door-cards: an active listing; none for a low-income household (registered, not paid:
    # publicity's domain/privacy.door_card_refusal, D21 art. 8)
    if case.supported and case.category not in NO_DOOR_CARD and _own(who, case, C, CM):
        out.append(DOOR_CARD)
    return out
