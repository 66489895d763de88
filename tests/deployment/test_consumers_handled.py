"""What the operator provisions is what the services handle: each service's main consumer
(``jiuzhu_contracts.consumers.HANDLED``) takes exactly the event types of the handler map its
composition root gives it — a type missing would stop the service at start, a type too many would
be delivered to it and acknowledged for nothing (issue 14)."""

from jiuzhu_contracts.consumers import HANDLED


def test_each_services_main_consumer_takes_exactly_the_types_its_handlers_handle(kits):
    for service, handled in HANDLED.items():
        kit = kits[service]
        [main] = [c for c in kit.consumers if c.name == kit.name]
        assert sorted(main.handlers) == sorted(handled), service
