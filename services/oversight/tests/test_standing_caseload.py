"""Oversight follows the standing caseload (issue 15), on real PostgreSQL and JetStream: an
imported household is in the register as supported, marked migrated with its source, with no
procedure clock; every decision on a supported household is filed; its written notice has a clock
met by the delivery of that notice and breached otherwise; the monthly statistics count them."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import Due
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import (
    ApplicationAccepted,
    GradualExitStarted,
    RecipientMigrated,
    SupportChanged,
    SupportEnded,
    SupportNoticeDelivered,
)
from jiuzhu_contracts.events.support import ChangeCause
from jiuzhu_contracts.examples import EXAMPLES, MEMBERS
from jiuzhu_devstack.testing import eventually

from jiuzhu_oversight.bootstrap import build
from jiuzhu_oversight.domain.caseload import CaseloadCount, add_caseload, counted_as, filing_record
from jiuzhu_oversight.domain.statistics import cells, empty_rows, headers

TZ = ZoneInfo("Asia/Shanghai")
J1, J2 = "650205001", "650205100"
A, B, C = f"{J1}-CL-0000000a", f"{J1}-CL-0000000b", f"{J1}-CL-0000000c"
LEADER = Actor(id="lead-1", role="leader", name="孙主任")
CLERK = Actor(id="clerk-1", role="clerk", name="李窗口")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None) as running:
        yield running


def example(kind):
    return next(e for e in EXAMPLES if isinstance(e, kind))


def envelope(payload, case_id, day, jurisdiction=J1, actor=LEADER):
    return Envelope.wrap(payload, district="650205", jurisdiction=jurisdiction, actor=actor,
                         occurred_at=dt.datetime.combine(day, dt.time(9), TZ), case_id=case_id)


def notice(no, decided, due_on):
    return {"notice_no": no, "decided_on": decided,
            "notice_due": Due(clock="support_notice", due_on=due_on, working_days=3, starts_after=decided,
                              rule="D21 art. 32: 3 working days")}


async def get(svc, path, **params):
    r = await svc.client.get(path, params=params, headers=svc.token("inspector", "auditor", jurisdiction="650205"))
    assert r.status_code == 200, r.text
    return r.json()


async def case(svc, case_id, check=lambda c: True):
    r = await svc.client.get(f"/cases/{case_id}", headers=svc.token("inspector", jurisdiction="650205"))
    return r.json() if r.status_code == 200 and check(r.json()) else None


def clocks_of(c):
    return {cl["clock"]: (cl["state"], cl["due_on"], cl["met_on"], cl["breached_on"]) for cl in c["clocks"]}


def test_what_is_counted_and_what_is_filed():
    assert counted_as("support_changed", "standard_raise") == "standard_raises"
    assert counted_as("support_changed", "re_review") == "amount_changes"
    assert counted_as("recipient_migrated", None) == "migrated" and counted_as("support_ended", "death") == "ends"
    assert counted_as("case_approved", None) is None
    migrated = example(RecipientMigrated).model_dump(mode="json")
    assert set(migrated) - set(filing_record("recipient_migrated", migrated)) == {"members", "payment_account"}
    rows = empty_rows("2022-04", [("J1", "一")], ["dibao"])
    rows[("J1", "dibao")]["breaches_by_clock"]["support_notice"] = 2
    add_caseload(rows, [CaseloadCount("J1", "dibao", "support_changed", "standard_raise", 40),
                        CaseloadCount("J1", "dibao", "support_changed", "death", 1),
                        CaseloadCount("J1", "dibao", "support_changed", "re_review", 2),
                        CaseloadCount("J1", "dibao", "recipient_migrated", None, 500),
                        CaseloadCount("J9", "dibao", "support_ended", "death", 1)])  # not of the district
    row = rows[("J1", "dibao")]
    assert [row[c] for c in ("migrated", "amount_changes", "standard_raises", "gradual_exits", "ends",
                             "notice_breaches")] == [500, 3, 40, 0, 0, 2]
    # the caseload's columns follow the first ones; issue 16's five come after them
    assert headers()[-11:-5] == ["存量导入", "增发减发", "提标调整", "进入渐退期", "停发", "超时·救助变更书面通知"]
    assert cells(row)[-11:-5] == [500, 3, 40, 0, 0, 2]


async def test_a_migrated_household_is_registered_filed_indexed_and_has_no_procedure_clock(svc):
    march = dt.date(2022, 3, 28)
    source = example(RecipientMigrated)
    await svc.publish(envelope(source, A, march, actor=CLERK))
    registered = await eventually(lambda: case(svc, A))
    assert (registered["stage"], registered["amount_fen"], registered["first_month_paid"], registered["ended"]) == \
        ("approved", 130000, "2022-04", False)
    assert registered["migrated"] == {"file_name": "存量低保.xlsx", "file_sha256": "0" * 64, "row": 2,
                                      "imported_by": "clerk-1"}
    assert registered["clocks"] == [] and [e["event_type"] for e in registered["timeline"]] == ["recipient_migrated"]
    filings = await get(svc, "/support-filings", month="2022-03")
    assert [(f["case_id"], f["kind"]) for f in filings] == [(A, "recipient_migrated")]
    assert "members" not in filings[0]["record"] and "payment_account" not in filings[0]["record"]
    assert all(m.id_number not in str(filings) for m in MEMBERS)
    assert await get(svc, "/support-filings", month="2022-03", jurisdiction=J2) == []

    # One of its residents applies in another jurisdiction: the same person supported twice is an alert.
    await svc.publish(envelope(example(ApplicationAccepted).model_copy(update={"close_relative": None}),
                               f"{J2}-2022-00001", march, jurisdiction=J2, actor=CLERK))
    alerts = await eventually(lambda: _nonempty(get(svc, "/alerts")))
    hashes = {hashlib.sha256(m.id_number.encode()).hexdigest() for m in MEMBERS}
    assert {(a["id_hash"], tuple(a["cases"])) for a in alerts} == {(h, (A, f"{J2}-2022-00001")) for h in hashes}


async def test_an_imported_household_already_in_an_open_case_elsewhere_raises_the_alert(svc):
    march = dt.date(2022, 3, 28)
    await svc.publish(envelope(example(ApplicationAccepted).model_copy(update={"close_relative": None}),
                               f"{J2}-2022-00001", march, jurisdiction=J2, actor=CLERK))
    await svc.publish(envelope(example(RecipientMigrated), A, march, actor=CLERK))
    raised = await eventually(lambda: _nonempty(svc.published("duplicate_beneficiary_detected")))
    assert {(e.payload.cases, e.payload.jurisdictions) for e in raised} == {((A, f"{J2}-2022-00001"), (J1, J2))}
    assert len(raised) == len(MEMBERS)


async def _nonempty(awaitable):
    return (await awaitable) or None


async def test_changes_are_filed_and_their_notice_clocks_met_by_delivery_or_breached(svc):
    march, april = dt.date(2022, 3, 28), dt.date(2022, 4, 11)
    for case_id in (A, B, C):
        await svc.publish(envelope(example(RecipientMigrated), case_id, march, actor=CLERK))
    # A: 减发, its notice delivered on time. B: a gradual exit whose notice is never delivered.
    # C: its notice's delivery seen before the end that issued it (a retried event overtaken).
    await svc.publish(envelope(example(SupportChanged).model_copy(update={
        "amount_fen": 90000, "effective_month": "2022-05", **notice("BG-1", april, dt.date(2022, 4, 14))}), A, april))
    await svc.publish(envelope(example(GradualExitStarted).model_copy(update={
        "months": 3, "last_month_paid": "2022-07", **notice("JT-1", april, dt.date(2022, 4, 14))}), B, april))
    delivered = example(SupportNoticeDelivered)
    await svc.publish(envelope(delivered.model_copy(update={"notice_no": "TF-1", "delivered_on": april}), C, april))
    await svc.publish(envelope(example(SupportEnded).model_copy(update={
        "cause": "death", "last_month_paid": "2022-04", **notice("TF-1", april, dt.date(2022, 4, 14))}), C, april))
    await svc.publish(envelope(delivered.model_copy(update={"notice_no": "BG-1",
                                                            "delivered_on": dt.date(2022, 4, 13)}), A, april))
    # A January standard raise: filed, no notice, no clock.
    await svc.publish(envelope(example(SupportChanged).model_copy(update={
        "cause": ChangeCause.STANDARD_RAISE, "amount_before_fen": 90000, "amount_fen": 95000,
        "effective_month": "2022-05", "notice_no": None, "notice_due": None, "decided_on": april}), A, april))

    a = await eventually(lambda: case(svc, A, lambda c: c["amount_fen"] == 95000))
    assert clocks_of(a) == {"support_notice": ("met", "2022-04-14", "2022-04-13", None)}
    assert len(a["clocks"]) == 1 and a["clocks"][0]["responsible"] == ["lead-1"]
    c = await eventually(lambda: case(svc, C, lambda c: c["stage"] == "ended"))
    assert clocks_of(c) == {"support_notice": ("met", "2022-04-14", "2022-04-11", None)}
    b = await eventually(lambda: case(svc, B, lambda c: c["clocks"]))
    assert b["stage"] == "approved" and clocks_of(b)["support_notice"][0] == "open"
    filings = await get(svc, "/support-filings", month="2022-04")
    assert sorted((f["case_id"], f["kind"]) for f in filings) == [
        (A, "support_changed"), (A, "support_changed"), (B, "gradual_exit_started"), (C, "support_ended")]

    # The gradual exit over, its end comes by itself under the same notice: no second clock.
    await svc.publish(envelope(example(SupportEnded).model_copy(update={
        "cause": "gradual_exit", "last_month_paid": "2022-07", **notice("JT-1", april, dt.date(2022, 4, 14))}),
        B, april))
    await eventually(lambda: case(svc, B, lambda c: c["stage"] == "ended"))
    assert len((await case(svc, B))["clocks"]) == 1

    now = dt.datetime(2022, 4, 15, 9, tzinfo=TZ)  # the day after the 3rd working day
    svc.kit.clock.set(now)
    await svc.kit.tick(now)
    breaches = await eventually(lambda: _nonempty(svc.published("deadline_breached")))
    assert [(e.case_id, e.payload.clock, e.payload.responsible) for e in breaches] == [
        (B, "support_notice", ("lead-1",))]
    deadlines = await get(svc, "/deadlines")
    assert [(d["case_id"], d["clock"]) for d in deadlines[J1]["overdue"]] == [(B, "support_notice")]

    async def counted():
        rows = await get(svc, "/statistics", month="2022-04")
        row = next(r for r in rows if r["jurisdiction"] == J1 and r["category"] == "dibao")
        return row if row["notice_breaches"] == 1 else None
    row = await eventually(counted)
    assert {k: row[k] for k in ("migrated", "amount_changes", "standard_raises", "gradual_exits", "ends",
                                "notice_breaches", "breaches", "approvals", "active_households",
                                "active_amount_fen")} == {
        "migrated": 0, "amount_changes": 1, "standard_raises": 1, "gradual_exits": 1, "ends": 2,
        "notice_breaches": 1, "breaches": 1, "approvals": 0, "active_households": 1, "active_amount_fen": 95000}
    march_row = next(r for r in await get(svc, "/statistics", month="2022-03")
                     if r["jurisdiction"] == J1 and r["category"] == "dibao")
    assert march_row["migrated"] == 3 and march_row["ends"] == 0
    r = await svc.client.get("/statistics", params={"month": "2022-04", "format": "csv"},
                             headers=svc.token("inspector", jurisdiction="650205"))
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[-11:-5] == ["存量导入", "增发减发", "提标调整", "进入渐退期", "停发", "超时·救助变更书面通知"]
    j1 = next(line for line in lines[1:] if line.startswith(f"2022-04,{J1},") and ",dibao," in line)
    assert j1.split(",")[-11:-5] == ["0", "1", "1", "1", "2", "1"]


async def test_the_filings_are_for_district_readers_only(svc):
    for headers in (svc.token("leader", jurisdiction=J1), svc.token("clerk", jurisdiction="650205")):
        r = await svc.client.get("/support-filings", params={"month": "2022-04"}, headers=headers)
        assert r.status_code == 403
    bad = await svc.client.get("/support-filings", params={"month": "2022-13"},
                               headers=svc.token("inspector", jurisdiction="650205"))
    assert bad.status_code == 422 and "month" in bad.text
