"""Oversight on real PostgreSQL and JetStream."""

import datetime as dt
import hashlib
import io
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from jiuzhu_contracts import encode
from jiuzhu_contracts.base import Category
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES, MEMBERS
from jiuzhu_contracts import encode
from jiuzhu_contracts.events import ApplicationAccepted, CaseApproved, CaseFiled
from jiuzhu_contracts.subjects import event_subject, events_stream
from jiuzhu_devstack.testing import eventually

from jiuzhu_oversight.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
J1, J2 = "650205001", "650205100"
CLERK = Actor(id="clerk-1", role="clerk", name="刘窗口")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None) as running:
        yield running


def accepted(case_id, jurisdiction, *, kin=False):
    example = next(e for e in EXAMPLES if isinstance(e, ApplicationAccepted))
    return Envelope.wrap(example if kin else example.model_copy(update={"close_relative": None}), district="650205",
                         jurisdiction=jurisdiction, actor=CLERK,
                         occurred_at=dt.datetime(2022, 3, 1, 9, tzinfo=TZ), case_id=case_id)


def filed(case_id, jurisdiction, *, kin=False, objections=0):
    example = next(e for e in EXAMPLES if isinstance(e, CaseFiled))
    payload = example.model_copy(update={"close_relative": kin, "objections": objections,
                                         "filed_on": dt.date(2022, 3, 20)})
    return Envelope.wrap(payload, district="650205", jurisdiction=jurisdiction,
                         actor=Actor(id="lead-1", role="leader", name="孙主任"),
                         occurred_at=dt.datetime(2022, 3, 20, 9, tzinfo=TZ), case_id=case_id)


async def at(svc, day):
    now = dt.datetime.combine(day, dt.time(9), TZ)
    svc.kit.clock.set(now)
    await svc.kit.tick(now)


async def get(svc, path, **params):
    r = await svc.client.get(path, params=params, headers=svc.token("inspector", "auditor", jurisdiction="650205"))
    assert r.status_code == 200, r.text
    return r


async def test_two_jurisdictions_one_register_breach_once_and_duplicate_alert(svc):
    await svc.publish(accepted(f"{J1}-2022-00001", J1))
    await svc.publish(accepted(f"{J2}-2022-00001", J2))  # the same household, at another window
    await eventually(lambda: _count(svc, "/cases", 2))
    found = await eventually(lambda: _n(svc.published("duplicate_beneficiary_detected"), 2))
    assert len(found) == len(MEMBERS)  # one alert per resident found in both jurisdictions
    assert all(set(a.payload.jurisdictions) == {J1, J2} for a in found)
    assert MEMBERS[0].id_number not in json.dumps((await get(svc, "/alerts")).json())

    await at(svc, dt.date(2022, 3, 15))  # due day: still on time
    assert await svc.published("deadline_breached") == []
    deadlines = (await get(svc, "/deadlines")).json()
    assert [d["clock"] for d in deadlines[J1]["due_soon"]] == ["investigation"]
    await at(svc, dt.date(2022, 3, 16))
    breaches = await eventually(lambda: _n(svc.published("deadline_breached"), 2))
    assert {(b.jurisdiction, b.payload.clock, b.payload.responsible) for b in breaches} == {
        (J1, "investigation", ("investigator@650205001",)), (J2, "investigation", ("investigator@650205100",))}
    await at(svc, dt.date(2022, 3, 17))
    await at(svc, dt.date(2022, 3, 18))
    assert len(await svc.published("deadline_breached")) == 2  # once each, however often the clock ticks
    overdue = (await get(svc, "/deadlines")).json()
    assert overdue[J1]["overdue"][0]["breach_raised_on"] == "2022-03-16"


async def _n(coro, n):
    found = await coro
    return found if len(found) >= n else None


async def _count(svc, path, n):
    body = (await get(svc, path)).json()
    return body if len(body) >= n else None


async def test_month_of_filings_drawn_findings_feedback_and_rectification_answered(svc):
    for i in range(10):
        await svc.publish(filed(f"{J1}-2022-{i:05d}", J1, kin=(i == 7)))
    for i in range(4):
        await svc.publish(filed(f"{J2}-2022-{i:05d}", J2, objections=1 if i == 2 else 0))
    await eventually(lambda: _filings(svc, 14))
    inspector = svc.token("inspector", jurisdiction="650205", who="ins-1", name="周督查")
    drawn = (await svc.client.post("/spot-checks/draw", json={"month": "2022-03"}, headers=inspector)).json()
    by_j = {d["jurisdiction"]: d for d in drawn}
    assert (by_j[J1]["filings"], by_j[J1]["required"], len(by_j[J1]["drawn"])) == (10, 3, 3)
    assert (by_j[J2]["filings"], by_j[J2]["required"], len(by_j[J2]["drawn"])) == (4, 2, 2)
    assert {"case_id": f"{J1}-2022-00007", "because": "close_relative"} in by_j[J1]["drawn"]
    assert {"case_id": f"{J2}-2022-00002", "because": "objection"} in by_j[J2]["drawn"]
    assert not any(d["already_drawn"] for d in drawn)
    # A month is drawn once; drawing it again says so and shows the recorded sample, unchanged.
    again = (await svc.client.post("/spot-checks/draw", json={"month": "2022-03"}, headers=inspector)).json()
    assert {d["jurisdiction"] for d in again} == {J1, J2} and all(d["already_drawn"] for d in again)
    for d in again:
        first = by_j[d["jurisdiction"]]
        assert (d["seed"], d["drawn_at"], d["filings"], d["required"]) == (
            first["seed"], first["drawn_at"], first["filings"], first["required"])
        assert sorted(d["drawn"], key=lambda c: c["case_id"]) == sorted(first["drawn"], key=lambda c: c["case_id"])
    redraw = (await get(svc, "/spot-checks/redraw", jurisdiction=J1, month="2022-03")).json()
    assert redraw["same"] is True and redraw["seed"] == by_j[J1]["seed"]
    assert len(await svc.published("spot_check_selected")) == 5

    kin_case = f"{J1}-2022-00007"
    done = await svc.client.post(f"/spot-checks/{kin_case}/findings", headers=inspector, json={
        "target_correct": True, "procedure_followed": False, "materials_complete": True,
        "feedback": "民主评议记录缺少参加人员签字"})
    assert done.status_code == 200, done.text
    order_no = done.json()["rectification_order"]
    assert order_no
    [completed] = await svc.published("spot_check_completed")
    assert completed.jurisdiction == J1 and completed.case_id == kin_case  # goes back to the jurisdiction
    doc = await svc.client.get(f"/spot-checks/{kin_case}/feedback", headers=svc.token("leader", jurisdiction=J1))
    assert doc.status_code == 200 and "办理程序是否规范" in doc.text and "民主评议记录缺少参加人员签字" in doc.text
    other = await svc.client.get(f"/spot-checks/{kin_case}/feedback", headers=svc.token("leader", jurisdiction=J2))
    assert other.status_code == 403
    [ordered] = await svc.published("rectification_ordered")
    assert ordered.jurisdiction == J1 and ordered.payload.kind == "irregular_approval"

    wrong = await svc.client.post(f"/rectifications/{order_no}/answer", json={"answer": "已整改"},
                                  headers=svc.token("leader", jurisdiction=J2))
    assert wrong.status_code == 403
    answered = await svc.client.post(f"/rectifications/{order_no}/answer", json={"answer": "已补签并重新归档"},
                                     headers=svc.token("leader", jurisdiction=J1, who="lead-1"))
    assert answered.status_code == 200 and answered.json()["on_time"] is True
    assert len(await svc.published("rectification_answered")) == 1

    missed = await svc.client.post("/rectifications", headers=inspector, json={
        "jurisdiction": J2, "kind": "missed_coverage", "findings": "举报电话反映某户应保未保"})
    assert missed.status_code == 201
    await at(svc, dt.date(2022, 6, 1))  # far past its 20 working days, unanswered
    [escalated] = await eventually(lambda: svc.published("rectification_escalated"))
    assert escalated.payload.order_no == missed.json()["order_no"]


async def _filings(svc, n):
    async with svc.kit.sessions() as s:
        return (await s.execute(text("SELECT count(*) FROM filings"))).scalar_one() >= n


async def test_audit_trail_is_verifiable_and_tampering_is_found(svc):
    await svc.publish(accepted(f"{J1}-2022-00001", J1))
    await svc.publish(filed(f"{J1}-2022-00001", J1))
    await eventually(lambda: _count(svc, "/cases", 1))
    await eventually(lambda: _filings(svc, 1))
    auditor = svc.token("auditor", jurisdiction="650205")
    trail = (await svc.client.get(f"/audit/cases/{J1}-2022-00001", headers=auditor)).json()
    assert [t["event_type"] for t in trail] == ["application_accepted", "case_filed"]
    assert trail[0]["event"]["actor"]["name"] == "刘窗口"
    ok = (await svc.client.get("/audit/verify", headers=auditor)).json()
    assert ok["intact"] is True and ok["entries"] == 2
    async with svc.kit.sessions() as s, s.begin():
        await s.execute(text("UPDATE audit_log SET body = jsonb_set(body, '{actor,name}', '\"别人\"') WHERE seq = 1"))
    broken = (await svc.client.get("/audit/verify", headers=auditor)).json()
    assert broken["intact"] is False and broken["first_bad_seq"] == 1
    inspector_only = await svc.client.get("/audit/verify", headers=svc.token("inspector", jurisdiction="650205"))
    assert inspector_only.status_code == 403


def _event(kind, case_id, day, **changes):
    example = next(e for e in EXAMPLES if isinstance(e, kind))
    return Envelope.wrap(example.model_copy(update=changes), district="650205", jurisdiction=J1, actor=CLERK,
                         occurred_at=dt.datetime.combine(day, dt.time(9), TZ), case_id=case_id)


async def test_statistics_json_csv_xlsx(svc):
    """Every counted column of a month, from events: two applications (one resubmitted), two
    acceptances, an approval with its working days per stage, a refusal, a withdrawal, a breach."""
    from jiuzhu_contracts.events import (
        ApplicationSubmitted,
        ApplicationWithdrawn,
        CaseApproved,
        CaseRefused,
        DeadlineBreached,
        HomeVisitRecorded,
        ReviewSigned,
    )

    a, b, c = (f"{J1}-2022-0010{i}" for i in range(3))
    march = dt.date(2022, 3, 1)
    events = [
        _event(ApplicationSubmitted, a, march), _event(ApplicationSubmitted, a, march),  # resubmitted: one application
        _event(ApplicationSubmitted, b, march),
        accepted(a, J1), accepted(b, J1), accepted(c, J1),
        _event(HomeVisitRecorded, a, dt.date(2022, 3, 3), visited_on=dt.date(2022, 3, 3)),  # 2 working days
        _event(ReviewSigned, a, dt.date(2022, 3, 8), signed_on=dt.date(2022, 3, 8)),  # 3 working days
        _event(CaseApproved, a, dt.date(2022, 3, 18), decided_on=dt.date(2022, 3, 18), amount_fen=130000,
               first_month_paid="2022-03"),  # 8 working days after the review
        _event(CaseRefused, b, dt.date(2022, 3, 18), decided_on=dt.date(2022, 3, 18)),
        _event(ApplicationWithdrawn, c, dt.date(2022, 3, 4), withdrawn_on=dt.date(2022, 3, 4)),
        _event(DeadlineBreached, b, dt.date(2022, 3, 16), detected_on=dt.date(2022, 3, 16)),
    ]
    for env in events:
        await svc.publish(env)
    async def counted():
        rows = (await get(svc, "/statistics", month="2022-03")).json()
        row = next(r for r in rows if r["jurisdiction"] == J1 and r["category"] == "dibao")
        return (row["breaches"] == 1 and row["approvals"] == 1 and row["withdrawals"] == 1 and rows) or None
    rows = await eventually(counted)
    # Every field of every row: J1's dibao row as counted, every other row empty.
    no_breaches = {"investigation": 0, "review": 0, "reinvestigation": 0, "decision": 0, "refusal_notice": 0}
    names = {J1: "柳树街街道办事处", J2: "乌尔禾镇人民政府", "650205400": "百口泉产业园区管委会"}
    assert sorted((r["jurisdiction"], r["category"]) for r in rows) == sorted(
        (j, c.value) for j in names for c in Category)
    for r in rows:
        expected = {"month": "2022-03", "jurisdiction": r["jurisdiction"], "jurisdiction_name": names[r["jurisdiction"]],
                    "category": r["category"], "applications": 0, "acceptances": 0, "approvals": 0, "refusals": 0,
                    "withdrawals": 0, "breaches": 0, "breaches_by_clock": no_breaches,
                    "avg_working_days_acceptance_to_visit": 0, "avg_working_days_visit_to_review": 0,
                    "avg_working_days_review_to_decision": 0, "active_households": 0, "active_amount_fen": 0,
                    "migrated": 0, "amount_changes": 0, "standard_raises": 0, "gradual_exits": 0, "ends": 0,
                    "notice_breaches": 0, "active_persons": 0, "approved_persons": 0, "spot_checks": 0,
                    "spot_check_faults": 0, "clocks_met": 0}
        if (r["jurisdiction"], r["category"]) == (J1, "dibao"):
            expected |= {"applications": 2, "acceptances": 3, "approvals": 1, "refusals": 1, "withdrawals": 1,
                         "breaches": 1, "breaches_by_clock": no_breaches | {"investigation": 1},
                         "avg_working_days_acceptance_to_visit": 2, "avg_working_days_visit_to_review": 3,
                         "avg_working_days_review_to_decision": 8, "active_households": 1,
                         "active_amount_fen": 130000, "active_persons": 2, "approved_persons": 2,
                         "clocks_met": 1}  # a household of 2 (issue 16); its investigation clock met by the visit
        assert r == expected, r
    j1_dibao = ["2022-03", J1, "柳树街街道办事处", "dibao", 2, 3, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 3, 8, 1, 130000,
                0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 1]
    csv = await get(svc, "/statistics", month="2022-03", format="csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert csv.headers["content-type"].startswith("text/csv")
    assert lines[0].split(",") == ["月份", "辖区代码", "辖区", "类别", "申请", "受理", "批准", "不予批准", "撤回及视为放弃",
                                   "超时", "超时·入户调查核实", "超时·审核", "超时·重新调查核实", "超时·审核确认",
                                   "超时·不予批准书面通知", "受理至入户（工作日）", "入户至审核（工作日）",
                                   "审核至决定（工作日）", "在保户数", "在保金额（分）", "存量导入", "增发减发", "提标调整",
                                   "进入渐退期", "停发", "超时·救助变更书面通知",
                                   "在保人数", "批准人数", "抽查户数", "抽查发现问题", "按时办结（各时限）"]
    assert len(lines) == 1 + 3 * len(Category)
    [j1_line] = [line.split(",") for line in lines[1:] if line.startswith(f"2022-03,{J1},柳树街街道办事处,dibao,")]
    assert [float(v) if i >= 4 else v for i, v in enumerate(j1_line)] == j1_dibao
    assert all(line.split(",")[4:] == ["0"] * 27 for line in lines[1:] if line.split(",") != j1_line)
    xlsx = await get(svc, "/statistics", month="2022-03", format="xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert cells[0] == lines[0].split(",") and len(cells) == 1 + 3 * len(Category)
    assert [r for r in cells[1:] if r[1] == J1 and r[3] == "dibao"] == [j1_dibao]
    assert all(r[4:] == [0] * 27 for r in cells[1:] if not (r[1] == J1 and r[3] == "dibao"))


async def test_statistics_count_the_months_breaches_per_clock(svc):
    """Which stage was late (plan 六(二)): the month's breaches per clock and jurisdiction, in the
    JSON beside the total, and a column per clock right after "超时" in the CSV and XLSX. A breach
    raised in another month is not counted."""
    from jiuzhu_contracts.events import DeadlineBreached

    a, b = f"{J1}-2022-00201", f"{J1}-2022-00202"
    c = f"{J2}-2022-00201"

    def breach(case_id, jurisdiction, clock, day):
        env = _event(DeadlineBreached, case_id, day, clock=clock, detected_on=day)
        return env.model_copy(update={"jurisdiction": jurisdiction})

    events = [accepted(a, J1), accepted(b, J1), accepted(c, J2),
              breach(a, J1, "investigation", dt.date(2022, 3, 16)), breach(b, J1, "investigation", dt.date(2022, 3, 17)),
              breach(b, J1, "review", dt.date(2022, 3, 28)), breach(c, J2, "decision", dt.date(2022, 3, 30)),
              breach(a, J1, "review", dt.date(2022, 4, 1))]  # April: not March's
    for env in events:
        await svc.publish(env)

    async def counted():
        rows = (await get(svc, "/statistics", month="2022-03")).json()
        return rows if sum(r["breaches"] for r in rows) == 4 else None
    rows = await eventually(counted)
    by = {(r["jurisdiction"], r["category"]): r for r in rows}
    dibao = Category.DIBAO.value
    assert by[(J1, dibao)]["breaches_by_clock"] == {"investigation": 2, "review": 1, "reinvestigation": 0,
                                                     "decision": 0, "refusal_notice": 0}
    assert by[(J2, dibao)]["breaches_by_clock"]["decision"] == 1 and by[(J2, dibao)]["breaches"] == 1
    assert all(sum(r["breaches_by_clock"].values()) == r["breaches"] for r in rows)
    april = (await get(svc, "/statistics", month="2022-04")).json()
    assert sum(r["breaches_by_clock"]["review"] for r in april) == 1

    lines = (await get(svc, "/statistics", month="2022-03", format="csv")).content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    at = header.index("超时")
    assert header[at + 1:at + 6] == ["超时·入户调查核实", "超时·审核", "超时·重新调查核实", "超时·审核确认", "超时·不予批准书面通知"]
    assert header[at + 6] == "受理至入户（工作日）"
    j1 = next(line.split(",") for line in lines[1:] if line.startswith(f"2022-03,{J1},") and f",{dibao}," in line)
    assert j1[at:at + 6] == ["3", "2", "1", "0", "0", "0"]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO((await get(svc, "/statistics", month="2022-03", format="xlsx")).content)).active
    cells = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert cells[0][at + 1] == "超时·入户调查核实"
    found = next(r for r in cells[1:] if r[1] == J2 and r[3] == dibao)
    assert found[at:at + 6] == [1, 0, 0, 0, 1, 0]


async def test_dead_letters_are_recorded_with_their_reason(svc):
    subject, body = event_subject("650205", J1, "case_approved", svc.prefix), b'{"event_type": "case_appr'
    signature = svc.credentials.signer(f"decision-{J1}").headers(subject, body)  # a producer with a bug
    await svc.js.publish(subject, body, headers=signature, stream=events_stream(svc.prefix))
    dead = await eventually(lambda: _count(svc, "/dead-letters", 1))
    assert "malformed JSON" in dead[0]["reason"] and dead[0]["consumer"] == f"oversight-{J1}"  # J1's partition
    assert (await get(svc, "/security-alerts")).json() == []


async def test_a_forged_approval_is_a_security_alert_and_changes_nothing(svc):
    """A hand-made case_approved (no signature; then signed by intake, which does not decide):
    refused, raised as an alert, and no register row, audit entry or filing appears."""
    approved = next(e for e in EXAMPLES if isinstance(e, CaseApproved))
    forged = Envelope.wrap(approved, district="650205", jurisdiction=J1, case_id="650205001-2022-09999",
                           actor=Actor(id="x", role="leader", name="伪造"), occurred_at=svc.kit.clock.now())
    subject, body = event_subject("650205", J1, "case_approved", svc.prefix), encode(forged)
    await svc.js.publish(subject, body, stream=events_stream(svc.prefix))
    await svc.js.publish(subject, body, headers=svc.credentials.signer(f"intake-{J1}").headers(subject, body),
                         stream=events_stream(svc.prefix))
    alerts = await eventually(lambda: _count(svc, "/security-alerts", 2))
    reasons = sorted(a["reason"] for a in alerts)
    assert "unsigned message" in reasons[1] and "may not produce case_approved" in reasons[0]
    assert all(a["refused_by"] == [f"oversight-{J1}"] and a["claimed_event_type"] == "case_approved" for a in alerts)
    assert {a["claimed_signer"] for a in alerts} == {None, f"intake-{J1}"}
    assert (await get(svc, "/cases")).json() == []
    assert (await get(svc, "/audit/verify")).json()["entries"] == 0
    assert (await get(svc, "/stranded-cases")).json() == []


async def test_every_endpoint_refuses_wrong_roles(svc):
    from jiuzhu_devstack.testing import walk_access_matrix

    assert await walk_access_matrix(svc, other_jurisdiction=J1) > 50


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


async def test_duplicate_alert_sees_a_full_width_spelling_of_the_same_resident(svc):
    """Issue 6: a number typed in full width (Chinese IME) is the same resident: the contract
    normalises it, so the cross-jurisdiction alert compares like with like."""
    await svc.publish(accepted(f"{J1}-2022-00001", J1))
    env = accepted(f"{J2}-2022-00001", J2)
    raw = encode(env).decode()
    for m in MEMBERS:
        raw = raw.replace(m.id_number, m.id_number[:17].translate(FULL_WIDTH) + m.id_number[17])
    assert MEMBERS[0].id_number not in raw
    await svc.publish_bytes(event_subject("650205", J2, env.event_type, svc.prefix), raw.encode(),
                            signed_by=f"intake-{J2}", msg_id=env.event_id)
    found = await eventually(lambda: _n(svc.published("duplicate_beneficiary_detected"), len(MEMBERS)))
    assert {a.payload.id_number_hash for a in found} == {
        hashlib.sha256(m.id_number.encode()).hexdigest() for m in MEMBERS}
    assert (await get(svc, "/dead-letters")).json() == []


async def test_spot_check_month_far_from_the_business_month_is_refused(svc):
    inspector = svc.token("inspector", jurisdiction="650205")
    for month, limit in (("0001-01", "months_back"), ("9999-12", "months_ahead")):
        r = await svc.client.post("/spot-checks/draw", json={"month": month}, headers=inspector)
        assert r.status_code == 422 and r.json()["field"] == "month" and limit in r.json()["rule"], r.text


async def test_a_case_whose_event_cannot_be_applied_is_shown_as_stranded(svc):
    """A genuine producer's event about a case that no consumer can apply (here: it fails the
    contract) is not a silent drop: oversight lists the case as standing still, with the reason."""
    case_id = f"{J1}-2022-00077"
    env = accepted(case_id, J1)
    raw = json.loads(encode(env))
    raw["payload"]["declared_monthly_income_fen"] = -3  # what a producer with a bug might send
    subject = event_subject("650205", J1, env.event_type, svc.prefix)
    await svc.publish_bytes(subject, json.dumps(raw).encode(), signed_by=f"intake-{J1}")
    stranded = await eventually(lambda: _count(svc, "/stranded-cases", 1))
    assert stranded[0]["case_id"] == case_id and stranded[0]["jurisdiction"] == J1
    [stuck] = stranded[0]["stuck_at"]
    assert stuck["consumer"] == f"oversight-{J1}" and stuck["reason"].startswith("contract:")
    assert stuck["event_type"] == "application_accepted"
    assert (await get(svc, "/security-alerts")).json() == []
    # and the stage itself shows it, for that case
    own = await svc.client.get("/consumer/dead-letters", params={"case_id": case_id},
                               headers=svc.token("inspector", jurisdiction="650205"))
    assert [r["case_id"] for r in own.json()] == [case_id]
