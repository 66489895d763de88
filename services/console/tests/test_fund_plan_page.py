"""资金需求预测 (issue 16 item 4) in the console: disbursement's projection charted by its parts,
which add up to the projected need; a jurisdiction's leader asks for its own; a refusal is shown
with the rule disbursement names; the CSV comes from disbursement under the person's own token."""

import httpx

from jiuzhu_console.service_layer import fund_plan_view as fp

from .console_harness import console_app, signed_in

J1, J2 = "650205001", "650205100"
RULE = "乌尔禾区工作方案 四(二)3–4：街道（乡镇）只读本辖区的资金需求测算"


def line(month, category, **values):
    base = {"month": month, "jurisdiction": J1, "category": category, "standard_fen": 90000,
            "in_force_households": 0, "in_force_persons": 0, "in_force_amount_fen": 0,
            "expected_new_households": 0.0, "expected_new_amount_fen": 0, "expected_exit_households": 0.0,
            "expected_exit_amount_fen": 0, "temporary_amount_fen": 0, "standard_raise_fen": 0,
            "projected_households": 0.0, "projected_persons": 0.0, "projected_amount_fen": 0}
    return base | values


PLAN = {"current_month": "2026-11", "trend_window": {"first": "2026-05", "last": "2026-10", "months": 6},
        "jurisdiction": J1, "method": "在保按当月应发 / in force",
        "rows": [line("2026-12", "dibao", in_force_amount_fen=310000, expected_new_amount_fen=45000,
                      expected_new_households=0.5, expected_exit_amount_fen=51667, projected_amount_fen=303333),
                 line("2026-12", "temporary", temporary_amount_fen=60000, projected_amount_fen=60000),
                 line("2027-01", "dibao", in_force_amount_fen=310000, standard_raise_fen=30000,
                      projected_amount_fen=340000)],
        "totals": [{"month": "2026-12", "projected_amount_fen": 363333, "in_force_amount_fen": 310000,
                    "expected_new_amount_fen": 45000, "expected_exit_amount_fen": 51667,
                    "temporary_amount_fen": 60000, "standard_raise_fen": 0},
                   {"month": "2027-01", "projected_amount_fen": 340000, "in_force_amount_fen": 310000,
                    "expected_new_amount_fen": 0, "expected_exit_amount_fen": 0, "temporary_amount_fen": 0,
                    "standard_raise_fen": 30000}]}


def test_the_parts_add_up_to_the_projected_need_each_month():
    parts = fp.parts_yuan(PLAN)
    assert fp.months_of(PLAN) == ["2026-12", "2027-01"]
    assert fp.short_labels(["2026-11", "2026-12", "2027-01", "2027-02"]) == ["2026年11月", "12月", "2027年1月", "2月"]
    assert parts["在保（扣除预计退出）"] == [2583.33, 3100.0] and parts["提标增加"] == [0.0, 300.0]
    for i, total in enumerate(PLAN["totals"]):
        assert round(sum(values[i] for values in parts.values()), 2) == total["projected_amount_fen"] / 100


async def test_the_leader_sees_its_own_projection_and_is_refused_anothers(tmp_path):
    asked = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(dict(request.url.params))
        if request.url.host == "disbursement" and request.url.path == "/fund-plan/projection":
            if request.url.params.get("jurisdiction") != J1:
                return httpx.Response(403, json={"detail": "资金需求计划属于650205100，不是本辖区650205001 / another's",
                                                 "rule": RULE, "field": "jurisdiction"})
            if request.url.params.get("format") == "csv":
                return httpx.Response(200, content="月份,辖区\n".encode("utf-8-sig"), headers={
                    "content-type": "text/csv; charset=utf-8",
                    "content-disposition": 'attachment; filename="fund-plan-650205001-2026-12.csv"'})
            return httpx.Response(200, json=PLAN)
        return httpx.Response(404, json={"detail": "not played"})

    app = console_app(tmp_path, answer)
    leader = await signed_in(app, "lsj-lead-1")
    page = await leader.get("/finance/fund-plan")
    assert page.status_code == 200 and asked[-1] == {"jurisdiction": J1}
    assert "资金需求预测（元，按月）" in page.text and "<svg " in page.text and "3,633.33" in page.text
    assert "2026-05 至 2026-10" in page.text
    other = await leader.get(f"/finance/fund-plan?jurisdiction={J2}")
    assert other.status_code == 403 and "四(二)3–4" in other.text
    csv = await leader.get("/finance/fund-plan.csv")
    assert csv.status_code == 200 and asked[-1] == {"format": "csv", "jurisdiction": J1}
    assert csv.headers["content-disposition"].endswith('2026-12.csv"')
