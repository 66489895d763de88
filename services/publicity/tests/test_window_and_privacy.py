"""Window arithmetic across holidays, the decision clock after a window, the privacy filter."""

import dataclasses
import datetime as dt

from jiuzhu_contracts.examples import APPLICANT_ID
from jiuzhu_kernel.working_days import WorkingDayCalendar

from jiuzhu_publicity.domain import window
from jiuzhu_publicity.domain.privacy import PublicListing, PublicNotice, private_data_in

CAL = WorkingDayCalendar()
D = dt.date


def test_seven_working_days_across_the_2022_spring_festival():
    # Posted Thursday 1-27: 1-28, 1-29 (Sat, working), 1-30 (Sun, working), 2-7, 2-8, 2-9, 2-10
    assert window.window(CAL, D(2022, 1, 27), 7).due_on == D(2022, 2, 10)


def test_seven_working_days_across_national_day_2022():
    # Posted Friday 9-30: 10-8 (Sat, working), 10-9 (Sun, working), 10-10 … 10-14
    assert window.window(CAL, D(2022, 9, 30), 7).due_on == D(2022, 10, 14)


def test_objections_are_taken_from_posting_to_the_last_day_inclusive():
    opens, closes = D(2022, 3, 1), D(2022, 3, 10)
    assert window.accepts_objections(opens, closes, opens) and window.accepts_objections(opens, closes, closes)
    assert not window.accepts_objections(opens, closes, D(2022, 3, 11))
    assert not window.has_ended(closes, closes) and window.has_ended(closes, D(2022, 3, 11))


def test_decision_due_after_a_clean_window_is_3_working_days():
    due = window.decision_due(CAL, D(2022, 3, 10), False, 3, 15, None)
    assert due.due_on == D(2022, 3, 15) and due.working_days == 3 and "3个工作日" in due.rule


def test_a_tekun_decision_clock_names_t21_art_16_beside_the_plan():
    due = window.decision_due(CAL, D(2022, 3, 10), False, 3, 15, None, tekun=True)
    assert due.due_on == D(2022, 3, 15) and "3个工作日" in due.rule and "T21第16条" in due.rule
    assert "T21" not in window.decision_due(CAL, D(2022, 3, 10), False, 3, 15, None).rule


def test_decision_due_after_an_objection_is_15_working_days_and_binds_the_reposting():
    objected = window.decision_due(CAL, D(2022, 3, 10), True, 3, 15, None)
    assert objected.due_on == D(2022, 3, 31)
    # The re-posted notice closes 3-28: 3 working days → 3-31, the binding limit holds either way.
    assert window.decision_due(CAL, D(2022, 3, 28), False, 3, 15, objected).due_on == D(2022, 3, 31)
    # Re-posted closing 3-30 would give 4-4 (Qingming 4-3…4-5 in 2022 → 4-7); the 15-day limit wins.
    assert window.decision_due(CAL, D(2022, 3, 30), False, 3, 15, objected) == objected
    # A second objection does not restart the clock.
    assert window.decision_due(CAL, D(2022, 3, 30), True, 3, 15, objected) == objected


def test_public_shapes_hold_only_what_may_be_public():
    allowed = {"notice_no", "committee", "name", "household_size", "category", "amount_fen", "opens_on",
               "closes_on", "round"}
    assert {f.name for f in dataclasses.fields(PublicNotice)} == allowed
    assert {f.name for f in dataclasses.fields(PublicListing)} == {"name", "household_size", "category",
                                                                  "amount_fen", "committee"}


def test_private_data_scanner_finds_ids_phones_and_accounts():
    text = f"张三 {APPLICANT_ID} 电话13912345678 账号6222020000000001 编号GS-650205001-2022-00001-1"
    found = private_data_in(text, known_private=("失业",))
    assert {f.split(":")[0] for f in found} == {"bank account", "mobile phone number", "resident ID number"}
    assert private_data_in("没有失业", known_private=("失业",)) == ["known private value: 失业"]
    assert private_data_in("张三 家庭2人 最低生活保障 1,200.00元 GS-650205001-2022-00001-1") == []
