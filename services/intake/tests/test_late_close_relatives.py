"""近亲属备案 after acceptance (D21 art. 11, plan 四(二)3): registering a close relative flags every
open and every supported case of the jurisdiction whose household includes that person."""

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES, synthetic_id
from jiuzhu_contracts.events import CaseApproved
from jiuzhu_devstack.testing import eventually

from jiuzhu_intake.bootstrap import build

from .factories import LIUSHUJIE
from .test_intake_service import form

CHILD, APPLICANT = synthetic_id(born="20100515", seq="102"), synthetic_id(seq="101")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "intake", LIUSHUJIE) as running:
        yield running


async def accept(svc, **changes) -> str:
    r = await svc.client.post("/applications", json=form(**changes), headers=svc.token("clerk"))
    assert r.status_code == 201 and r.json()["status"] == "accepted", r.text
    return r.json()["case_id"]


async def case(svc, case_id):
    return (await svc.client.get(f"/cases/{case_id}", headers=svc.token("clerk"))).json()


async def register(svc, staff_id, relative, relation="child"):
    r = await svc.client.post("/close-relatives", headers=svc.token("leader", who="lead-1", name="孙主任"), json={
        "staff_id": staff_id, "staff_name": "某工作人员", "relative_name": "张家人", "relative_id_number": relative,
        "relation": relation})
    assert r.status_code == 201, r.text


async def test_a_relative_registered_later_flags_open_and_supported_cases_only(svc):
    withdrawn = await accept(svc)
    assert (await svc.client.post(f"/cases/{withdrawn}/withdrawal", json={"reason": "找到工作"},
                                  headers=svc.token("clerk"))).status_code == 200
    supported = await accept(svc)
    approved = next(e for e in EXAMPLES if isinstance(e, CaseApproved))
    await svc.publish(Envelope.wrap(approved, district="650205", jurisdiction=LIUSHUJIE,
                                    actor=Actor(id="lead-1", role="leader", name="孙主任"),
                                    occurred_at=svc.kit.clock.now(), case_id=supported))
    await eventually(lambda: _stage(svc, supported, "approved"))
    still_open = await accept(svc, category="low_income")
    other_household = await accept(svc, members=[{"name": "王五", "id_number": synthetic_id(seq="301"),
                                                  "relation": "self"}],
                                   materials=[{"code": c} for c in ("application_form", "id_cards",
                                                                    "household_register", "income_proof")])

    await register(svc, "inv-9", CHILD)
    [registered] = await svc.published("close_relative_registered")
    assert registered.case_id is None and registered.jurisdiction == LIUSHUJIE
    assert (registered.payload.staff_id, registered.payload.relative_id_number) == ("inv-9", CHILD)
    flagged = await svc.published("close_relative_flagged")
    assert sorted(f.case_id for f in flagged) == sorted([supported, still_open])
    assert all(f.causation_id == registered.event_id and f.payload.close_relative.staff_ids == ("inv-9",)
               and f.payload.close_relative.member_id_numbers == (CHILD,) for f in flagged)
    assert [(await case(svc, c))["close_relative"] for c in (supported, still_open, withdrawn, other_household)] \
        == [True, True, False, False]

    async def on_timeline():
        return "close_relative_flagged" in [t["event_type"] for t in (await case(svc, still_open))["timeline"]]
    await eventually(on_timeline)

    # The same staff member's second relative in the household: already recused, nothing new.
    await register(svc, "inv-9", APPLICANT, relation="parent")
    assert len(await svc.published("close_relative_flagged")) == 2
    # Another staff member's relative: flagged again, for that staff member.
    await register(svc, "clerk-8", APPLICANT, relation="sibling")
    later = (await svc.published("close_relative_flagged"))[2:]
    assert sorted(f.case_id for f in later) == sorted([supported, still_open])
    assert {f.payload.close_relative.staff_ids for f in later} == {("clerk-8",)}


async def _stage(svc, case_id, stage):
    return (await case(svc, case_id))["stage"] == stage
