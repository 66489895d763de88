"""Oversight's rules as plain functions, no server: the register's stages, a clock seeing its
events, the cross-jurisdiction duplicate, a spot check's faults, the statistics' arithmetic."""

import datetime as dt
from types import SimpleNamespace

import pytest

from jiuzhu_oversight.domain.beneficiaries import Indexed, duplicates, id_hash, residents
from jiuzhu_oversight.domain.clocks import OPENERS, ClockState, after_seeing
from jiuzhu_oversight.domain.rectification import faults, order_findings, order_no, spot_check_document_no
from jiuzhu_oversight.domain.register import CLOSED_STAGES, STAGE, Stage, stage_after
from jiuzhu_oversight.domain.sampling import previous_month
from jiuzhu_oversight.domain.statistics import (
    BREACH_CLOCKS,
    Active,
    DecidedCase,
    EventCount,
    add_active,
    add_counts,
    add_working_days,
    cells,
    empty_rows,
    headers,
)


def test_the_procedure_moves_the_stage():
    stage = Stage.INVESTIGATING
    for event_type, expected in (("home_visit_recorded", Stage.UNDER_REVIEW), ("review_signed", Stage.REVIEWED),
                                 ("publicity_opened", Stage.IN_PUBLICITY), ("objection_raised", Stage.IN_PUBLICITY),
                                 ("publicity_closed", Stage.AWAITING_DECISION), ("case_approved", Stage.APPROVED),
                                 ("support_ended", Stage.ENDED)):
        stage = stage_after(stage, event_type)
        assert stage is expected, event_type


@pytest.mark.parametrize("closed", sorted(CLOSED_STAGES))
def test_a_late_event_never_reopens_a_closed_case(closed):
    for event_type in STAGE:
        if event_type != "support_ended":
            assert stage_after(closed, event_type) is closed
    assert stage_after(closed, "support_ended") is Stage.ENDED  # the end of support follows any stage


def test_a_clock_waiting_for_all_its_events_is_met_by_the_last():
    investigation = OPENERS["application_accepted"]
    seen, state = after_seeing("household_recorded", investigation.closed_by, set(), investigation.closes_when)
    assert (seen, state) == (["household_recorded"], ClockState.OPEN)
    seen, state = after_seeing("home_visit_recorded", investigation.closed_by, set(seen), investigation.closes_when)
    assert (seen, state) == (["home_visit_recorded", "household_recorded"], ClockState.MET)


def test_a_decision_clock_is_met_by_either_outcome():
    decision = OPENERS["publicity_closed"]
    assert after_seeing("case_refused", decision.closed_by, set(), decision.closes_when)[1] is ClockState.MET


def test_the_same_resident_in_another_jurisdiction_is_a_duplicate_once_per_resident():
    a, b, c = residents(["650205199001010011", "650205199001010022", "650205199001010011"])[:2] + [id_hash("x")]
    assert residents(["650205199001010011", "650205199001010011"]) == [a]  # each member once
    elsewhere = [Indexed(a, "J2-1", "J2"), Indexed(a, "J3-1", "J3"), Indexed(b, "J1-9", "J1"),
                 Indexed(c, "J2-2", "J2")]
    found = duplicates("J1-1", "J1", [a, b], elsewhere)
    assert [(d.id_hash, d.cases, d.jurisdictions) for d in found] == [(a, ("J1-1", "J2-1", "J3-1"), ("J1", "J2", "J3"))]


def test_a_spot_check_with_a_fault_names_it_in_the_order():
    ok = SimpleNamespace(target_correct=True, procedure_followed=True, materials_complete=True)
    assert faults(ok) == []
    wrong = SimpleNamespace(target_correct=False, procedure_followed=True, materials_complete=False)
    assert order_findings(faults(wrong), "见附件") == "对象认定不准确；审批材料不齐全。见附件"
    assert order_no("650205", dt.date(2022, 3, 1), 7) == "ZG-650205-2022-00007"
    assert spot_check_document_no("650205", dt.date(2022, 3, 1), 12) == "CC-650205-2022-00012"


def test_the_month_drawn_is_the_one_before():
    assert previous_month(dt.date(2022, 1, 15)) == "2021-12"
    assert previous_month(dt.date(2022, 3, 1)) == "2022-02"


def test_statistics_rows_count_each_column_from_its_own_source():
    rows = empty_rows("2022-03", [("J1", "一"), ("J2", "二")], ["dibao", "tekun"])
    assert len(rows) == 4 and rows[("J2", "tekun")]["jurisdiction_name"] == "二"
    add_counts(rows, [EventCount("J1", "dibao", "application_submitted", events=3, cases=2),
                      EventCount("J1", "dibao", "application_accepted", 2, 2),
                      EventCount("J1", "dibao", "application_withdrawn", 1, 1),
                      EventCount("J1", "dibao", "application_deemed_withdrawn", 1, 1),
                      EventCount("J1", "dibao", "deadline_breached", 2, 1, clock="review"),
                      EventCount("J1", "dibao", "deadline_breached", 1, 1, clock="decision"),
                      EventCount("J9", "dibao", "case_approved", 5, 5)])  # not a jurisdiction of the district
    row = rows[("J1", "dibao")]
    assert (row["applications"], row["acceptances"], row["withdrawals"], row["breaches"]) == (2, 2, 2, 3)
    assert row["breaches_by_clock"] == {**dict.fromkeys(BREACH_CLOCKS, 0), "review": 2, "decision": 1}
    d = dt.date
    add_working_days(rows, [DecidedCase("J1", "dibao", d(2022, 3, 1), d(2022, 3, 3), d(2022, 3, 8), d(2022, 3, 18)),
                            DecidedCase("J1", "dibao", d(2022, 3, 1), d(2022, 3, 4), None, d(2022, 3, 18))],
                     between=lambda a, b: (b - a).days)
    assert (row["avg_working_days_acceptance_to_visit"], row["avg_working_days_visit_to_review"],
            row["avg_working_days_review_to_decision"]) == (2.5, 5, 10)
    add_active(rows, [Active("J2", "tekun", 4, 520000)])
    assert (rows[("J2", "tekun")]["active_households"], rows[("J2", "tekun")]["active_amount_fen"]) == (4, 520000)
    assert len(cells(row)) == len(headers()) and headers()[9:11] == ["超时", "超时·入户调查核实"]


def test_every_event_type_has_its_handler_and_every_stage_event_moves_the_stage():
    from jiuzhu_contracts import EVENT_TYPES

    from jiuzhu_oversight.domain.audit_chain import NOT_CHAINED
    from jiuzhu_oversight.service_layer.handlers import HANDLERS, case_event, case_filed, event_handlers

    assert set(HANDLERS) <= set(EVENT_TYPES)  # no handler for a misspelt type
    assert set(event_handlers(None)) == set(EVENT_TYPES) - NOT_CHAINED == set(EVENT_TYPES) - {"audit_checkpoint_recorded"}
    assert all(HANDLERS.get(t) not in (None, case_event, case_filed) for t in STAGE)
