"""``./jz up``: the whole district on this machine, kept running until Ctrl-C or SIGTERM.

Prints each service as it becomes healthy, then one table of URLs; restarts a service that exits
(with back-off, and says so); stops everything on SIGINT and SIGTERM, also when run in the
background (where a shell leaves SIGINT ignored). Service logs — requests, committed events,
warnings — are in ``.jiuzhu/logs/<service>.log`` (``JZ_LOG_FORMAT=json`` for JSON lines).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import time
import warnings
from pathlib import Path

# Service settings an operator may give ``./jz up`` (the rest are set per instance by the stack).
PASSED_THROUGH = ("JZ_OTEL_EXPORTER", "JZ_OTEL_ENDPOINT", "JZ_LOG_LEVEL", "JZ_LOG_FORMAT", "JZ_HOLIDAY_FILE",
                  "JZ_MAX_DELIVER")


RUNNING = "running.json"  # where ./jz demo and ./jz clock find the running district


def running_district(state: Path) -> dict:
    """What ``./jz up`` recorded about the district it runs (NATS URL, prefix, ports, clock, config);
    empty when none runs."""
    try:
        return json.loads((state / RUNNING).read_text())
    except (OSError, ValueError):
        return {}


class Stop(Exception):
    """SIGINT or SIGTERM."""


def _stop(signum, frame):
    raise Stop(signal.Signals(signum).name)


def run(args, state: Path, creds) -> int:
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")  # platformdirs, via pgserver: noise
    from jiuzhu_devstack.embedded_nats import EmbeddedNats, EmbeddedNatsCluster
    from jiuzhu_devstack.embedded_postgres import EmbeddedPostgres
    from jiuzhu_devstack.stack import Stack
    from jiuzhu_devstack.supervisor import Supervisor

    # Explicit handlers: a shell starts a background job with SIGINT ignored, so Ctrl-C's signal sent
    # with `kill -INT` would otherwise do nothing.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    log_dir = state / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    supervisor_log = open(log_dir / "supervisor.log", "a", encoding="utf-8")

    def say(line: str) -> None:
        print(line, flush=True)
        supervisor_log.write(f"{dt.datetime.now().isoformat(timespec='seconds')} {line}\n")
        supervisor_log.flush()

    embedded: list = []
    stack = None
    running = state / RUNNING
    nats_url, database_url = os.environ.get("NATS_URL"), os.environ.get("DATABASE_URL")
    cluster_size = getattr(args, "nats_cluster", 1) or 1
    try:
        say(f"credentials               {creds.root}  (trust file, NATS users, keys; secrets 0600)")
        replicas = 1
        if not nats_url and cluster_size > 1:
            say(f"embedded NATS JetStream cluster of {cluster_size} servers starting …")
            nats = EmbeddedNatsCluster(state / "nats-cluster", size=cluster_size, auth_file=creds.nats_auth_file,
                                       ports=[4222 + i for i in range(cluster_size)]).start()
            embedded.append(nats)
            nats_url, replicas = nats.url, 3
            say(f"embedded NATS JetStream cluster ({cluster_size} servers, streams with {replicas} replicas; "
                f"NKey users only; routes authenticated)")
            for i, node in enumerate(nats.nodes):
                say(f"  {nats.server_name(i):<22} {node.url}  route 127.0.0.1:{nats.route_ports[i]}  monitoring "
                    f"http://127.0.0.1:{nats.monitor_ports[i]}  (data in {node.data_dir})")
        elif not nats_url:
            nats = EmbeddedNats(state / "nats", port=4222, auth_file=creds.nats_auth_file).start()
            embedded.append(nats)
            nats_url = nats.url
            say(f"embedded NATS JetStream   {nats_url}  (data in {nats.data_dir}; NKey users only)")
        elif cluster_size > 1:  # the operator's own cluster: every server's URL, comma-separated
            replicas = 3
        if not database_url:
            say("embedded PostgreSQL       starting …")
            pg = EmbeddedPostgres(state / "postgres", port=5432).start()
            embedded.append(pg)
            database_url = pg.url
            say(f"embedded PostgreSQL       postgresql://postgres@127.0.0.1:{pg.port}  (password in "
                f"{pg.password_file}; data in {pg.data_dir})")
        stack = Stack(args.config, nats_url=nats_url, database_url=database_url, credentials=creds,
                      log_dir=log_dir, port_base=args.port_base, clock=args.clock, nats_replicas=replicas,
                      extra_env={k: os.environ[k] for k in PASSED_THROUGH if k in os.environ})
        say(f"starting {len(stack.instances)} services for {stack.config.district.name} "
            f"({stack.config.district.code}), business clock: {args.clock}; logs in {log_dir}")
        started = time.monotonic()
        stack.start(on_healthy=lambda inst, s: say(f"  healthy after {s:5.1f} s   {inst.name}"))
        say(f"all {len(stack.instances)} services healthy in {time.monotonic() - started:.0f} s\n")
        running.write_text(json.dumps({"nats_url": nats_url, "port_base": args.port_base, "clock": args.clock,
                                       "prefix": stack.bus_prefix, "config": str(Path(args.config).resolve()),
                                       "pid": os.getpid()}, indent=2))
        print(table(stack), flush=True)
        if args.check:
            return 0
        supervisor = Supervisor(stack, say)
        while True:
            time.sleep(1.0)
            supervisor.check()
    except (Stop, KeyboardInterrupt) as why:
        say(f"\n{why or 'interrupted'}: stopping …")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown short
        running.unlink(missing_ok=True)
        if stack is not None:
            stack.stop()
        for server in reversed(embedded):
            server.stop()
        say("stopped.")
        supervisor_log.close()
    return 0


def table(stack) -> str:
    lines = [f"{'service':<28}{'HTTP API':<26}{'API docs':<34}where"]
    for inst in stack.instances:
        where = stack.config.jurisdiction(inst.jurisdiction).name if inst.jurisdiction else "district"
        lines.append(f"{inst.name:<28}{inst.url:<26}{inst.url + '/docs':<34}{where}")
    if stack.console:
        lines.append(f"{'console':<28}{stack.console.url:<26}{'':<34}staff console (工作台)")
    publicity = [i for i in stack.instances if i.service == "publicity"]
    if publicity:
        lines.append(f"\npublic pages (no login): {publicity[0].url}/public")
    if stack.console:
        lines.append(f"staff console (工作台): {stack.console.url}/   (development sign-in: pick a person "
                     "from the staff directory)")
    lines.append("tokens: ./jz token --role clerk --jurisdiction 650205001   (district staff: omit --jurisdiction)")
    lines.append("Ctrl-C stops everything.")
    return "\n".join(lines)
