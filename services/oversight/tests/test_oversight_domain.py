import datetime as dt
from fractions import Fraction

import pytest

from jiuzhu_oversight.domain.audit_chain import GENESIS, Entry, chain_hash, verify
from jiuzhu_oversight.domain.clocks import (
    ANY,
    CLOCKS,
    CLOSERS,
    INELIGIBLE_REVIEW_CLOCK,
    OPENERS,
    breached,
    closes,
    responsible,
)
from jiuzhu_oversight.domain.sampling import Filing, draw, sample_size


@pytest.mark.parametrize("n, size", [(0, 0), (1, 1), (3, 1), (4, 2), (10, 3), (11, 4), (20, 6), (21, 7)])
def test_at_least_30_percent_rounded_up(n, size):
    assert sample_size(n, Fraction(3, 10)) == size
    assert sample_size(n, 0.3) == size  # a float share from configuration is read exactly


def test_forced_inclusions_are_always_drawn_and_count_towards_the_share():
    filings = [Filing(f"c{i:02d}") for i in range(10)] + [Filing("kin", close_relative=True),
                                                           Filing("obj", objections=2), Filing("rep", reported=True)]
    drawn = draw(filings, 0.3, seed="650205001:2022-03:s1")
    reasons = {d.case_id: d.because for d in drawn}
    assert {reasons["kin"], reasons["obj"], reasons["rep"]} == {"close_relative", "objection", "report"}
    assert len(drawn) == sample_size(13, 0.3) == 4
    assert sum(d.because == "random" for d in drawn) == 1


def test_more_forced_cases_than_the_share_are_all_drawn():
    filings = [Filing(f"k{i}", close_relative=True) for i in range(5)] + [Filing(f"c{i}") for i in range(5)]
    drawn = draw(filings, 0.3, seed="s")
    assert len(drawn) == 5 and all(d.because == "close_relative" for d in drawn)


def test_the_recorded_seed_redraws_the_same_sample_whatever_the_order():
    filings = [Filing(f"c{i:03d}") for i in range(100)]
    first = draw(filings, 0.3, seed="650205001:2022-03:abc")
    again = draw(list(reversed(filings)), 0.3, seed="650205001:2022-03:abc")
    other = draw(filings, 0.3, seed="650205001:2022-03:abd")
    assert first == again and len(first) == 30
    assert first != other


def test_clocks_open_close_and_breach():
    investigation = OPENERS["application_accepted"]
    assert investigation.name == "investigation"
    assert not closes(investigation.closed_by, {"home_visit_recorded"})
    assert closes(investigation.closed_by, {"home_visit_recorded", "household_recorded"})
    assert not breached(dt.date(2022, 3, 15), dt.date(2022, 3, 15))  # the due day is still on time
    assert breached(dt.date(2022, 3, 15), dt.date(2022, 3, 16))
    assert responsible("reviewer", "650205001") == ("reviewer@650205001",)
    assert responsible("leader", "650205001", ("lead-1",)) == ("lead-1",)
    assert {c.name for c in CLOCKS} == {"investigation", "review", "reinvestigation", "decision", "refusal_notice"}
    # Only these events can satisfy a clock, so only for these are a case's open clocks looked at.
    assert CLOSERS == {"home_visit_recorded", "household_recorded", "review_signed", "reinvestigation_completed",
                       "case_approved", "case_refused", "refusal_notice_issued",
                       "re_review_completed",  # the standing caseload's re-review (issue 15)
                       "discovery_followed_up",  # an active-discovery report's follow-up (issue 16)
                       "publicity_closed"}  # 先行救助's means check and publicity completed afterwards (issue 16)
    assert OPENERS["re_review_opened"].name == "re_review" and "re_review" not in {c.name for c in CLOCKS}
    assert OPENERS["household_in_difficulty_reported"].name == "discovery_follow_up"
    assert "discovery_follow_up" not in {c.name for c in CLOCKS}  # not one of the application's stages


@pytest.mark.parametrize("spec", [OPENERS["publicity_closed"], INELIGIBLE_REVIEW_CLOCK])
def test_a_decision_clock_is_closed_by_either_outcome(spec):
    assert spec.closes_when == ANY
    assert closes(spec.closed_by, {"case_approved"}, spec.closes_when)
    assert closes(spec.closed_by, {"case_refused"}, spec.closes_when)
    assert not closes(spec.closed_by, {"publicity_closed"}, spec.closes_when)


def test_only_the_decision_clocks_have_alternative_closers():
    """Every other clock waits for one event, or (investigation) for both of its duties."""
    assert {s.name for s in (*CLOCKS, INELIGIBLE_REVIEW_CLOCK) if s.closes_when == ANY} == {"decision"}
    assert all(len(s.closed_by) == 1 for s in CLOCKS if s.name not in ("decision", "investigation"))


def test_audit_chain_detects_alteration_and_reordering():
    bodies = [{"event_id": str(i), "payload": {"n": i}} for i in range(4)]
    entries, prev = [], GENESIS
    for i, body in enumerate(bodies, start=1):
        h = chain_hash(prev, body)
        entries.append(Entry(i, body, prev, h))
        prev = h
    assert verify(entries) == (True, None, "4 entries intact")
    altered = list(entries)
    altered[1] = Entry(2, {"event_id": "1", "payload": {"n": 999}}, entries[1].prev_hash, entries[1].hash)
    assert verify(altered)[:2] == (False, 2)
    swapped = [entries[0], entries[2], entries[1], entries[3]]
    assert verify(swapped)[:2] == (False, 3)  # entry 3 now stands where entry 2 should
    assert verify(entries[:2] + entries[3:])[:2] == (False, 4)  # a removed entry
