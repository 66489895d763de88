"""先行救助 (L18 §2(二)2; issue 16 item 1): a temporary emergency decided at once by whoever holds the
authority, with the amount by need and its tranches; refused to anyone else, naming the rule. On
real PostgreSQL and JetStream; the acceptance is played onto the bus as intake publishes it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import Category, TemporaryKind
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import ApplicationAccepted
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_devstack.testing import eventually
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.bootstrap import build
from jiuzhu_decision.domain.assist_first import assist_first
from jiuzhu_decision.domain.decision_case import DecisionCase, Person

from .test_authority_and_decision import CONFIG, D, LEADER, review

TZ = ZoneInfo("Asia/Shanghai")
J, TOWN, CASE = "650205001", "650205100", "650205001-2022-00007"
PERSONS, STANDARD = 2, 90_000  # config/urho.toml 2022 urban dibao (placeholder)


def temporary_case(**kw) -> DecisionCase:
    base = DecisionCase(case_id="t1", category=Category.TEMPORARY, committee="居委会", applicant_name="张三",
                        household_size=PERSONS, accepted_on=D, materials=(), member_id_numbers=(),
                        payment_account="6222", area="urban", temporary_kind="emergency",
                        recused=frozenset({"lead-kin"}))
    from dataclasses import replace

    return replace(base, **kw)


def decide(c: DecisionCase, amount: int = 270_000, tranches=(), reasons=("家中失火",), large=None, who=LEADER):
    return assist_first(c, on=D, signer=who, body="jurisdiction", amount_fen=amount, tranches=tranches,
                        reasons=reasons, large_amount_reason=large, standard_fen=STANDARD, cfg=CONFIG.temporary,
                        follow_up_due=None)


def test_an_emergency_is_decided_at_once_with_its_amount_and_tranches():
    later = D + dt.timedelta(days=31)
    decided = decide(temporary_case(), 300_000, tranches=((200_000, D), (100_000, later)))
    g = decided.grant
    assert decided.status == "decided" and decided.decision.amount_fen == 300_000
    assert [(t.no, t.amount_fen, t.payable_on) for t in g.tranches] == [(1, 200_000, D), (2, 100_000, later)]
    assert g.assist_first and g.follow_up == "complete_afterwards" and not g.large
    # Under 1,000 元 the means check and publicity are not completed afterwards (configured threshold).
    assert decide(temporary_case(), 99_900).grant.follow_up == "skipped"


def test_a_large_amount_is_decided_case_by_case_with_its_reason():
    # 3 months × 900 元 × 2 persons = 5,400 元 is the large-amount line; 6 months (10,800 元) the band's top.
    with pytest.raises(DomainRefusal) as refused:
        decide(temporary_case(), 600_000)
    assert refused.value.field == "large_amount_reason" and "一事一议" in refused.value.rule
    decided = decide(temporary_case(), 600_000, large="重病住院，自付医疗费用高，经集体研究")
    assert decided.grant.large and decided.grant.large_amount_reason.startswith("重病")
    with pytest.raises(DomainRefusal) as over:
        decide(temporary_case(), 1_080_001, large="太多")
    assert over.value.field == "amount_fen" and "L18 §2(三)" in over.value.rule


def test_only_a_temporary_emergency_before_its_review_is_helped_first():
    for kw, field in (({"temporary_kind": TemporaryKind.EXPENDITURE.value}, "temporary_kind"),
                      ({"category": Category.DIBAO}, "category")):
        with pytest.raises(DomainRefusal) as refused:
            decide(temporary_case(**kw))
        assert refused.value.field == field and "L18 §2(二)2" in refused.value.rule
    with pytest.raises(DomainRefusal, match="signed review"):
        decide(temporary_case().reviewed(review(), None))
    with pytest.raises(DomainRefusal, match="decided"):
        decide(decide(temporary_case()))


def test_recusal_and_separation_of_duties_hold_for_the_decision_at_once():
    with pytest.raises(DomainRefusal) as recused:
        decide(temporary_case(), who=Person("lead-kin", "亲"))
    assert recused.value.status == 403 and "D21 art. 11" in recused.value.rule
    with pytest.raises(DomainRefusal) as investigated:
        decide(temporary_case(investigated_by=frozenset({"lead-1"})))
    assert investigated.value.status == 403 and "谁调查、谁签字、谁负责" in investigated.value.rule


# --- the service -----------------------------------------------------------------------------------

@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "decision", J, today=dt.datetime(2022, 3, 1, 9, tzinfo=TZ)) as running:
        accepted = next(e for e in EXAMPLES if isinstance(e, ApplicationAccepted)).model_copy(update={
            "close_relative": None, "category": Category.TEMPORARY, "temporary_kind": TemporaryKind.EMERGENCY})
        await running.publish(Envelope.wrap(accepted, district="650205", jurisdiction=J,
                                            actor=Actor(id="clerk-1", role="clerk", name="刘窗口"),
                                            occurred_at=running.kit.clock.now(), case_id=CASE))

        async def here():
            r = await running.client.get(f"/cases/{CASE}", headers=running.token("leader"))
            return r.json() if r.status_code == 200 else None
        await eventually(here)
        yield running


async def test_the_leader_decides_at_once_and_the_approval_carries_tranches_and_follow_up(svc):
    url = f"/cases/{CASE}/assist-first"
    body = {"amount_fen": 300_000, "reasons": ["家中失火，衣食无着"],
            "tranches": [{"amount_fen": 200_000, "payable_on": "2022-03-01"},
                         {"amount_fen": 100_000, "payable_on": "2022-04-01"}]}
    # The wrong role, another jurisdiction, the district bureau after devolution: refused, the rule named.
    clerk = await svc.client.post(url, json=body, headers=svc.token("clerk"))
    assert clerk.status_code == 403
    other = await svc.client.post(url, json=body, headers=svc.token("leader", jurisdiction=TOWN))
    assert other.status_code == 403
    bureau = await svc.client.post(url, json=body, headers=svc.token("bureau_admin", jurisdiction="650205"))
    assert bureau.status_code == 403 and "SPEC §3" in bureau.json()["rule"]
    bad = await svc.client.post(url, json={**body, "tranches": body["tranches"][:1]},
                                headers=svc.token("leader", who="lead-1", name="孙主任"))
    assert bad.status_code == 422 and bad.json()["field"] == "tranches" and "L18 §2(四)" in bad.json()["rule"]

    ok = await svc.client.post(url, json=body, headers=svc.token("leader", who="lead-1", name="孙主任"))
    assert ok.status_code == 200, ok.text
    out = ok.json()
    assert out["decided_on"] == "2022-03-01" and out["follow_up"] == "complete_afterwards"
    assert out["follow_up_due"]["clock"] == "assist_follow_up" and out["follow_up_due"]["working_days"] == 22
    [approved] = await svc.published("case_approved")
    p = approved.payload
    assert p.assist_first and p.temporary_kind == "emergency" and p.amount_fen == 300_000
    assert [(t.no, t.amount_fen, str(t.payable_on)) for t in p.tranches] == [(1, 200_000, "2022-03-01"),
                                                                             (2, 100_000, "2022-04-01")]
    [filed] = await svc.published("case_filed")
    assert filed.payload.assist_first and filed.payload.reviewed_on is None
    again = await svc.client.post(url, json=body, headers=svc.token("leader", who="lead-1", name="孙主任"))
    assert again.status_code == 409
    # The ordinary decision is not open on it either (it is decided).
    ordinary = await svc.client.post(f"/cases/{CASE}/decision", json={"approve": True},
                                     headers=svc.token("leader", who="lead-1", name="孙主任"))
    assert ordinary.status_code == 409
