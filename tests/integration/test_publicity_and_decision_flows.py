"""Publicity and decision on real PostgreSQL and JetStream. Verification's events are played onto
the bus as verification would publish them; the business clock is moved, never slept on.

1. eligible review → notice → clean close → approval → filing → long-term list
2. objection → re-investigation → second notice → approval within 15 working days
3. ineligible review → refusal → written notice delivered within 3 working days
"""

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import Category, Role, Signer
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES, MEMBERS
from jiuzhu_contracts.events import ApplicationAccepted, HomeVisitRecorded, ReinvestigationCompleted, ReviewSigned
from jiuzhu_devstack.testing import eventually

from jiuzhu_decision.bootstrap import build as build_decision
from jiuzhu_publicity.bootstrap import build as build_publicity
from jiuzhu_publicity.domain.privacy import private_data_in

TZ = ZoneInfo("Asia/Shanghai")
J, CASE, COMMITTEE = "650205001", "650205001-2022-00001", "柳树街社区居民委员会"
INV = (Signer(id="inv-a", name="王调查", role=Role.INVESTIGATOR), Signer(id="inv-b", name="李调查",
                                                                       role=Role.INVESTIGATOR))


class District:
    def __init__(self, publicity, decision):
        self.publicity, self.decision = publicity, decision

    async def at(self, day: dt.date) -> None:
        now = dt.datetime.combine(day, dt.time(9), TZ)
        for svc in (self.publicity, self.decision):
            svc.kit.clock.set(now)
        await self.publicity.kit.tick(now)

    async def play(self, payload, actor=Actor(id="inv-a", role="investigator", name="王调查")) -> None:
        env = Envelope.wrap(payload, district="650205", jurisdiction=J, actor=actor,
                            occurred_at=self.decision.kit.clock.now(), case_id=CASE)
        await self.decision.publish(env)

    async def case(self):
        r = await self.decision.client.get(f"/cases/{CASE}", headers=self.decision.token("leader"))
        return r.json() if r.status_code == 200 else None

    async def until(self, predicate):
        async def check():
            state = await self.case()
            return state if state and predicate(state) else None
        return await eventually(check)

    async def events(self, event_type):
        return await self.decision.published(event_type)


@pytest.fixture
async def district(service_runner, infrastructure):
    prefix = infrastructure.new_prefix()
    start = dt.datetime(2022, 3, 1, 9, tzinfo=TZ)
    async with contextlib.AsyncExitStack() as stack:
        publicity = await stack.enter_async_context(service_runner(build_publicity, "publicity", J, today=start,
                                                                   prefix=prefix))
        decision = await stack.enter_async_context(service_runner(build_decision, "decision", J, today=start,
                                                                  prefix=prefix))
        d = District(publicity, decision)
        accepted = next(e for e in EXAMPLES if isinstance(e, ApplicationAccepted)).model_copy(
            update={"close_relative": None})
        await d.play(accepted, Actor(id="clerk-1", role="clerk", name="刘窗口"))
        await d.play(next(e for e in EXAMPLES if isinstance(e, HomeVisitRecorded)))
        await d.until(lambda s: s["visited_on"])
        yield d


def review(round_: int, eligible: bool, day: dt.date) -> ReviewSigned:
    return ReviewSigned(round=round_, signed_on=day, category=Category.DIBAO, eligible=eligible,
                        computed_eligible=eligible, household_size=2, household_monthly_income_fen=60000,
                        computed_amount_fen=120000 if eligible else 0,
                        proposed_amount_fen=120000 if eligible else 0,
                        reasons=("家庭人均月收入低于低保标准",) if eligible else ("家庭人均月收入高于低保标准",),
                        investigators=INV, reviewer=Signer(id="rev-1", name="赵审核", role=Role.REVIEWER),
                        applicant_name="张三", committee=COMMITTEE)


REVIEWER = Actor(id="rev-1", role="reviewer", name="赵审核")


async def public_pages(publicity) -> str:
    texts = []
    for path in ("/public", f"/public/boards/{COMMITTEE}", "/public/list", "/public/objections/new"):
        r = await publicity.client.get(path)
        assert r.status_code == 200, path
        texts.append(r.text)
    return "\n".join(texts)


PRIVATE = tuple(m.id_number for m in MEMBERS) + ("13900000000", "6222000000000000", "失业")


async def test_clean_publicity_then_approval_filing_and_long_term_list(district):
    d = district
    await d.play(review(1, True, dt.date(2022, 3, 1)), REVIEWER)
    [opened] = await eventually(lambda: d.events("publicity_opened"))
    assert opened.payload.closes.due_on == dt.date(2022, 3, 10)  # 7 working days after Tuesday 3-1
    board = (await d.publicity.client.get(f"/public/boards/{COMMITTEE}")).text
    assert "张三" in board and "1,200.00" in board and opened.payload.notice_no in board
    assert private_data_in(await public_pages(d.publicity), PRIVATE) == []

    too_early = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": True},
                                             headers=d.decision.token("leader", who="lead-1"))
    assert too_early.status_code == 409

    await d.at(dt.date(2022, 3, 10))
    assert await d.events("publicity_closed") == []  # the last day of the window is still a window day
    await d.at(dt.date(2022, 3, 11))
    [closed] = await eventually(lambda: d.events("publicity_closed"))
    assert closed.payload.outcome == "clean" and closed.payload.decision_due.due_on == dt.date(2022, 3, 15)
    await d.at(dt.date(2022, 3, 12))  # another tick closes nothing twice
    assert len(await d.events("publicity_closed")) == 1

    await d.until(lambda s: s["publicity"] == "clean")
    decided = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": True},
                                           headers=d.decision.token("leader", who="lead-1", name="孙主任"))
    assert decided.status_code == 200, decided.text
    assert decided.json()["first_month_paid"] == "2022-04"
    [approved] = await d.events("case_approved")
    assert approved.payload.amount_fen == 120000 and approved.payload.signer.id == "lead-1"
    assert approved.payload.approving_body == "jurisdiction"
    [filed] = await d.events("case_filed")
    assert filed.payload.outcome == "approved"
    assert [(p.id, p.duty) for p in filed.payload.people] == [("inv-a", "investigated"), ("inv-b", "investigated"),
                                                             ("rev-1", "reviewed"), ("lead-1", "decided")]
    assert filed.payload.visited_on == dt.date(2022, 3, 1) and filed.payload.objections == 0

    async def listed():
        page = (await d.publicity.client.get("/public/list")).text
        return "张三" in page and page
    page = await eventually(listed)
    assert "1,200.00" in page
    card = await d.publicity.client.get(f"/door-cards/{CASE}", headers=d.publicity.token("committee"))
    assert card.status_code == 200 and "社会救助公示卡" in card.text
    assert private_data_in(await public_pages(d.publicity) + card.text, PRIVATE) == []


async def test_objection_reinvestigation_second_notice_approval_within_15_days(district):
    d = district
    await d.play(review(1, True, dt.date(2022, 3, 1)), REVIEWER)
    [opened] = await eventually(lambda: d.events("publicity_opened"))
    await d.at(dt.date(2022, 3, 4))
    form = {"notice_no": opened.payload.notice_no, "summary": "该户家中有一辆轿车，未申报。", "contact": "",
            "anonymous": "true"}
    filed = await d.publicity.client.post("/public/objections", data=form)
    assert filed.status_code == 201 and "异议已受理" in filed.text
    bad = await d.publicity.client.post("/public/objections", data={**form, "summary": "短"})
    assert bad.status_code == 422 and "5至1000字" in bad.text
    by_phone = await d.publicity.client.post(f"/notices/{opened.payload.notice_no}/objections",
                                             headers=d.publicity.token("clerk"),
                                             json={"summary": "电话反映该户有经营收入", "channel": "phone",
                                                   "anonymous": False, "contact": "13800001111"})
    assert by_phone.status_code == 201
    assert "13800001111" not in await public_pages(d.publicity)

    await d.at(dt.date(2022, 3, 11))
    [closed] = await eventually(lambda: d.events("publicity_closed"))
    assert closed.payload.outcome == "objected" and len(closed.payload.objection_ids) == 2
    limit = closed.payload.decision_due.due_on
    assert limit == dt.date(2022, 3, 31)  # 15 working days after the window's last day, 3-10
    await d.until(lambda s: s["publicity"] == "objected" and s["objections"] == 2)

    await d.at(dt.date(2022, 3, 15))
    await d.play(ReinvestigationCompleted(completed_on=dt.date(2022, 3, 15), objection_upheld=False,
                                          findings="车辆登记在他人名下，异议不成立", investigators=INV))
    await d.play(review(2, True, dt.date(2022, 3, 15)), REVIEWER)
    notices = await eventually(lambda: _count(d, "publicity_opened", 2))
    second = notices[1].payload
    assert second.round == 2 and second.closes.due_on == dt.date(2022, 3, 24)
    await d.at(dt.date(2022, 3, 25))
    closings = await eventually(lambda: _count(d, "publicity_closed", 2))
    assert closings[1].payload.outcome == "clean"
    assert closings[1].payload.decision_due.due_on == dt.date(2022, 3, 29) <= limit
    await d.until(lambda s: s["publicity"] == "clean" and s["review"]["round"] == 2)
    decided = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": True},
                                           headers=d.decision.token("leader", who="lead-1"))
    assert decided.status_code == 200, decided.text
    assert dt.date.fromisoformat(decided.json()["decided_on"]) <= limit
    [filed] = await d.events("case_filed")
    assert filed.payload.objections == 2


async def _count(d, event_type, n):
    found = await d.events(event_type)
    return found if len(found) >= n else None


async def test_ineligible_review_refusal_and_notice_delivered_in_3_working_days(district):
    d = district
    await d.play(review(1, False, dt.date(2022, 3, 1)), REVIEWER)
    await d.until(lambda s: s["review"] and not s["review"]["eligible"])
    assert await d.publicity.published("publicity_opened") == []  # an ineligible household is not posted
    leader = d.decision.token("leader", who="lead-1", name="孙主任")
    approve = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": True}, headers=leader)
    assert approve.status_code == 409
    no_reason = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": False}, headers=leader)
    assert no_reason.status_code == 422
    refused = await d.decision.client.post(f"/cases/{CASE}/decision", headers=leader,
                                           json={"approve": False, "reasons": ["家庭人均月收入高于当地低保标准"]})
    assert refused.status_code == 200 and refused.json()["refusal_notice_due"] == "2022-03-04"
    notice = await d.decision.client.get(f"/cases/{CASE}/refusal-notice", headers=d.decision.token("clerk"))
    assert "不予批准通知书" in notice.text and "家庭人均月收入高于当地低保标准" in notice.text
    assert "行政复议" in notice.text
    await d.at(dt.date(2022, 3, 3))  # delivery is recorded on the day it happens, not ahead of it
    delivered = await d.decision.client.post(f"/cases/{CASE}/refusal-notice/delivery",
                                             headers=d.decision.token("clerk"),
                                             json={"delivered_on": "2022-03-03", "received_by": "居委会王主任"})
    assert delivered.status_code == 200 and delivered.json()["on_time"] is True
    [issued] = await d.events("refusal_notice_issued")
    assert issued.payload.delivered_on == dt.date(2022, 3, 3) and issued.payload.committee == COMMITTEE
    [refusal] = await d.events("case_refused")
    assert refusal.payload.refusal_notice_due.due_on == dt.date(2022, 3, 4)
    [filed] = await d.events("case_filed")
    assert filed.payload.outcome == "refused"
    twice = await d.decision.client.post(f"/cases/{CASE}/refusal-notice/delivery", headers=d.decision.token("clerk"),
                                         json={"delivered_on": "2022-03-03", "received_by": "居委会王主任"})
    assert twice.status_code == 409


async def test_bureau_cannot_decide_a_devolved_case_after_2022_02_01(district):
    d = district
    await d.play(review(1, False, dt.date(2022, 3, 1)), REVIEWER)
    await d.until(lambda s: s["review"])
    bureau = d.decision.token("bureau_admin", jurisdiction="650205", who="bureau-1")
    r = await d.decision.client.post(f"/cases/{CASE}/decision", headers=bureau,
                                     json={"approve": False, "reasons": ["x"]})
    assert r.status_code == 403 and "can no longer decide" in r.json()["detail"]
    other = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": False, "reasons": ["x"]},
                                         headers=d.decision.token("leader", jurisdiction="650205100"))
    assert other.status_code == 403 and "serves jurisdiction" in other.json()["detail"]
    granted = await d.decision.published("authority_granted")
    assert {(e.payload.granted_to_jurisdiction, e.payload.body) for e in granted} == {
        (J, "district_bureau"), (J, "jurisdiction")}


async def test_whoever_visited_or_reviewed_may_not_decide_even_with_a_leader_token(district):
    """谁调查、谁签字、谁负责: the home visit's investigators (the partner too) and the reviewer are barred."""
    d = district
    await d.play(ReinvestigationCompleted(completed_on=dt.date(2022, 3, 1), objection_upheld=False,
                                          findings="补充调查", investigators=(INV[0], Signer(
                                              id="inv-c", name="钱调查", role=Role.INVESTIGATOR))))
    await d.play(review(1, False, dt.date(2022, 3, 1)), REVIEWER)
    await d.until(lambda s: s["review"])  # applied in stream order: the re-investigation came before
    visit = next(e for e in EXAMPLES if isinstance(e, HomeVisitRecorded))
    for who in (*(i.id for i in visit.investigators), "inv-c", "rev-1"):
        r = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": False, "reasons": ["x"]},
                                         headers=d.decision.token("leader", who=who))
        assert r.status_code == 403, (who, r.text)
        assert "谁调查、谁签字、谁负责" in r.text and "separation of duties" in r.text and "may not decide" in r.text
    assert await d.events("case_refused") == []
    ok = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": False, "reasons": ["x"]},
                                      headers=d.decision.token("leader", who="lead-1"))
    assert ok.status_code == 200, ok.text


async def test_a_close_relative_flag_after_acceptance_recuses_the_leader(district):
    from jiuzhu_contracts.events import CloseRelativeFlagged
    from jiuzhu_contracts.events.intake import CloseRelativeFlag

    d = district
    await d.play(review(1, False, dt.date(2022, 3, 1)), REVIEWER)
    flag = CloseRelativeFlag(staff_ids=("lead-1",), member_id_numbers=(MEMBERS[1].id_number,), relations=("child",))
    await d.play(CloseRelativeFlagged(flagged_on=dt.date(2022, 3, 1), close_relative=flag),
                 Actor(id="clerk-1", role="clerk", name="刘窗口"))
    await d.until(lambda s: "lead-1" in s["recused"])
    r = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": False, "reasons": ["x"]},
                                     headers=d.decision.token("leader", who="lead-1"))
    assert r.status_code == 403 and "D21 art. 11" in r.json()["rule"]
    ok = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": False, "reasons": ["x"]},
                                      headers=d.decision.token("leader", who="lead-2"))
    assert ok.status_code == 200
    [filed] = await d.events("case_filed")
    assert filed.payload.close_relative is True and filed.payload.close_relative_staff_ids == ("lead-1",)


async def test_every_endpoint_refuses_wrong_roles_and_jurisdictions(district):
    from jiuzhu_devstack.testing import walk_access_matrix

    assert await walk_access_matrix(district.decision, other_jurisdiction="650205100") > 30
    assert await walk_access_matrix(district.publicity, other_jurisdiction="650205100") > 30


async def test_confirmation_form_shows_the_opinions_and_the_decision_the_leader_signs(district):
    """申请审核确认表 (plan 五(三)): blank for the signature before the decision, signed after; refused
    before the case reaches the decision stage; the committee may not print it."""
    d = district
    missing = await d.decision.client.get("/cases/650205001-2022-09999/confirmation-form",
                                          headers=d.decision.token("leader"))
    assert missing.status_code == 404 and "尚未进入审核确认环节" in missing.json()["detail"]
    await d.play(review(1, False, dt.date(2022, 3, 1)), REVIEWER)
    await d.until(lambda s: s["review"])
    url = f"/cases/{CASE}/confirmation-form"
    before = await d.decision.client.get(url, headers=d.decision.token("clerk"))
    assert before.status_code == 200 and "社会救助申请审核确认表" in before.text
    assert "审确〔2022〕00001号" in before.text and "赵审核" in before.text and "家庭人均月收入高于低保标准" in before.text
    assert "待审核确认" in before.text
    assert (await d.decision.client.get(url, headers=d.decision.token("committee"))).status_code == 403
    leader = d.decision.token("leader", who="lead-1", name="孙主任")
    refused = await d.decision.client.post(f"/cases/{CASE}/decision", headers=leader,
                                           json={"approve": False, "reasons": ["家庭人均月收入高于当地低保标准"]})
    assert refused.status_code == 200, refused.text
    after = await d.decision.client.get(url, headers=d.decision.token("bureau_admin", jurisdiction="650205"))
    assert after.status_code == 200
    assert "不予批准" in after.text and "孙主任" in after.text and "2022-03-01" in after.text
    assert "待审核确认" not in after.text
