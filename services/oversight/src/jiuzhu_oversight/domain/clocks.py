"""Deadline supervision (SPEC §7; plan 六(二)): every event that starts a clock opens it, the event
that satisfies it closes it, a withdrawal cancels a case's clocks, and a clock whose due date has
passed unsatisfied is breached — once.

The table below is the procedure's list of duties with a deadline. A clock is satisfied when every
one of its closing events has been seen (``ALL``: the investigation needs the visit *and* the data
entry), or when any one of them has (``ANY``: a decision is an approval *or* a refusal; waiting
for both would breach every decided case).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace


class ClosesWhen(enum.StrEnum):
    ALL = "all"  # every one of the clock's closing events
    ANY = "any"  # any one of them


class ClockState(enum.StrEnum):
    OPEN = "open"
    MET = "met"  # satisfied: every (or any, ``ClosesWhen``) closing event seen
    CANCELLED = "cancelled"  # the application was withdrawn or deemed withdrawn


ALL, ANY = ClosesWhen.ALL, ClosesWhen.ANY

# Plan 五(三): a review that finds the household not eligible is decided within n working days
# (the district configuration's "decision" deadline).
DECISION_RULE = "乌尔禾区工作方案 五(三): 审核不符合条件的，{n}个工作日内作出决定"


@dataclass(frozen=True)
class ClockSpec:
    name: str
    opened_by: str
    due_field: str  # payload field holding the Due
    closed_by: frozenset[str]
    responsible_role: str  # who must act, when no named person is known yet
    closes_when: ClosesWhen = ALL  # ALL of closed_by, or ANY one of them


CLOCKS: tuple[ClockSpec, ...] = (
    ClockSpec("investigation", "application_accepted", "investigation_due",
              frozenset({"home_visit_recorded", "household_recorded"}), "investigator"),
    ClockSpec("review", "home_visit_recorded", "review_due", frozenset({"review_signed"}), "reviewer"),
    ClockSpec("reinvestigation", "reinvestigation_opened", "due", frozenset({"reinvestigation_completed"}),
              "investigator"),
    ClockSpec("decision", "publicity_closed", "decision_due", frozenset({"case_approved", "case_refused"}), "leader",
              ANY),
    ClockSpec("refusal_notice", "case_refused", "refusal_notice_due", frozenset({"refusal_notice_issued"}), "leader"),
)

# The standing caseload's duties (issue 15), apart from the application's procedure above (whose
# clocks are the monthly statistics' stages): a re-review opened — by its schedule or by staff — is
# completed by the due date it carries (定期核查, D21 art. 31; the district configuration's
# ``re_review`` working days, or N22 §1.3's three months after a death).
RE_REVIEW_CLOCK = ClockSpec("re_review", "re_review_opened", "due", frozenset({"re_review_completed"}),
                            "investigator")
STANDING_CLOCKS: tuple[ClockSpec, ...] = (RE_REVIEW_CLOCK,)

# The office's other duties (issue 16), apart from the application's procedure too: a committee's
# active-discovery report (主动发现, plan 四(三)2) is followed up by the jurisdiction — an application
# on the household's behalf, or the report closed with a reason — by the due date it carries (the
# district configuration's ``discovery_follow_up`` working days). Its "case" is the report number.
DISCOVERY_CLOCK = ClockSpec("discovery_follow_up", "household_in_difficulty_reported", "follow_up_due",
                            frozenset({"discovery_followed_up"}), "clerk")
OFFICE_CLOCKS: tuple[ClockSpec, ...] = (DISCOVERY_CLOCK,)

# 先行救助 (L18 §2(二)2; issue 16 item 1): an assist-first decision's means check and publicity are
# completed afterwards, by the due date the approval carries (``[deadlines] assist_follow_up``); the
# window's close meets it. Owed by the leader who decided. Opened only when the approval carries
# the date (``follow_up_due``): an ordinary approval, or a small one whose follow-up is skipped, has none.
ASSIST_FOLLOW_UP_CLOCK = ClockSpec("assist_follow_up", "case_approved", "follow_up_due",
                                   frozenset({"publicity_closed"}), "leader")
TEMPORARY_CLOCKS: tuple[ClockSpec, ...] = (ASSIST_FOLLOW_UP_CLOCK,)

OPENERS = {spec.opened_by: spec for spec in (*CLOCKS, *STANDING_CLOCKS, *OFFICE_CLOCKS, *TEMPORARY_CLOCKS)}
CANCELLERS = frozenset({"application_withdrawn", "application_deemed_withdrawn"})
# A decision clock can also start from an ineligible review (the decision service keeps its own);
# oversight opens it from the review with the configured 3 working days.
INELIGIBLE_REVIEW_CLOCK = ClockSpec("decision", "review_signed", "", frozenset({"case_approved", "case_refused"}),
                                    "leader", ANY)

# Every event some clock waits for. Another event cannot satisfy an open clock, so oversight does
# not look at the case's open clocks for it. (Open clocks store their closing events; they come
# from the specifications above, so a change there must keep the events of clocks already open.)
CLOSERS = frozenset().union(*(spec.closed_by for spec in (*CLOCKS, INELIGIBLE_REVIEW_CLOCK, *STANDING_CLOCKS,
                                                          *OFFICE_CLOCKS, *TEMPORARY_CLOCKS)))


def closes(spec_closed_by: frozenset[str], seen: set[str], closes_when: str = ALL) -> bool:
    if closes_when == ANY:
        return bool(spec_closed_by & seen)
    return spec_closed_by <= seen


def after_seeing(event_type: str, closed_by: frozenset[str], seen: set[str], closes_when: str = ALL
                 ) -> tuple[list[str], ClockState]:
    """An open clock that waits for ``event_type``: the closing events seen so far (kept sorted) and
    whether it is now met."""
    now_seen = sorted(set(seen) | {event_type})
    return now_seen, ClockState.MET if closes(closed_by, set(now_seen), closes_when) else ClockState.OPEN


def breached(due_on: dt.date, today: dt.date, provisional: bool = False) -> bool:
    """Late once the due day itself has ended — but never against a provisional due date: it was
    counted on a year the calendar did not know (plain Monday–Friday), so the date itself may be
    wrong (New Year's Day and the Spring Festival counted as working days). It is shown as
    provisional and recomputed when the year's holiday file arrives (``recomputed``)."""
    return not provisional and today > due_on


def recomputed(calendar, starts_after: dt.date, working_days: int, due_on: dt.date, provisional: bool):
    """The clock's due date on ``calendar`` (a ``WorkingDayCalendar``), or None when it is unchanged."""
    new = calendar.add(starts_after, working_days)
    return None if (new.due_on, new.provisional) == (due_on, provisional) else new


def responsible(role: str, jurisdiction: str, people: tuple[str, ...] = ()) -> tuple[str, ...]:
    return people or (f"{role}@{jurisdiction}",)


# --- one case's clocks: the aggregate oversight loads, changes and saves (the case store) -----------

@dataclass(frozen=True)
class Clock:
    """One duty with a deadline, from the event that opened it until it is met or cancelled; its
    breach, once raised, stays raised (a late meeting does not undo it)."""

    clock: str
    opened_by_event: str
    due_on: dt.date
    closed_by: tuple[str, ...]
    responsible: tuple[str, ...]
    closes_when: ClosesWhen = ALL
    provisional: bool = False
    # The period, so the deadline can be computed again when the calendar changes (None: not known).
    starts_after: dt.date | None = None
    working_days: int | None = None
    rule: str | None = None
    seen: tuple[str, ...] = ()
    state: ClockState = ClockState.OPEN
    met_on: dt.date | None = None  # met, or cancelled, on
    breached_on: dt.date | None = None

    @property
    def open(self) -> bool:
        return self.state is ClockState.OPEN

    @property
    def recomputable(self) -> bool:
        """Open, not breached, its period known: a new calendar may move it."""
        return (self.open and self.breached_on is None and self.starts_after is not None
                and self.working_days is not None)

    def overdue_unraised(self, today: dt.date) -> bool:
        return self.open and self.breached_on is None and breached(self.due_on, today, self.provisional)


@dataclass(frozen=True)
class CaseClocks:
    """Every clock of one case (or of one report, for the office's duties), in the order they were
    opened. Each change returns the next state, dated by the event that causes it."""

    case_id: str
    jurisdiction: str
    clocks: tuple[Clock, ...] = ()

    def ensure_may_act(self, actor_id: str) -> None:
        """Nobody acts on clocks: events and ticks move them."""

    def _each(self, change) -> CaseClocks:
        return replace(self, clocks=tuple(change(c) for c in self.clocks))

    def opened(self, spec: ClockSpec, due, by_event: str, responsible_people: tuple[str, ...],
               met_on: dt.date | None = None) -> CaseClocks:
        """The clock ``spec`` opened by the event ``by_event`` with its ``Due``; once per opening
        event (a redelivered event opens nothing twice). ``met_on``: already met (what closes it was
        seen first)."""
        if any(c.opened_by_event == by_event for c in self.clocks):
            return self
        clock = Clock(clock=spec.name, opened_by_event=by_event, due_on=due.due_on,
                      closed_by=tuple(sorted(spec.closed_by)), responsible=tuple(responsible_people),
                      closes_when=spec.closes_when, provisional=due.provisional, starts_after=due.starts_after,
                      working_days=due.working_days, rule=due.rule)
        if met_on is not None:
            clock = replace(clock, seen=clock.closed_by, state=ClockState.MET, met_on=met_on)
        return replace(self, clocks=(*self.clocks, clock))

    def saw(self, event_type: str, day: dt.date) -> CaseClocks:
        """Every open clock waiting for ``event_type`` sees it; one now satisfied (ALL or ANY of its
        closing events) is met on ``day``."""
        def see(c: Clock) -> Clock:
            if not c.open or event_type not in c.closed_by:
                return c
            seen, state = after_seeing(event_type, frozenset(c.closed_by), set(c.seen), c.closes_when)
            return replace(c, seen=tuple(seen), state=state, met_on=day if state is ClockState.MET else None)
        return self._each(see)

    def met(self, opened_by_event: str, event_type: str, day: dt.date) -> CaseClocks:
        """One clock (a written notice's) met by its own closing event, if still open."""
        return self._each(lambda c: replace(c, seen=(event_type,), state=ClockState.MET, met_on=day)
                          if c.open and c.opened_by_event == opened_by_event else c)

    def cancelled(self, day: dt.date) -> CaseClocks:
        """Withdrawn, or nothing owed any more: every open clock is cancelled on ``day``."""
        return self._each(lambda c: replace(c, state=ClockState.CANCELLED, met_on=day) if c.open else c)

    def breached(self, opened_by_event: str, day: dt.date) -> CaseClocks:
        return self._each(lambda c: replace(c, breached_on=day) if c.opened_by_event == opened_by_event else c)

    def moved(self, opened_by_event: str, due_on: dt.date, provisional: bool) -> CaseClocks:
        """A new calendar moved the clock's due date."""
        return self._each(lambda c: replace(c, due_on=due_on, provisional=provisional)
                          if c.opened_by_event == opened_by_event else c)

    def clock(self, opened_by_event: str) -> Clock | None:
        return next((c for c in self.clocks if c.opened_by_event == opened_by_event), None)

    # What the ticks and listings look across cases by (the store's derived columns).

    def overdue_unraised(self, today: dt.date) -> list[Clock]:
        return [c for c in self.clocks if c.overdue_unraised(today)]

    @property
    def breach_due(self) -> dt.date | None:
        """The earliest due date a breach may be raised against: of an open, unbreached clock
        whose date is not provisional."""
        return min((c.due_on for c in self.clocks if c.open and c.breached_on is None and not c.provisional),
                   default=None)

    @property
    def open_due(self) -> dt.date | None:
        """The earliest due date of an open clock (breached or not: the deadlines listing shows both)."""
        return min((c.due_on for c in self.clocks if c.open), default=None)

    @property
    def provisional_open(self) -> bool:
        """Has a recomputable clock whose due date is provisional (the tick's sweep)."""
        return any(c.recomputable and c.provisional for c in self.clocks)

    @property
    def recomputable(self) -> bool:
        return any(c.recomputable for c in self.clocks)
