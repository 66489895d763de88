"""存量对象导入: the rows of the file checked one by one (domain, no I/O) and the file read from
CSV or XLSX (adapter, in memory)."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from jiuzhu_contracts.base import ApprovingBody, Area, Category
from jiuzhu_contracts.resident_id import check_character
from jiuzhu_devstack.testing import URHO_CONFIG
from jiuzhu_kernel.district_config import load_district_config

from jiuzhu_decision.adapters import import_files
from jiuzhu_decision.adapters.import_files import FileRefused, read_table
from jiuzhu_decision.domain.recipient_rows import (COLUMNS, RecipientRow, case_id_for, check_rows, column_index,
                                                   header_problems)

CONFIG = load_district_config(URHO_CONFIG)
J, TODAY = "650205001", dt.date(2022, 3, 1)


def rid(born: str, seq: int) -> str:
    first17 = f"650205{born}{seq:03d}"
    return first17 + check_character(first17)


HEAD, CHILD = rid("19800101", 1), rid("20100101", 2)
WRONG_CHECK = CHILD[:-1] + ("1" if CHILD[-1] != "1" else "2")


def good(**changes) -> dict:
    row = {"head_name": "张三", "head_id": HEAD, "category": "低保", "area": "城市", "committee": "柳树街社区居民委员会",
           "address": "柳树街1号", "members": f"张三:{HEAD}:本人;张小三:{CHILD}:子女", "amount": "1300.00",
           "income": "500", "approved_on": "2020-06-15", "first_month": "2022-04", "account": "6222000000000000"}
    return {**row, **changes}


def check(*rows: dict):
    return check_rows(list(enumerate(rows, start=2)), config=CONFIG, jurisdiction=J, today=TODAY)


def rules(**changes) -> dict[str, str]:
    """The problems of one row changed by ``changes``: column header → rule."""
    result = check(good(**changes))
    assert not result.households
    return {p["field"]: p["rule"] for p in result.problems}


def test_a_good_row_is_a_household_with_its_amount_members_and_the_old_approving_body():
    result = check(good())
    assert result.problems == ()
    h = result.households[0]
    assert isinstance(h, RecipientRow) and h.row == 2
    assert (h.category, h.area, h.amount_fen, h.monthly_income_fen) == (Category.DIBAO, Area.URBAN, 130000, 50000)
    assert [(m.name, m.relation) for m in h.members] == [("张三", "self"), ("张小三", "child")]
    assert h.member_id_numbers == (HEAD, CHILD) and h.first_month_paid == "2022-04"
    # Approved in 2020, before the devolution of 2022-02-01: the district bureau approved it.
    assert h.approving_body is ApprovingBody.DISTRICT_BUREAU
    assert check(good(approved_on="2022-02-15")).households[0].approving_body is ApprovingBody.JURISDICTION


def test_english_codes_full_width_text_and_spreadsheet_types_are_read():
    full_width_id = HEAD.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    result = check(good(category="tekun", area="rural", head_id=full_width_id, amount=1300.5, income=Decimal("0"),
                        approved_on=dt.datetime(2020, 6, 15), first_month=dt.datetime(2022, 4, 1),
                        members=f"张三：{HEAD}：户主；张小三：{CHILD}：女儿", account="6222 0000 0000 0000"))
    assert result.problems == ()
    h = result.households[0]
    assert (h.category, h.area, h.head_id, h.amount_fen, h.first_month_paid, h.payment_account) == \
        (Category.TEKUN, Area.RURAL, HEAD, 130050, "2022-04", "6222000000000000")
    assert check(good(approved_on="2020年6月15日", first_month="2022/4")).problems == ()


@pytest.mark.parametrize("changes, column, words", [
    ({"head_id": HEAD[:-1] + ("0" if HEAD[-1] != "0" else "1")}, "户主身份证号", "GB 11643"),
    ({"head_id": 650205198001010017}, "户主身份证号", "as text"),
    ({"category": "临时救助"}, "类别", "not a standing support"),
    ({"category": "五保"}, "类别", "must be one of"),
    ({"area": "郊区"}, "城乡", "must be one of"),
    ({"committee": "哈克村村民委员会"}, "居（村）委会", "must be one of"),  # another jurisdiction's
    ({"address": ""}, "地址", "required"),
    ({"amount": "1300.005"}, "月保障金额(元)", "2 decimals"),
    ({"amount": "0"}, "月保障金额(元)", "more than 0"),
    ({"amount": "-5"}, "月保障金额(元)", "not negative"),
    ({"amount": "200000"}, "月保障金额(元)", "amount_per_month_fen"),
    ({"amount": "1e400"}, "月保障金额(元)", "far too large"),
    ({"income": "两千"}, "家庭月收入(元)", "amount in yuan"),
    ({"income": "2000000"}, "家庭月收入(元)", "household_monthly_income_fen"),
    ({"approved_on": "2022-03-02"}, "原批准日期", "after the business day"),
    ({"approved_on": "2021-02-30"}, "原批准日期", "real date"),
    ({"approved_on": "1999-12-31"}, "原批准日期", "no approving body"),
    ({"first_month": "2022-13"}, "本系统起发月份", "YYYY-MM"),
    ({"first_month": "2019-12"}, "本系统起发月份", "months_back"),
    ({"first_month": "2023-04"}, "本系统起发月份", "months_ahead"),
    ({"approved_on": "2021-06-01", "first_month": "2021-05"}, "本系统起发月份", "old approval"),
    ({"account": "62220000"}, "收款账号", "12 to 30 digits"),
    ({"members": f"张小三:{CHILD}:子女"}, "家庭成员", "include the head"),
    ({"members": f"张三:{HEAD}:配偶"}, "家庭成员", "must be self"),
    ({"members": f"张四:{HEAD}:本人"}, "家庭成员", "differs"),
    ({"members": f"张三:{HEAD}:本人;张小三:{CHILD}:本人"}, "家庭成员", "only the head"),
    ({"members": f"张三:{HEAD}:本人;张小三:{CHILD}:表亲"}, "家庭成员", "relation"),
    ({"members": f"张三:{HEAD}:本人;张小三:{HEAD}:子女"}, "家庭成员", "twice"),
    ({"members": f"张三:{HEAD}:本人;张小三:{WRONG_CHECK}:子女"}, "家庭成员", "member 2 ID number"),
    ({"members": f"张三:{HEAD}:本人;张小三:{rid('18800101', 3)}:子女"}, "家庭成员", "oldest_age_years"),
    ({"head_name": "=HYPERLINK(\"http://x\")"}, "户主姓名", "formula"),
    ({"address": "@SUM(A1)"}, "地址", "formula"),
])
def test_each_rule_names_its_column(changes, column, words):
    found = rules(**changes)
    assert column in found and words in found[column], found
    assert " / " in found[column]  # Chinese, then English


def test_every_problem_of_a_row_is_reported_not_only_the_first():
    found = rules(head_id="", category="临时救助", amount="x", first_month="soon", account="1")
    assert set(found) == {"户主身份证号", "类别", "月保障金额(元)", "本系统起发月份", "收款账号"}


def test_one_person_in_two_rows_names_both_rows_and_good_rows_stay_good():
    other = rid("19700101", 5)
    result = check(good(), good(head_name="李四", head_id=other, members=f"李四:{other}:本人;张小三:{CHILD}:子女"),
                   good(head_name="王五", head_id=rid("19600101", 7), members=f"王五:{rid('19600101', 7)}:本人"))
    bad = {p["row"]: p["rule"] for p in result.problems}
    assert set(bad) == {2, 3} and "row(s) 3" in bad[2] and "row(s) 2" in bad[3]
    assert "*" in bad[2] and CHILD not in bad[2]  # the ID number is masked in the report
    assert [h.row for h in result.households] == [4]


def test_the_case_id_is_the_same_for_the_same_head_and_differs_by_jurisdiction():
    assert case_id_for(J, HEAD) == case_id_for(J, HEAD) != case_id_for("650205100", HEAD)
    assert case_id_for(J, HEAD).startswith(f"{J}-CL-") and len(case_id_for(J, HEAD)) <= 40


def test_headers_every_documented_column_once_others_ignored():
    headers = ["序号", *[c.header for c in COLUMNS], "备注"]
    assert header_problems(headers) == []
    assert column_index(headers)["head_name"] == 1
    # Half-width brackets match the template's full-width ones (NFKC).
    assert header_problems([h.replace("（", "(").replace("）", ")") for h in headers]) == []
    missing = header_problems([c.header for c in COLUMNS if c.key != "account"] + ["户主姓名"])
    assert {(p["row"], p["field"]) for p in missing} == {(1, "收款账号"), (1, "户主姓名")}


# --- the adapter: files in memory ---------------------------------------------------------------

def csv_bytes(rows: list[list[str]], bom: bool = True) -> bytes:
    import csv

    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def test_csv_with_or_without_bom_and_blank_lines_keeps_spreadsheet_row_numbers():
    headers = [c.header for c in COLUMNS]
    for bom in (True, False):
        table = read_table("x.csv", csv_bytes([headers, ["a"] * len(headers), [], ["b"] * len(headers)], bom=bom))
        assert table.headers == tuple(headers)
        assert [n for n, _ in table.rows] == [2, 4]


def test_xlsx_cells_arrive_as_typed_and_formulas_are_marked():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in COLUMNS])
    sheet.append(["张三", 650205198001010017, "低保", None, None, None, None, 1300.5, "=A1*2",
                  dt.datetime(2020, 6, 15), dt.datetime(2022, 4, 1), "6222000000000000"])
    out = io.BytesIO()
    book.save(out)
    table = read_table("x.xlsx", out.getvalue())
    (number, cells), = table.rows
    # An 18-digit number typed into a cell comes back as a number (and has lost its last digits).
    assert number == 2 and isinstance(cells[1], (int, float)) and cells[7] == 1300.5 and cells[8] == "=A1*2"
    assert cells[9] == dt.datetime(2020, 6, 15)


def test_the_templates_hold_the_documented_headers():
    assert read_table("t.csv", import_files.template_csv()).headers == tuple(c.header for c in COLUMNS)
    assert read_table("t.xlsx", import_files.template_xlsx()).headers == tuple(c.header for c in COLUMNS)
    assert read_table("t.xlsx", import_files.template_xlsx()).rows == ()  # no example row to import by mistake


@pytest.mark.parametrize("name, data, status, words", [
    ("x.csv", b"", 422, "empty"),
    ("x.csv", b"\xef\xbb\xbf\r\n", 422, "empty"),
    ("x.csv", "户主姓名,类别\n".encode("gbk"), 422, "GBK"),
    ("x.csv", b"\xff\xfe\x00\x01binary\x00", 422, "UTF-8"),
    ("x.csv", b"a,b\n\x00,c\n", 422, "NUL"),
    ("x.xls", import_files.OLE2_MAGIC + b"\x00" * 100, 422, ".xls"),
    ("x.xlsx", b"just text", 422, "not an XLSX"),
    ("x.xlsx", b"PK\x03\x04broken", 422, "damaged"),
    ("x.csv", b"a" * (import_files.MAX_BYTES + 1), 413, "limit"),
    ("x.csv", b"h\n" + b"1\n" * (import_files.MAX_ROWS + 1), 422, "more than"),
    ("x.csv", b"\n\nh\n", 422, "row 1"),
])
def test_unreadable_files_are_refused_whole_with_the_reason(name, data, status, words):
    with pytest.raises(FileRefused) as refused:
        read_table(name, data)
    assert refused.value.status == status and words in refused.value.message, refused.value.message


def test_an_xlsx_that_unpacks_to_far_more_than_its_size_is_refused(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_UNZIPPED_BYTES", 10_000)
    with pytest.raises(FileRefused) as refused:
        read_table("t.xlsx", import_files.template_xlsx())
    assert refused.value.status == 413 and "MAX_UNZIPPED_BYTES" in refused.value.rule
