"""The machine's speed while the benchmark's load runs: the reference loop (``lifecycle.
reference_loop_ms``), once every ``EVERY`` seconds, each time printed in ms of this process's CPU.

Run by ``lifecycle.py`` beside the load, in a process of its own (in the driver's it would wait for
the driver's event loop). On this machine the loop read 53 ms before a run and 84 ms after it, so
the CPU a run's processes spent was divided by a figure that none of its seconds ran at; the load's
own figure is the median of these samples. They run on a loaded machine, so they read slower than
the samples taken before and after on a quiet one (the two cores' shared caches and, with
hyperthreads, their shared execution units): the benchmark prints both figures."""

from __future__ import annotations

import sys
import time

EVERY = 1.0  # seconds between samples: the loop's ~60 ms every second is ~3 % of a two-core machine


def loop_ms() -> float:
    started, total = time.thread_time(), 0
    for i in range(1_000_000):  # the reference loop's own
        total += i * i
    return (time.thread_time() - started) * 1000


def main() -> None:
    every = float(sys.argv[1]) if len(sys.argv) > 1 else EVERY
    while True:
        print(f"{loop_ms():.3f}", flush=True)
        time.sleep(every)


if __name__ == "__main__":
    main()
