"""The JetStream API rights of a service instance (``nats_auth``): fetch, ack and read its own
consumers, which the operator provisions; create or change none."""

import pytest

from jiuzhu_contracts.consumers import instance_consumers
from jiuzhu_devstack.nats_auth import instance_permissions

JURISDICTIONS = ["650205001", "650205100"]


def _allowed(service: str, jurisdiction: str | None) -> list[str]:
    name = f"{service}-{jurisdiction}" if jurisdiction else service
    return instance_permissions(name, service, jurisdiction, "650205", "jz", JURISDICTIONS)["publish"]["allow"]


@pytest.mark.parametrize("service, jurisdiction", [("intake", "650205001"), ("verification", "650205100"),
                                                   ("publicity", "650205001"), ("decision", "650205001"),
                                                   ("disbursement", None), ("oversight", None)])
def test_a_service_creates_no_consumer_and_uses_only_its_own(service, jurisdiction):
    allowed = _allowed(service, jurisdiction)
    creates = [s for s in allowed if s.startswith(("$JS.API.CONSUMER.CREATE.JZ_", "$JS.API.CONSUMER.DURABLE."))]
    # only oversight's short-lived stream readers (fixed names and filters, deleted again) are created
    assert all(c.split(".")[5].startswith("oversight-read-") for c in creates), creates
    assert not any(s.startswith("$JS.API.CONSUMER.UPDATE") for s in allowed)
    mine = instance_consumers(service, jurisdiction, "650205", JURISDICTIONS, "jz")
    for c in mine:
        for right in (f"$JS.API.CONSUMER.INFO.{c.stream}.{c.durable}", f"$JS.API.CONSUMER.MSG.NEXT.{c.stream}.{c.durable}",
                      f"$JS.ACK.{c.stream}.{c.durable}.>"):
            assert right in allowed
    fetches = {s.split(".")[-1] for s in allowed if s.startswith("$JS.API.CONSUMER.MSG.NEXT.")}
    assert fetches == {c.durable for c in mine} | ({r for r in fetches if r.startswith("oversight-read-")})


def test_the_main_consumer_takes_the_handled_types_of_its_own_jurisdiction():
    [main, calendar, *cross] = instance_consumers("decision", "650205100", "650205", JURISDICTIONS, "jz")
    assert all(f.startswith("jz.evt.650205.650205100.") for f in main.filter_subjects)
    assert "jz.evt.650205.650205100.home_visit_recorded" in main.filter_subjects
    assert [c.durable for c in cross] == ["decision-650205100-transfers-in", "decision-650205100-transfers-accepted",
                                         "decision-650205100-transfers-refused"]
