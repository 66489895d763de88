"""The written rectification order (plan 六(二) 书面限期整改): the district's staff and the addressed
jurisdiction's leader read it; another jurisdiction may not; an unknown order is a 404 in Chinese
(real PostgreSQL and JetStream)."""

import pytest

from jiuzhu_devstack.testing import URHO_CONFIG
from jiuzhu_kernel.district_config import load_district_config

from jiuzhu_oversight.bootstrap import build

J1, J2 = "650205001", "650205100"
ADDRESSEE = load_district_config(URHO_CONFIG).jurisdiction(J2).name


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None) as running:
        yield running


async def test_the_order_is_a_printable_document_for_the_district_and_the_addressee(svc):
    inspector = svc.token("inspector", jurisdiction="650205", who="ins-1", name="周督查")
    made = await svc.client.post("/rectifications", headers=inspector, json={
        "jurisdiction": J2, "kind": "missed_coverage", "findings": "举报电话反映哈克村一户应保未保",
        "concerning_case": f"{J2}-2022-00003"})
    assert made.status_code == 201, made.text
    order_no = made.json()["order_no"]
    [listed] = (await svc.client.get("/rectifications", headers=inspector)).json()

    for headers in (inspector, svc.token("bureau_admin", jurisdiction="650205"),
                    svc.token("auditor", jurisdiction="650205"), svc.token("leader", jurisdiction=J2)):
        doc = await svc.client.get(f"/rectifications/{order_no}/order", headers=headers)
        assert doc.status_code == 200, doc.text
        assert doc.headers["content-type"].startswith("text/html")
        text = doc.text
        assert "限期整改通知书" in text and order_no in text
        assert f"<p>{ADDRESSEE}：</p>" in text  # addressed to the jurisdiction by name
        assert "举报电话反映哈克村一户应保未保" in text and f"{J2}-2022-00003" in text
        assert "应保未保" in text and "六（二）" in text
        assert f"{listed['due']['working_days']}个工作日" in text
        due = listed["due_on"]
        y, m, d = (int(p) for p in due.split("-"))
        assert f"{y}年{m}月{d}日前整改完毕" in text
        assert "民政局（印章）" in text

    other = await svc.client.get(f"/rectifications/{order_no}/order", headers=svc.token("leader", jurisdiction=J1))
    assert other.status_code == 403
    assert (await svc.client.get(f"/rectifications/{order_no}/order",
                                 headers=svc.token("clerk", jurisdiction=J2))).status_code == 403

    missing = await svc.client.get("/rectifications/ZG-650205-2022-09999/order", headers=inspector)
    assert missing.status_code == 404
    assert "没有编号为 ZG-650205-2022-09999 的整改通知书" in missing.json()["detail"]


async def test_an_answered_order_shows_the_answer(svc):
    inspector = svc.token("inspector", jurisdiction="650205")
    order_no = (await svc.client.post("/rectifications", headers=inspector, json={
        "jurisdiction": J1, "kind": "procedure", "findings": "民主评议未通知申请人到场"})).json()["order_no"]
    answered = await svc.client.post(f"/rectifications/{order_no}/answer", json={"answer": "已重新组织评议"},
                                     headers=svc.token("leader", jurisdiction=J1))
    assert answered.status_code == 200, answered.text
    doc = (await svc.client.get(f"/rectifications/{order_no}/order", headers=inspector)).text
    assert "办理程序问题" in doc and "已重新组织评议" in doc
