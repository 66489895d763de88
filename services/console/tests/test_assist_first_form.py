"""The assist-first form's body (issue 16 item 1): 元 to fen, one reason a line, a second tranche
taken off the first (paid today)."""

import datetime as dt

import pytest

from jiuzhu_console.domain.yuan_input import NotAnAmount
from jiuzhu_console.entrypoints.pages.temporary import assist_first_body

TODAY = dt.date(2024, 9, 2)


def test_one_tranche_by_default():
    assert assist_first_body("2700", "家中失火\n\n衣物被毁 ", "", "", "", TODAY) == {
        "amount_fen": 270000, "reasons": ["家中失火", "衣物被毁"]}


def test_a_second_tranche_and_a_large_amount_reason():
    body = assist_first_body("6000.50", "重病", " 经集体研究 ", "1000", "2024-10-02", TODAY)
    assert body["large_amount_reason"] == "经集体研究"
    assert body["tranches"] == [{"amount_fen": 500050, "payable_on": "2024-09-02"},
                                {"amount_fen": 100000, "payable_on": "2024-10-02"}]


def test_an_amount_that_is_not_one_is_refused():
    with pytest.raises(NotAnAmount):
        assist_first_body("三千", "r", "", "", "", TODAY)
