"""The office-duty pages' forms (issue 16): what staff typed → the body oversight's and intake's
APIs take, and the petition register's order (overdue first). The services decide every rule."""

import datetime as dt

from jiuzhu_console.service_layer import discoveries as dv
from jiuzhu_console.service_layer import inspections as ip
from jiuzhu_console.service_layer import petitions as pt


def test_an_answer_says_whether_the_report_was_found_true_and_may_decline_the_re_review():
    assert pt.answer_body({"answer": " 属实 ", "substantiated": "yes"}) == {"answer": "属实", "substantiated": True}
    assert pt.answer_body({"answer": "不属实", "substantiated": "no"})["substantiated"] is False
    assert pt.answer_body({"answer": "已答复", "substantiated": ""})["substantiated"] is None  # an enquiry
    assert pt.answer_body({"answer": "a", "substantiated": "yes", "no_re_review": "on"})["re_review"] is False


def test_a_petition_without_a_case_sends_none():
    body = pt.register_body({"channel": "hotline", "kind": "enquiry", "received_on": "2023-10-09",
                             "summary": "咨询低保", "concerning_case": "  "})
    assert body["concerning_case"] is None and body["petitioner"] == ""


class _Calendar:
    def between(self, start, end):
        return (end - start).days


class _Console:
    def deadline(self, due_on, today):
        from jiuzhu_console.domain.urgency import deadline
        return deadline(due_on, today, _Calendar())


def test_the_register_puts_the_overdue_petitions_first():
    today = dt.date(2023, 11, 1)
    petitions = [{"petition_no": "XF-1", "status": "registered", "due_on": None},
                 {"petition_no": "XF-2", "status": "transferred", "due_on": "2023-11-20"},
                 {"petition_no": "XF-3", "status": "transferred", "due_on": "2023-10-30"},
                 {"petition_no": "XF-4", "status": "answered", "due_on": "2023-10-01"}]
    rows = pt.rows(_Console(), petitions, today)
    assert [r.petition["petition_no"] for r in rows][:2] == ["XF-3", "XF-2"]
    assert [r.overdue for r in rows][:2] == [True, False]
    assert not next(r for r in rows if r.petition["petition_no"] == "XF-4").overdue  # answered, late or not


def test_a_report_and_an_inspection_from_their_forms():
    report = dv.report_body({"committee": "柳树街社区居民委员会", "household.name": "张三", "household.address": "柳树街1号",
                             "household.household_size": "2", "difficulties": ["illness"], "observed": "重病"})
    assert report["household"] == {"name": "张三", "address": "柳树街1号", "contact_phone": None, "household_size": 2}
    assert dv.report_body({"difficulties": "illness"})["difficulties"] == ["illness"]
    inspection = ip.inspection_body({"kind": "regular", "jurisdictions": ["650205001"], "members.0.name": "周督查",
                                     "members.0.body": "civil_affairs", "members.1.name": " ",
                                     "members.2.name": "吴纪检", "members.2.body": "discipline_inspection",
                                     "scope": "检查", "cases_checked": "650205001-2023-00001  650205001-2023-00002",
                                     "files_checked": "12"})
    assert [m["name"] for m in inspection["members"]] == ["周督查", "吴纪检"]
    assert inspection["cases_checked"] == ["650205001-2023-00001", "650205001-2023-00002"]
    assert inspection["files_checked"] == 12
    finding = ip.finding_body({"jurisdiction": "650205001", "kind": "procedure", "severity": "minor", "text": "超时"})
    assert finding["staff"] is None and finding["rectify"] is False
