"""Issue 15's scenarios, the standing caseload, on the real processes: a district's list of 500
households supported under the old system is imported into 乌尔禾镇 (all or nothing, idempotent),
and every other service follows it the same month — the roster, the public long-term list and the
door card, oversight's register, filings, clocks and statistics, intake's case record; then a
reduction with its written notice, a stop, a death (tekun: 7 days' notice, T21 art. 26), a gradual
exit that ends by itself, and a January standard raise that changes every amount on the next roster
and the fund plan. The tests run in this order and share the imported households (``caseload``)."""

import csv
import datetime as dt
import io

import pytest

from jiuzhu_contracts.examples import synthetic_id

from .steps import C2, J2, at

HEADER = ["户主姓名", "户主身份证号", "类别", "城乡", "居（村）委会", "地址", "家庭成员", "月保障金额(元)",
          "家庭月收入(元)", "原批准日期", "本系统起发月份", "收款账号"]
HOUSEHOLDS = 500
IMPORTED_ON = dt.date(2022, 6, 27)  # a Monday
FIRST_MONTH = "2022-07"
# Rural dibao: the (placeholder) standard is 700 元 a person; a couple counting 300 元 a month gets
# 2 × 700 − 300 = 1100 元 by the review's rules. The old system paid 1000 元: a standard raise lifts it.
DIBAO_PAID, DIBAO_INCOME, DIBAO_COMPUTED = 100000, 30000, 110000
TEKUN_PAID = 91000  # one person, the rural basic-living standard
BAD_ROWS = {10: ("户主身份证号", "a wrong check character"), 50: ("类别", "临时救助 is one-off"),
            100: ("居（村）委会", "not a committee here"), 200: ("月保障金额(元)", "0"),
            400: ("原批准日期", "after the business day")}


def tekun(i: int) -> bool:
    return i % 100 == 99  # five single tekun households among the 500


def person(i: int, seq: str) -> str:
    """Born 1955–1956, one a day: nobody the other scenarios' households (born 1980, 2001…) are."""
    born = dt.date(1955, 1, 1) + dt.timedelta(days=i)
    return synthetic_id("650205", born.strftime("%Y%m%d"), seq)


def account(i: int) -> str:
    return f"62220200{i:08d}"


def row(i: int) -> list[str]:
    head = person(i, "011")
    members = f"存量户{i:03d}:{head}:本人" + ("" if tekun(i) else f";配偶{i:03d}:{person(i, '022')}:配偶")
    return [f"存量户{i:03d}", head, "特困" if tekun(i) else "低保", "农村", C2, f"哈克村{i}号", members,
            f"{(TEKUN_PAID if tekun(i) else DIBAO_PAID) / 100:.2f}", "0" if tekun(i) else f"{DIBAO_INCOME / 100:.2f}",
            "2020-06-15", FIRST_MONTH, account(i)]


def spoiled(i: int, cells: list[str]) -> list[str]:
    column, _ = BAD_ROWS[i]
    at_ = HEADER.index(column)
    cells = list(cells)
    cells[at_] = {"户主身份证号": cells[at_][:-1] + ("0" if cells[at_][-1] != "0" else "1"), "类别": "临时救助",
                  "居（村）委会": "不存在的村民委员会", "月保障金额(元)": "0", "原批准日期": "2099-01-01"}[column]
    return cells


def csv_file(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


async def upload(walker, body: bytes, expect=(200, 422)):
    return await walker.call("POST", "decision", J2, "/supported-households/import", role="clerk", expect=expect,
                             files={"file": ("存量对象.csv", body, "text/csv")})


async def compile_(walker, month: str) -> dict:
    return (await walker.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                              json={"month": month, "jurisdiction": J2})).json()


async def roster_amounts(walker, month: str) -> dict[str, int]:
    """case_id → amount of each monthly line of J2's roster for ``month``, as finance downloads it."""
    roster = await compile_(walker, month)
    text = (await walker.call("GET", "disbursement", None, f"/rosters/{roster['roster_id']}/export.csv",
                              role="bureau_admin")).text
    lines = [l.split(",") for l in text.split("\n\n# totals")[0].splitlines()[1:]]
    return {l[1]: int(l[4]) for l in lines if l[3] == month and l[7] == "monthly"}


async def public_list(walker) -> str:
    return (await walker.client.get(walker.url("publicity", J2) + "/public/list")).text


async def register(walker, case_id: str) -> dict | None:
    r = await walker.call("GET", "oversight", None, f"/cases/{case_id}", role="inspector", expect=(200, 404))
    return r.json() if r.status_code == 200 else None


async def intake_stage(walker, case_id: str) -> str | None:
    r = await walker.call("GET", "intake", J2, f"/cases/{case_id}", role="clerk", expect=(200, 404))
    return r.json()["stage"] if r.status_code == 200 else None


def reasons(text: str) -> list[str]:
    return [text]


@pytest.fixture(scope="module")
def caseload() -> dict:
    """What the scenarios learn as they go: the imported households' case ids, by file index."""
    return {}


async def test_1_import_500_households_all_or_nothing_idempotent_and_followed_everywhere(district, walker, caseload):
    await district.set_business_time(at(IMPORTED_ON))
    rows = [row(i) for i in range(HOUSEHOLDS)]
    template = await walker.call("GET", "decision", J2, "/supported-households/import-template",
                                 role="clerk", params={"format": "csv"})
    assert set(HEADER) <= set(next(csv.reader(io.StringIO(template.content.decode("utf-8-sig")))))

    # Five bad rows: nothing is imported, every bad row is named with its rule.
    refused = await upload(walker, csv_file([spoiled(i, r) if i in BAD_ROWS else r for i, r in enumerate(rows)]))
    assert refused.status_code == 422, refused.text
    named = refused.json()["rows"]
    assert {r["row"] for r in named} == {i + 2 for i in BAD_ROWS}, named  # row 1 is the header
    assert {(i + 2, column) for i, (column, _) in BAD_ROWS.items()} <= {(r["row"], r["field"]) for r in named}
    assert all(r["rule"] for r in named)
    on_support = (await walker.call("GET", "decision", J2, "/supported-households", role="clerk")).json()
    assert not [h for h in on_support if h["migrated"]]
    assert (await walker.call("GET", "decision", J2, "/supported-households/imports", role="clerk")).json() == []

    # Fixed: all 500; the same file again: nothing changes.
    body = csv_file(rows)
    imported = (await upload(walker, body, expect=200)).json()
    assert (imported["imported"], imported["unchanged"], len(imported["case_ids"])) == (HOUSEHOLDS, 0, HOUSEHOLDS)
    again = (await upload(walker, body, expect=200)).json()
    assert (again["imported"], again["unchanged"], again["file_sha256"]) == (0, HOUSEHOLDS, imported["file_sha256"])
    caseload.update(dict(enumerate(imported["case_ids"])))  # in the file's order
    ids = set(caseload.values())

    # Disbursement: all 500 from their first month, at the amount the old system paid.
    async def on_register():
        r = await walker.call("GET", "disbursement", None, "/recipients", role="bureau_admin",
                              params={"jurisdiction": J2, "limit": 10000})
        return ids <= {x["case_id"] for x in r.json()}
    await walker.until(on_register, timeout=180)
    assert not ids & set(await roster_amounts(walker, "2022-06"))  # the old system paid June
    july = await roster_amounts(walker, FIRST_MONTH)
    assert {c: july[c] for c in ids} == {c: TEKUN_PAID if tekun(i) else DIBAO_PAID for i, c in caseload.items()}

    # The public long-term list: every household by name and amount — and nothing private.
    async def listed():
        page = await public_list(walker)
        return all(f"存量户{i:03d}" in page for i in range(HOUSEHOLDS)) and page
    page = await walker.until(listed, timeout=180)
    assert "1,000.00" in page and "910.00" in page
    private = [person(i, "011") for i in range(HOUSEHOLDS)] + [account(i) for i in range(HOUSEHOLDS)]
    assert not [p for p in private if p in page] and "存量对象.csv" not in page
    card = await walker.call("GET", "publicity", J2, f"/door-cards/{caseload[0]}", role="committee")
    assert "存量户000" in card.text and "1,000.00元/月" in card.text and person(0, "011") not in card.text

    # Oversight: in the register as supported, marked migrated with the file and row; no procedure clock.
    async def registered():
        r = await walker.call("GET", "oversight", None, "/cases", role="inspector",
                              params={"jurisdiction": J2, "stage": "approved", "limit": 5000})
        return ids <= {c["case_id"] for c in r.json()}
    await walker.until(registered, timeout=180)
    first = await register(walker, caseload[0])
    assert first["migrated"]["row"] == 2 and first["migrated"]["file_sha256"] == imported["file_sha256"]
    assert first["clocks"] == []
    filings = (await walker.call("GET", "oversight", None, "/support-filings", role="inspector",
                                 params={"month": "2022-06", "jurisdiction": J2, "limit": 20000})).json()
    assert ids <= {f["case_id"] for f in filings if f["kind"] == "recipient_migrated"}
    stats = (await walker.call("GET", "oversight", None, "/statistics", role="inspector",
                               params={"month": "2022-06"})).json()
    assert sum(r["migrated"] for r in stats if r["jurisdiction"] == J2) == HOUSEHOLDS

    # Intake: a supported case, so a new application of the same category for its members is a duplicate.
    assert await walker.until(lambda: intake_stage(walker, caseload[1])) == "approved"
    members = [{"name": "存量户001", "id_number": person(1, "011"), "relation": "self"},
               {"name": "配偶001", "id_number": person(1, "022"), "relation": "spouse"}]
    duplicate = await walker.apply(J2, members, committee=C2, expect=409)
    assert duplicate["open_case"] == caseload[1]


async def test_2_a_reduction_with_its_written_notice(district, walker, caseload):
    case_id = caseload[2]
    await district.set_business_time(at(dt.date(2022, 7, 11)))
    notice = (await walker.call("POST", "decision", J2, f"/supported-households/{case_id}/changes", role="leader",
                                json={"amount_fen": 80000, "cause": "re_review",
                                      "reasons": reasons("定期核查：配偶务工收入增加（D21第31、32条）")})).json()
    assert notice["effective_month"] == "2022-08" and notice["amount_before_fen"] == DIBAO_PAID
    printed = await walker.call("GET", "decision", J2, f"/supported-households/notices/{notice['notice_no']}",
                                role="clerk")
    assert "变更通知书" in printed.text and "800" in printed.text
    delivered = (await walker.call("POST", "decision", J2,
                                   f"/supported-households/notices/{notice['notice_no']}/delivery", role="clerk",
                                   json={"delivered_on": "2022-07-12", "received_by": "哈克村村民委员会 王主任"})).json()
    assert delivered["on_time"] is True

    async def notice_met():
        c = await register(walker, case_id)
        clocks = [k for k in c["clocks"] if k["clock"] == "support_notice"]
        return clocks and clocks[0]["state"] == "met" and c
    filed = await walker.until(notice_met)
    assert filed["amount_fen"] == 80000
    filings = (await walker.call("GET", "oversight", None, "/support-filings", role="inspector",
                                 params={"month": "2022-07", "jurisdiction": J2})).json()
    assert [f["kind"] for f in filings if f["case_id"] == case_id] == ["support_changed"]

    # July is paid as before, August at the new amount; the public list changes with the month.
    assert (await roster_amounts(walker, "2022-07"))[case_id] == DIBAO_PAID
    assert (await roster_amounts(walker, "2022-08"))[case_id] == 80000
    assert "存量户002" in await public_list(walker)
    await district.set_business_time(at(dt.date(2022, 8, 1)))

    async def shows_new_amount():
        card = await walker.call("GET", "publicity", J2, f"/door-cards/{case_id}", role="committee")
        return "800.00元/月" in card.text
    await walker.until(shows_new_amount)
    assert any(e["label"] == "救助金额调整" for e in
               (await walker.call("GET", "intake", J2, f"/cases/{case_id}", role="clerk")).json()["timeline"])


async def test_3_a_stop_and_its_undelivered_notice_breached(district, walker, caseload):
    case_id = caseload[3]
    await district.set_business_time(at(dt.date(2022, 8, 8)))
    notice = (await walker.call("POST", "decision", J2, f"/supported-households/{case_id}/end", role="leader",
                                json={"cause": "re_review",
                                      "reasons": reasons("定期核查：家庭人均收入高于低保标准（D21第32条）")})).json()
    assert notice["last_month_paid"] == "2022-08"

    async def ended_everywhere():
        c = await register(walker, case_id)
        return (c and c["stage"] == "ended" and await intake_stage(walker, case_id) == "ended"
                and "存量户003" not in await public_list(walker))
    await walker.until(ended_everywhere)
    assert case_id in await roster_amounts(walker, "2022-08")
    assert case_id not in await roster_amounts(walker, "2022-09")
    # Three working days for the notice (8-9, 8-10, 8-11); undelivered on 8-12, the clock is breached.
    await district.set_business_time(at(dt.date(2022, 8, 12)))

    async def breached():
        deadlines = (await walker.call("GET", "oversight", None, "/deadlines", role="inspector")).json()
        return [d for d in deadlines[J2]["overdue"] if d["case_id"] == case_id and d["clock"] == "support_notice"]
    [overdue] = await walker.until(breached)
    assert overdue["breach_raised_on"] == "2022-08-12"


async def test_4_a_death_of_a_tekun_household_with_seven_days_notice(district, walker, caseload):
    index = next(i for i in caseload if tekun(i))
    case_id = caseload[index]
    await district.set_business_time(at(dt.date(2022, 8, 29)))
    notice = (await walker.call("POST", "decision", J2, f"/supported-households/{case_id}/end", role="leader",
                                json={"cause": "death", "reasons": reasons("供养对象于2022年8月26日死亡（T21第26条）")})
              ).json()
    # 7 days' notice (to 9-5), then from the next month: September is paid, October is not.
    assert notice["last_month_paid"] == "2022-09"
    await walker.call("POST", "decision", J2, f"/supported-households/notices/{notice['notice_no']}/delivery",
                      role="clerk", json={"delivered_on": "2022-08-30", "received_by": "哈克村村民委员会 王主任"})

    async def ended():
        c = await register(walker, case_id)
        return c and c["stage"] == "ended" and f"存量户{index:03d}" not in await public_list(walker)
    await walker.until(ended)
    assert (await roster_amounts(walker, "2022-09"))[case_id] == TEKUN_PAID
    assert case_id not in await roster_amounts(walker, "2022-10")
    stats = (await walker.call("GET", "oversight", None, "/statistics", role="inspector",
                               params={"month": "2022-08"})).json()
    row = next(r for r in stats if r["jurisdiction"] == J2 and r["category"] == "tekun")
    assert row["ends"] >= 1


async def test_5_a_gradual_exit_ends_by_itself_after_its_months(district, walker, caseload):
    case_id = caseload[5]
    await district.set_business_time(at(dt.date(2022, 9, 5)))
    notice = (await walker.call("POST", "decision", J2, f"/supported-households/{case_id}/gradual-exit",
                                role="leader", json={"months": 2, "cause": "re_review", "reasons": reasons(
                                    "家庭成员就业，人均收入超过低保标准（N22 §1.3）")})).json()
    assert notice["last_month_paid"] == "2022-11"  # paid as now for October and November
    await walker.call("POST", "decision", J2, f"/supported-households/notices/{notice['notice_no']}/delivery",
                      role="clerk", json={"delivered_on": "2022-09-06", "received_by": "哈克村村民委员会 王主任"})
    assert (await roster_amounts(walker, "2022-11"))[case_id] == DIBAO_PAID
    assert case_id not in await roster_amounts(walker, "2022-12")
    assert (await register(walker, case_id))["stage"] == "approved"  # still supported until it ends

    await district.set_business_time(at(dt.date(2022, 12, 1)))  # the decision's ticker ends it by itself

    async def ended_by_itself():
        c = await register(walker, case_id)
        return c and c["stage"] == "ended" and "存量户005" not in await public_list(walker) and c
    ended = await walker.until(ended_by_itself)
    assert [e["event_type"] for e in ended["timeline"]][-1] == "support_ended"
    assert [k["state"] for k in ended["clocks"]] == ["met"]  # one notice, one clock
    assert await intake_stage(walker, case_id) == "ended"


async def test_6_a_january_standard_raise_changes_every_amount_on_the_next_roster_and_the_fund_plan(
        district, walker, caseload):
    await district.set_business_time(at(dt.date(2022, 12, 20)))
    raise_ = {"year": 2023, "effective_month": "2023-01"}
    preview = (await walker.call("POST", "decision", J2, "/standard-raises/preview", role="leader", json=raise_)).json()
    by_case = {h["case_id"]: h for h in preview["households"]}
    still = {c for i, c in caseload.items() if by_case.get(c, {}).get("status") in ("supported", "gradual_exit")}
    dibao = {c for i, c in caseload.items() if c in still and not tekun(i)}
    assert dibao and all(by_case[c]["after_fen"] == DIBAO_COMPUTED for c in dibao - {caseload[2]})
    changing = {c for c, h in by_case.items() if h["after_fen"] != h["before_fen"]}
    assert dibao - {caseload[2]} <= changing
    december_plan = (await walker.call("GET", "disbursement", None, "/fund-plan", role="bureau_admin",
                                       params={"start": "2022-12", "months": 2})).json()

    applied = (await walker.call("POST", "decision", J2, "/standard-raises/apply", role="leader", json=raise_)).json()
    assert applied["changed"] == len(changing)
    again = (await walker.call("POST", "decision", J2, "/standard-raises/apply", role="leader", json=raise_)).json()
    assert again["changed"] == 0

    async def raised_on_the_roster():
        january = await roster_amounts(walker, "2023-01")
        return all(january.get(c) == by_case[c]["after_fen"] for c in changing) and january
    january = await walker.until(raised_on_the_roster, timeout=180)
    december = await roster_amounts(walker, "2022-12")
    assert all(december[c] == by_case[c]["before_fen"] for c in changing if c in december)
    assert sum(january[c] - december[c] for c in changing) == sum(
        by_case[c]["after_fen"] - by_case[c]["before_fen"] for c in changing)

    # The fund plan follows: January's need grows by the raise (nobody else in the district starts
    # or stops between December and January in these scenarios).
    plan = (await walker.call("GET", "disbursement", None, "/fund-plan", role="bureau_admin",
                              params={"start": "2022-12", "months": 2})).json()
    need = [sum(v["amount_fen"] for v in month["categories"].values()) for month in plan]
    before = [sum(v["amount_fen"] for v in month["categories"].values()) for month in december_plan]
    assert need[0] == before[0] and need[1] - before[1] == sum(
        by_case[c]["after_fen"] - by_case[c]["before_fen"] for c in changing)
    # …and the public list shows the new amounts from January.
    await district.set_business_time(at(dt.date(2023, 1, 3)))

    async def listed_new_amounts():
        return "1,100.00" in await public_list(walker)
    await walker.until(listed_new_amounts)

    async def counted():  # oversight applies the raise's events on its own consumer, in its own time
        stats = (await walker.call("GET", "oversight", None, "/statistics", role="inspector",
                                   params={"month": "2022-12"})).json()
        raised = sum(r["standard_raises"] for r in stats if r["jurisdiction"] == J2)
        return raised if raised >= len(changing) else None
    assert await walker.until(counted, timeout=180) == len(changing)
