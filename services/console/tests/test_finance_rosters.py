"""What the finance pages make of disbursement's answers: the business month, the difference from
last month's roster, the lines of an export, and the payment form's lines (plan 五(五))."""

import datetime as dt

from jiuzhu_console.domain.rosters import (current_of, export_lines, month_difference, payment_form, previous_month,
                                           business_month)


def roster(scope, version, status, totals):
    return {"roster_id": f"R-{scope}-2026-10-v{version}", "scope": scope, "version": version, "status": status,
            "totals": totals}


def test_months():
    assert business_month(dt.date(2026, 11, 29)) == "2026-11"
    assert previous_month("2026-11") == "2026-10" and previous_month("2027-01") == "2026-12"


def test_last_months_roster_of_the_same_scope_is_the_submitted_one_else_the_newest_live_version():
    october = [roster("650205001", 1, "submitted", {}), roster("650205001", 2, "compiled", {}),
               roster("650205100", 1, "superseded", {}), roster("650205100", 2, "compiled", {})]
    assert current_of(october, "650205001")["version"] == 1
    assert current_of(october, "650205100")["version"] == 2
    assert current_of(october, "650205400") is None


def test_the_difference_from_last_month_per_category_and_in_total():
    now = {"totals": {"dibao": [3, 390000], "temporary": [1, 200000]}}
    before = {"totals": {"dibao": [2, 260000], "tekun": [1, 150000]}}
    rows = {r.category: r for r in month_difference(now, before)}
    assert (rows["dibao"].households_delta, rows["dibao"].amount_delta) == (1, 130000)
    assert (rows["tekun"].households, rows["tekun"].households_delta, rows["tekun"].amount_delta) == (0, -1, -150000)
    assert (rows["temporary"].households_before, rows["temporary"].amount_delta) == (0, 200000)
    assert (rows["total"].households, rows["total"].households_before, rows["total"].amount_delta) == (4, 3, 180000)
    assert list(rows)[-1] == "total"
    assert month_difference(now, None)[-1].amount_fen_before == 0


def test_the_lines_of_an_export_without_its_trailer():
    text = ("jurisdiction,case_id,category,month,amount_fen,name,account,kind\n"
            '650205001,650205001-2026-00001,dibao,2026-11,130000,"李文斌","6222****0001",monthly\n'
            '650205001,650205001-2026-00009,dibao,2026-10,130000,"王, 秀英","6222****0009",carried\n'
            "\n# totals: category,households,amount_fen,amount_yuan\n# dibao,2,260000,2600.00\n# sha256 of the lines above: ab\n")
    lines = export_lines(text)
    assert [(l["case_id"], l["month"], l["amount_fen"], l["kind"]) for l in lines] == [
        ("650205001-2026-00001", "2026-11", 130000, "monthly"), ("650205001-2026-00009", "2026-10", 130000, "carried")]
    assert lines[1]["name"] == "王, 秀英"


def test_the_payment_form_sends_only_the_rows_with_a_status_and_maps_the_services_rule_back_to_its_row():
    form = {"lines.0.case_id": "C0", "lines.0.category": "dibao", "lines.0.month": "2026-11", "lines.0.status": "",
            "lines.1.case_id": "C1", "lines.1.category": "dibao", "lines.1.month": "2026-11", "lines.1.status": "paid",
            "lines.1.failure_reason": "ignored when paid",
            "lines.2.case_id": "C2", "lines.2.category": "tekun", "lines.2.month": "2026-10", "lines.2.status": "failed",
            "lines.2.failure_reason": " 账户已销户 "}
    sent = payment_form(form, 3)
    assert sent.lines == [
        {"case_id": "C1", "category": "dibao", "month": "2026-11", "status": "paid", "failure_reason": None},
        {"case_id": "C2", "category": "tekun", "month": "2026-10", "status": "failed", "failure_reason": "账户已销户"}]
    assert sent.field_of("lines.1.failure_reason") == "lines.2.failure_reason"
    assert sent.field_of("lines") == "lines" and sent.field_of("all") == "all"
