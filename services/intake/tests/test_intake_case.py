"""The window's case as an aggregate: it follows the other stages' events, refuses a withdrawal
after the decision, takes a late close-relative flag while open (no I/O)."""

import datetime as dt

import pytest

from jiuzhu_contracts.base import Area, Category, Due
from jiuzhu_contracts.examples import synthetic_id
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_intake.domain.case_stage import Stage
from jiuzhu_intake.domain.close_relatives import RegisteredRelative
from jiuzhu_intake.domain.intake_case import IntakeCase, Receipt

D = dt.date(2022, 3, 1)
APPLICANT, CHILD = synthetic_id(seq="101"), synthetic_id(born="20100515", seq="102")


def due(clock: str, day: int) -> Due:
    return Due(clock=clock, due_on=dt.date(2022, 3, day), working_days=10, starts_after=D, rule="r")


def accepted(**changes) -> IntakeCase:
    fields = dict(case_id="C1", application_id="A1", category=Category.DIBAO, area=Area.URBAN, committee="居委会",
                  applicant_name="张三", member_ids=(APPLICANT, CHILD), accepted_on=D,
                  receipt=Receipt("柳树街1号", ("id_cards",), 2), dues={"investigation": due("investigation", 15)})
    return IntakeCase(**(fields | changes))


def test_an_event_moves_the_stage_and_adds_the_due_dates_it_carries():
    visited = accepted().followed("home_visit_recorded", [due("review", 22)])
    assert visited.stage == Stage.UNDER_REVIEW and visited.stage == "under_review"
    assert set(visited.dues) == {"investigation", "review"} and visited.dues["review"].due_on == dt.date(2022, 3, 22)
    again = visited.followed("home_visit_recorded", [due("review", 22)])
    assert again == visited  # a redelivery changes nothing, so nothing is written
    assert visited.followed("application_accepted", []).stage == Stage.UNDER_REVIEW  # our own, relayed late
    closed = accepted(stage=Stage.WITHDRAWN).followed("review_signed", [])
    assert closed.stage == Stage.WITHDRAWN  # a closed case does not reopen


def test_withdrawal_only_until_the_decision():
    assert accepted(stage=Stage.IN_PUBLICITY).withdrawn().stage == Stage.WITHDRAWN
    for stage in (Stage.APPROVED, Stage.WITHDRAWN, Stage.REFUSED):
        with pytest.raises(DomainRefusal) as refused:
            accepted(stage=stage).withdrawn()
        assert refused.value.status == 409 and "until the decision" in refused.value.message


def test_a_late_flag_adds_the_staff_member_unless_already_recused_or_closed():
    relative = RegisteredRelative("inv-9", CHILD, "child")
    case, flag = accepted(close_relative_staff_ids=("clerk-1",)).flagged_late(relative)
    assert case.close_relative_staff_ids == ("clerk-1", "inv-9") and flag.staff_ids == ("inv-9",)
    assert case.flagged_late(relative) is None
    assert accepted(stage=Stage.REFUSED).flagged_late(relative) is None
    assert accepted(stage=Stage.APPROVED).flagged_late(relative) is not None  # supported households too


def test_an_imported_household_is_approved_has_no_receipt_and_is_stored_as_it_was():
    from jiuzhu_intake.adapters.intake_cases import INTAKE_CASES
    from jiuzhu_intake.domain.imported_household import Imported, ImportedFrom, ImportedMember

    members = (ImportedMember("张小三", "child", "650205201005150021"), ImportedMember("张三", "self", "650205198001010011"))
    case = IntakeCase.imported(Imported(
        case_id="650205001-CL-0badcafe", category=Category.DIBAO, area=Area.URBAN, committee="柳树街社区居民委员会",
        address="柳树街9号", approved_on=dt.date(2020, 6, 15),
        source=ImportedFrom(file_name="存量低保.xlsx", file_sha256="ab" * 32, row=7, members=members)))
    assert (case.stage, case.applicant_name, case.application_id, case.member_ids, case.receipt.household_size) == (
        "approved", "张三", f"CL-{'ab' * 6}-7", ("650205201005150021", "650205198001010011"), 2)
    with pytest.raises(DomainRefusal, match="imported from the old system"):
        case.ensure_receipt()
    with pytest.raises(DomainRefusal):
        case.withdrawn()
    assert case.followed("support_changed", ()).stage == "approved"
    assert case.followed("support_ended", ()).stage == "ended"
    assert INTAKE_CASES.load(INTAKE_CASES.dump(case), 2) == case
    stored_before = {k: v for k, v in INTAKE_CASES.dump(case).items() if k != "imported_from"}
    assert INTAKE_CASES.load(stored_before, 1).imported_from is None  # a row stored before issue 15
