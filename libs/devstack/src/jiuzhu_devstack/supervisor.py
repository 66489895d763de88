"""``./jz up`` keeps the district running: a service that exits is started again, with back-off,
and the operator is told (on the terminal and in ``.jiuzhu/logs/supervisor.log``)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """1 s, 2 s, 4 s … up to ``ceiling``; back to the start once a run lasted ``stable`` seconds."""

    first: float = 1.0
    ceiling: float = 30.0
    stable: float = 60.0
    _next: dict[str, float] = field(default_factory=dict)
    _started: dict[str, float] = field(default_factory=dict)

    def delay(self, name: str, now: float) -> float:
        ran = now - self._started.get(name, now)
        if ran >= self.stable:
            self._next.pop(name, None)
        delay = self._next.get(name, self.first)
        self._next[name] = min(delay * 2, self.ceiling)
        return delay

    def started(self, name: str, now: float) -> None:
        self._started[name] = now


class Supervisor:
    def __init__(self, stack, say, backoff: Backoff | None = None, clock=time.monotonic):
        self.stack, self.say, self.backoff, self.clock = stack, say, backoff or Backoff(), clock
        self._due: dict[str, float] = {}
        self.restarts = 0
        now = clock()
        for inst in getattr(stack, "processes", stack.instances):
            self.backoff.started(inst.name, now)

    def check(self) -> None:
        """Call every second or so: notices exits, restarts when each one's back-off has passed."""
        now = self.clock()
        for inst in self.stack.exited():
            if inst.name not in self._due:
                delay = self.backoff.delay(inst.name, now)
                self._due[inst.name] = now + delay
                self.say(f"{inst.name} exited with code {inst.process.returncode}; restarting in {delay:.0f} s "
                         f"(log: {self.stack.log_dir / (inst.name + '.log')})")
            elif now >= self._due[inst.name]:
                del self._due[inst.name]
                self.stack.start_instance(inst)
                self.backoff.started(inst.name, now)
                self.restarts += 1
                self.say(f"{inst.name} restarted")
