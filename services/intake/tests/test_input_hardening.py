"""Input hardening at the window (issue 6): ID numbers typed in full width are the same person as
in ASCII; birth dates and declared means are bounded; every refusal is a 422 naming the field, in
Chinese first (the application form is the citizen's)."""

import asyncio
import datetime as dt

import pytest
from sqlalchemy import Date, Text, column, insert, select, table
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import create_async_engine

from jiuzhu_contracts.examples import synthetic_id
from jiuzhu_runtime import migrate
from jiuzhu_runtime.db import to_async_url

from jiuzhu_intake.adapters.tables import cases, close_relatives
from jiuzhu_intake.bootstrap import MIGRATIONS, build

from .factories import LIUSHUJIE
from .test_intake_service import form

# The cases table as revision 0003 had it (it is in the case store's shape since 0007).
CASES_AT_0003 = table("cases", *(column(name, Text) for name in (
    "case_id", "application_id", "category", "area", "committee", "applicant_name", "stage")),
    column("member_ids", ARRAY(Text)), column("accepted_on", Date), column("receipt", JSONB))
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
APPLICANT, CHILD = synthetic_id(seq="101"), synthetic_id(born="20100515", seq="102")


def wide(number: str) -> str:
    """The 17 digits in full width, the check character as typed: the spelling that used to pass the
    check (Python's \\d matches full-width digits) and then compared unequal to the ASCII number."""
    return number[:17].translate(FULL_WIDTH) + number[17]


def wholly_wide(number: str) -> str:
    """Every character in full width, as an IME in full-width mode types it (``Ｘ`` included)."""
    return number.translate(FULL_WIDTH)


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "intake", LIUSHUJIE) as running:
        yield running


def household(applicant: str, child: str = CHILD) -> list[dict]:
    return [{"name": "张三", "id_number": applicant, "relation": "self"},
            {"name": "张小三", "id_number": child, "relation": "child", "in_school": True}]


async def test_full_width_id_is_accepted_and_stored_and_published_normalised(svc):
    members = household(wholly_wide(APPLICANT), wide(CHILD))
    response = await svc.client.post("/applications", json=form(members=members), headers=svc.token("clerk"))
    assert response.status_code == 201, response.text
    async with svc.kit.sessions() as s:
        assert (await s.execute(select(cases.c.member_ids))).scalar_one() == [APPLICANT, CHILD]
    [accepted] = await svc.published("application_accepted")
    assert [m.id_number for m in accepted.payload.members] == [APPLICANT, CHILD]


async def test_one_open_case_rule_sees_the_full_width_spelling_of_the_same_person(svc):
    first = await svc.client.post("/applications", json=form(), headers=svc.token("clerk"))
    assert first.status_code == 201
    again = await svc.client.post("/applications", json=form(members=household(wide(APPLICANT),
                                                                               synthetic_id(seq="103"))),
                                  headers=svc.token("clerk"))
    assert again.status_code == 409 and again.json()["open_case"] == first.json()["case_id"]


async def test_same_person_twice_in_one_household_in_two_spellings_is_refused(svc):
    response = await svc.client.post("/applications", json=form(members=household(APPLICANT, wide(APPLICANT))),
                                     headers=svc.token("clerk"))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "members"


async def test_close_relative_registered_in_full_width_is_found_in_an_ascii_application(svc):
    reg = await svc.client.post("/close-relatives", headers=svc.token("leader"), json={
        "staff_id": "clerk-9", "staff_name": "刘窗口", "relative_name": "张小三", "relative_id_number": wide(CHILD),
        "relation": "grandchild"})
    assert reg.status_code == 201, reg.text
    async with svc.kit.sessions() as s:
        assert (await s.execute(select(close_relatives.c.relative_id_number))).scalar_one() == CHILD
    twice = await svc.client.post("/close-relatives", headers=svc.token("leader"), json={
        "staff_id": "clerk-9", "staff_name": "刘窗口", "relative_name": "张小三", "relative_id_number": CHILD,
        "relation": "grandchild"})
    assert twice.status_code == 409  # the same relative, whichever way it was typed
    body = (await svc.client.post("/applications", json=form(), headers=svc.token("clerk"))).json()
    assert body["close_relative"] is True
    [accepted] = await svc.published("application_accepted")
    assert accepted.payload.close_relative.staff_ids == ("clerk-9",)
    assert accepted.payload.close_relative.member_id_numbers == (CHILD,)


async def test_birth_dates_after_the_business_day_or_absurdly_early_are_refused(svc):
    # The business day is 2022-03-01: born 2023 is in the future there, though not on the wall clock.
    unborn, ancient = synthetic_id(born="20230101", seq="104"), synthetic_id(born="18900101", seq="105")
    response = await svc.client.post("/applications", json=form(members=household(APPLICANT, unborn)),
                                     headers=svc.token("clerk"))
    assert response.status_code == 422
    assert response.json()["field"] == "members.1.id_number" and "晚于业务日期" in response.json()["rule"]
    response = await svc.client.post("/applications", json=form(members=household(ancient)),
                                     headers=svc.token("clerk"))
    assert response.status_code == 422 and response.json()["field"] == "members.0.id_number"
    assert "oldest_age_years" in response.json()["rule"]
    relative = await svc.client.post("/close-relatives", headers=svc.token("leader"), json={
        "staff_id": "clerk-9", "staff_name": "刘窗口", "relative_name": "某", "relative_id_number": unborn,
        "relation": "child"})
    assert relative.status_code == 422 and relative.json()["field"] == "relative_id_number"
    future = await svc.client.post("/applications", json=form(members=household(synthetic_id(born="20990101"))),
                                   headers=svc.token("clerk"))
    assert future.status_code == 422
    assert any(e["field"] == "members.0.id_number" and "晚于今天" in e["rule"] for e in future.json()["errors"])
    assert await svc.published() == []


async def test_declared_means_above_the_limits_are_refused_naming_both_fields(svc):
    response = await svc.client.post("/applications", json=form(declared_monthly_income_fen=10**30,
                                                                declared_assets_fen=10_000_000_001),
                                     headers=svc.token("clerk"))
    assert response.status_code == 422, response.text
    errors = {e["field"]: e["rule"] for e in response.json()["errors"]}
    assert set(errors) == {"declared_monthly_income_fen", "declared_assets_fen"}
    assert "申报家庭月收入" in errors["declared_monthly_income_fen"]
    assert "household_assets_fen" in errors["declared_assets_fen"]
    at_limit = await svc.client.post("/applications", json=form(declared_monthly_income_fen=100_000_000,
                                                                declared_assets_fen=10_000_000_000),
                                     headers=svc.token("clerk"))
    assert at_limit.status_code == 201, at_limit.text


async def test_migration_rewrites_full_width_numbers_stored_before(infrastructure):
    url = infrastructure.database("intake_ids")
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS, "0003")
    engine = create_async_engine(to_async_url(url))
    relative = {"staff_name": "刘", "relative_name": "张", "relation": "child", "registered_by": "l1"}
    async with engine.begin() as conn:
        await conn.execute(insert(CASES_AT_0003).values(
            case_id="C1", application_id="A1", category="dibao", area="urban", committee="c", applicant_name="张三",
            member_ids=[wholly_wide(APPLICANT).replace("Ｘ", "ｘ"), wide(CHILD)], stage="investigating",
            accepted_on=dt.date(2022, 3, 1), receipt={}))
        await conn.execute(insert(close_relatives).values([
            {**relative, "staff_id": "s1", "relative_id_number": wide(CHILD)},
            {**relative, "staff_id": "s2", "relative_id_number": wide(CHILD)},
            {**relative, "staff_id": "s2", "relative_id_number": CHILD}]))
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS)
    async with engine.connect() as conn:
        assert (await conn.execute(select(cases.c.member_ids))).scalar_one() == [APPLICANT, CHILD]
        rows = (await conn.execute(select(close_relatives.c.staff_id, close_relatives.c.relative_id_number)
                                   .order_by(close_relatives.c.staff_id))).all()
    await engine.dispose()
    assert [tuple(r) for r in rows] == [("s1", CHILD), ("s2", CHILD)]


async def test_shape_errors_on_the_citizens_form_say_their_rule_in_chinese(svc):
    bad = form(contact_phone="12345", declared_assets_fen=-1, category="housing", consent_signed="maybe")
    del bad["reason"]
    response = await svc.client.post("/applications", json=bad, headers=svc.token("clerk"))
    assert response.status_code == 422
    rules = {e["field"]: e["rule"] for e in response.json()["errors"]}
    assert rules["contact_phone"].startswith("格式不正确 / ")
    assert rules["declared_assets_fen"].startswith("须大于或等于0 / ")
    assert rules["category"].startswith("须为以下之一：")
    assert rules["consent_signed"].startswith("须为是或否")
    assert rules["reason"].startswith("必填项 / ")
