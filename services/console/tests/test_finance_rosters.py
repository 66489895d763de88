"""What the finance pages make of disbursement's answers: the business month, the difference from
last month's roster, where each line stands, and the payment form's lines (plan 五(五))."""

import datetime as dt

from jiuzhu_console.domain.rosters import (current_of, month_difference, payment_form, previous_month,
                                           business_month, standing, standing_limit)


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


def test_where_the_lines_stand_counted_per_status_failed_before_paid():
    def line(case, status, amount, reason=None):
        return {"case_id": case, "category": "dibao", "month": "2026-11", "amount_fen": amount, "status": status,
                "failure_reason": reason}
    claims = [line("C1", "paid", 130000), line("C2", "failed", 150000, "账户已销户"), line("C3", "submitted", 90000),
              line("C4", "paid", 100000)]
    stands = standing(claims, limit=5, roster_lines=4)
    assert stands.complete and [l["case_id"] for l in stands.awaiting] == ["C3"]
    assert [l["case_id"] for l in stands.confirmed] == ["C2", "C1", "C4"]
    assert stands.counts == [("submitted", 1, 90000), ("paid", 2, 230000), ("failed", 1, 150000),
                             ("total", 4, 470000)]
    assert standing([], limit=1, roster_lines=0).counts[-1] == ("total", 0, 0)


def test_the_standing_is_asked_for_whole_and_known_to_be_cut_only_at_the_services_ceiling():
    assert standing_limit(2, 100000) == 3 and standing_limit(0, 100000) == 1
    assert standing_limit(1_000_000, 100000) == 100000
    many = [{"case_id": str(i), "status": "submitted", "amount_fen": 1} for i in range(3)]
    assert not standing(many, limit=3, roster_lines=10).complete  # the ceiling reached, the roster longer
    assert standing(many, limit=3, roster_lines=3).complete
    assert standing(many[:2], limit=3, roster_lines=10).complete  # fewer: the rest moved to a later roster


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
