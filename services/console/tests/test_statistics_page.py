"""统计 (issue 16 item 5): the statistics page charts households and persons, new / stopped /
changed, amounts, working days against each deadline, the clocks met and breached and spot checks,
for a month or a year; a jurisdiction's staff read their own figures, another's is refused with the
rule oversight names; the CSV/XLSX come from oversight under the person's own token."""

import httpx

from jiuzhu_kernel.district_config import Deadlines

from jiuzhu_console.service_layer import statistics_view as st

from .console_harness import console_app, signed_in

J1, J2 = "650205001", "650205100"
OWN_RULE = "乌尔禾区工作方案 四(二)3–4：街道（乡镇）负责本辖区社会救助数据统计报送，只读本辖区的统计"


def row(jurisdiction, category, **values):
    base = {"month": "2026-11", "jurisdiction": jurisdiction, "jurisdiction_name": jurisdiction, "category": category,
            "applications": 0, "approvals": 0, "refusals": 0, "active_households": 0, "active_persons": 0,
            "active_amount_fen": 0, "ends": 0, "migrated": 0, "gradual_exits": 0, "amount_changes": 0,
            "standard_raises": 0, "breaches": 0, "clocks_met": 0, "spot_checks": 0, "spot_check_faults": 0,
            "breaches_by_clock": {"investigation": 0, "review": 0}}
    return base | values


ROWS = [row(J1, "dibao", active_households=3, active_persons=7, active_amount_fen=310000, approvals=2, refusals=1,
            ends=1, amount_changes=1, standard_raises=2, clocks_met=5, breaches=1,
            breaches_by_clock={"investigation": 1, "review": 0}, spot_checks=2, spot_check_faults=1,
            avg_working_days_acceptance_to_visit=4.0, avg_working_days_visit_to_review=2.0),
        row(J1, "tekun", active_households=1, active_persons=1, active_amount_fen=117000, approvals=1,
            avg_working_days_acceptance_to_visit=7.0, migrated=3)]


def test_the_series_per_category_and_the_working_days_against_each_deadline():
    assert st.labels()[:2] == ["最低生活保障", "特困人员救助供养"]
    assert st.households_and_persons(ROWS) == {"在保户数": [3, 1, 0, 0], "在保人数": [7, 1, 0, 0]}
    moved = st.movement(ROWS)
    assert moved["新增（批准）"] == [2, 1, 0, 0] and moved["停发"] == [1, 0, 0, 0]
    assert moved["变更（增发减发、提标）"] == [3, 0, 0, 0] and moved["存量导入"] == [0, 3, 0, 0]
    assert st.amounts_yuan(ROWS) == {"在保金额（元）": [3100.0, 1170.0, 0.0, 0.0]}
    names, series = st.working_days_against_deadlines(ROWS, Deadlines())
    assert names == ["受理至入户", "入户至审核", "审核至决定"]
    # weighted by the cases decided: dibao 4.0 × 3, tekun 7.0 × 1 → 4.75 → 4.8
    assert series["平均用时（工作日）"] == [4.8, 2.0, 0.0]
    assert series["时限（工作日）"] == [10, 5, 10]  # investigation; review; publicity 7 + decision 3
    clock_names, clock_series = st.clocks(ROWS)
    assert clock_names == ["按时办结（各时限）", "超时·入户调查核实", "超时·审核"] and clock_series["件数"] == [5, 1, 0]
    assert st.spot_checks(ROWS) == {"抽查户数": [2, 0, 0, 0], "发现问题": [1, 0, 0, 0]}


def test_a_month_or_a_year():
    assert st.period_of("2026-10", "", "2026-11").query == {"month": "2026-10"}
    assert st.period_of("2026-10", "2025", "2026-11").query == {"year": "2025"}
    assert st.period_of("bad", "20x5", "2026-11").zh == "2026年11月"
    assert st.period_of("", "2025", "2026-11").zh == "2025年"


async def test_a_jurisdictions_leader_charts_its_own_and_is_refused_anothers(tmp_path):
    asked = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(dict(request.url.params))
        if request.url.host == "oversight" and request.url.path == "/statistics":
            if request.url.params.get("jurisdiction") not in (None, J1):
                return httpx.Response(403, json={"detail": "统计属于650205100，不是本辖区650205001 / another's",
                                                 "rule": OWN_RULE, "field": "jurisdiction"})
            if request.url.params.get("format") == "csv":
                return httpx.Response(200, content="月份,辖区代码\n".encode("utf-8-sig"), headers={
                    "content-type": "text/csv; charset=utf-8",
                    "content-disposition": 'attachment; filename="statistics-650205001-2026.csv"'})
            return httpx.Response(200, json=ROWS)
        return httpx.Response(404, json={"detail": "not played"})

    app = console_app(tmp_path, answer)
    leader = await signed_in(app, "lsj-lead-1")
    page = await leader.get("/statistics")
    assert page.status_code == 200 and asked[-1] == {"month": "2026-11", "jurisdiction": J1}
    for title in ("在保户数与人数", "新增、停发、变更", "在保金额", "各环节平均用时与时限", "按时办结与超时", "备案抽查结果"):
        assert title in page.text
    assert page.text.count("<svg ") >= 6 and "<script" not in page.text.split("<main")[1]
    assert 'href="/statistics"' in page.text  # in the navigation
    year = await leader.get("/statistics?year=2026")
    assert year.status_code == 200 and asked[-1] == {"year": "2026", "jurisdiction": J1} and "2026年" in year.text
    other = await leader.get(f"/statistics?month=2026-11&jurisdiction={J2}")
    assert other.status_code == 403 and "四(二)3–4" in other.text and "<svg " not in other.text
    csv = await leader.get("/statistics/download.csv?year=2026")
    assert csv.status_code == 200 and asked[-1] == {"year": "2026", "format": "csv", "jurisdiction": J1}
    assert csv.headers["content-disposition"].endswith('2026.csv"')

    bureau = await signed_in(app, "bureau-ins-1")
    district = await bureau.get("/statistics?month=2026-10")
    assert district.status_code == 200 and asked[-1] == {"month": "2026-10"} and "全区" in district.text
    investigator = await signed_in(app, "lsj-inv-a")
    refused = await investigator.get("/statistics")
    assert refused.status_code == 403 and 'href="/statistics"' not in refused.text
