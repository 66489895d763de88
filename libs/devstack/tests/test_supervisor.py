"""./jz up restarts a service that exits, with back-off, and says so."""

from dataclasses import dataclass, field
from pathlib import Path

from jiuzhu_devstack.supervisor import Backoff, Supervisor


@dataclass
class FakeProcess:
    returncode: int | None = None

    def poll(self):
        return self.returncode


@dataclass
class FakeInstance:
    name: str
    process: FakeProcess = field(default_factory=FakeProcess)


class FakeStack:
    log_dir = Path("/logs")

    def __init__(self, *names):
        self.instances = [FakeInstance(n) for n in names]
        self.started: list[str] = []

    def exited(self):
        return [i for i in self.instances if i.process.poll() is not None]

    def start_instance(self, inst):
        self.started.append(inst.name)
        inst.process = FakeProcess()


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_crashed_service_is_restarted_after_its_back_off_and_the_operator_is_told():
    stack, clock, said = FakeStack("intake-a", "decision-a"), Clock(), []
    supervisor = Supervisor(stack, said.append, clock=clock)
    supervisor.check()
    assert said == [] and stack.started == []
    stack.instances[0].process.returncode = -9
    supervisor.check()
    assert said == ["intake-a exited with code -9; restarting in 1 s (log: /logs/intake-a.log)"]
    clock.now += 0.5
    supervisor.check()
    assert stack.started == []  # not before its back-off
    clock.now += 0.6
    supervisor.check()
    assert stack.started == ["intake-a"] and said[-1] == "intake-a restarted" and supervisor.restarts == 1


def test_back_off_doubles_while_a_service_keeps_crashing_and_resets_once_it_ran_long_enough():
    backoff = Backoff(first=1, ceiling=8, stable=60)
    backoff.started("x", 0)
    assert [backoff.delay("x", t) for t in (1, 2, 3, 4, 5)] == [1, 2, 4, 8, 8]
    backoff.started("x", 10)
    assert backoff.delay("x", 100) == 1  # it ran 90 s: a fresh start
