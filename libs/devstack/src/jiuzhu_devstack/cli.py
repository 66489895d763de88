"""``jiuzhu`` command (run through ``./jz``): up, token, asyncapi."""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import threading
from pathlib import Path

from jiuzhu_contracts.base import Role

ROOT = Path(__file__).resolve().parents[4]
DEFAULT_CONFIG = ROOT / "config" / "urho.toml"
STATE = ROOT / ".jiuzhu"


def jwt_secret() -> str:
    """JZ_JWT_SECRET, or a development secret kept in .jiuzhu/ so ``./jz token`` matches ``./jz up``."""
    if os.environ.get("JZ_JWT_SECRET"):
        return os.environ["JZ_JWT_SECRET"]
    path = STATE / "jwt-secret"
    if not path.exists():
        STATE.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


# Service settings an operator may give ``./jz up`` (the rest are set per instance by the stack).
PASSED_THROUGH = ("JZ_OTEL_EXPORTER", "JZ_OTEL_ENDPOINT", "JZ_LOG_LEVEL", "JZ_HOLIDAY_FILE", "JZ_MAX_DELIVER")


def up(args: argparse.Namespace) -> int:
    from jiuzhu_devstack.embedded_nats import EmbeddedNats
    from jiuzhu_devstack.embedded_postgres import EmbeddedPostgres
    from jiuzhu_devstack.stack import Stack

    embedded: list = []
    nats_url = os.environ.get("NATS_URL")
    database_url = os.environ.get("DATABASE_URL")
    try:
        if not nats_url:
            nats = EmbeddedNats(STATE / "nats", port=4222).start()
            embedded.append(nats)
            nats_url = nats.url
            print(f"embedded NATS JetStream   {nats_url}  (data in {nats.data_dir})")
        if not database_url:
            pg = EmbeddedPostgres(STATE / "postgres", port=5432).start()
            embedded.append(pg)
            database_url = pg.url
            print(f"embedded PostgreSQL       {database_url}  (data in {pg.data_dir})")
        stack = Stack(args.config, nats_url=nats_url, database_url=database_url, jwt_secret=jwt_secret(),
                      log_dir=STATE / "logs", port_base=args.port_base, clock=args.clock,
                      extra_env={k: os.environ[k] for k in PASSED_THROUGH if k in os.environ})
        print(f"starting {len(stack.instances)} services for {stack.config.district.name} "
              f"({stack.config.district.code}); logs in {STATE / 'logs'}")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stack.start()
            print(f"\n{'service':<28}{'HTTP API':<26}OpenAPI")
            for inst in stack.instances:
                where = stack.config.jurisdiction(inst.jurisdiction).name if inst.jurisdiction else "district"
                print(f"{inst.name:<28}{inst.url:<26}{inst.url}/docs   {where}")
            print("\nall services healthy. Tokens: ./jz token --role clerk --jurisdiction 650205001")
            print("Ctrl-C stops everything.")
            if args.check:
                return 0
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            print("\nstopping services …")
            stack.stop()
    finally:
        for server in reversed(embedded):
            server.stop()
    print("stopped.")
    return 0


def token(args: argparse.Namespace) -> int:
    from jiuzhu_runtime.auth import mint_token
    from jiuzhu_runtime.district_config import load_district_config

    config = load_district_config(args.config)
    jurisdiction = args.jurisdiction or config.district.code
    if jurisdiction != config.district.code:
        config.jurisdiction(jurisdiction)
    print(mint_token(jwt_secret(), sub=args.id, name=args.name, roles=args.role, jurisdiction=jurisdiction,
                     district=config.district.code))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jiuzhu")
    sub = parser.add_subparsers(dest="command", required=True)
    p_up = sub.add_parser("up", help="bring the whole district up")
    p_up.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    p_up.add_argument("--port-base", type=int, default=8100)
    p_up.add_argument("--clock", choices=["system", "bus"], default="system")
    p_up.add_argument("--check", action="store_true", help="exit once every service is healthy")
    p_up.set_defaults(func=up)
    p_tok = sub.add_parser("token", help="mint a development bearer token")
    p_tok.add_argument("--role", action="append", required=True, choices=[r.value for r in Role])
    p_tok.add_argument("--jurisdiction", help="jurisdiction code; omit for district staff")
    p_tok.add_argument("--id", default="dev-user")
    p_tok.add_argument("--name", default="开发用户")
    p_tok.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    p_tok.set_defaults(func=token)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
