"""``jiuzhu`` command (run through ``./jz``): up, token, credentials, provision, clock, config check."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.settings import nats_servers

ROOT = Path(__file__).resolve().parents[4]
DEFAULT_CONFIG = ROOT / "config" / "urho.toml"
STATE = Path(os.environ.get("JZ_STATE_DIR", ROOT / ".jiuzhu"))  # .jiuzhu/: data, logs, credentials


def credentials(config_path: Path, root: Path | None = None, prefix: str = "jiuzhu"):
    """The district's credentials (``JZ_CREDENTIALS_DIR`` or ``.jiuzhu/credentials``), created where
    missing, so ``./jz token`` signs with the same key ``./jz up`` gave the services."""
    from jiuzhu_devstack.credentials import ensure
    from jiuzhu_kernel.district_config import load_district_config

    root = root or Path(os.environ.get("JZ_CREDENTIALS_DIR", STATE / "credentials"))
    return ensure(root, load_district_config(config_path), prefix=prefix)


def up(args: argparse.Namespace) -> int:
    from jiuzhu_devstack import up as district_up

    return district_up.run(args, STATE, credentials(args.config))


def demo(args: argparse.Namespace) -> int:
    from jiuzhu_devstack.demo_cli import demo as fill

    return fill(args, STATE, credentials)


def token(args: argparse.Namespace) -> int:
    from jiuzhu_devstack.command_errors import CommandError, load_config

    config = load_config(args.config)
    jurisdiction = args.jurisdiction or config.district.code
    known = {j.code: j.name for j in config.jurisdictions}
    if jurisdiction != config.district.code and jurisdiction not in known:
        raise CommandError(f"unknown jurisdiction {jurisdiction}; {config.district.name} has "
                           + ", ".join(f"{code} ({name})" for code, name in known.items())
                           + f"; omit --jurisdiction for district staff ({config.district.code})")
    print(credentials(args.config).issuer().mint(sub=args.id, name=args.name, roles=args.role,
                                                 jurisdiction=jurisdiction, district=config.district.code))
    return 0


def make_credentials(args: argparse.Namespace) -> int:
    creds = credentials(args.config, args.out, args.prefix)
    print(f"credentials for district {creds.district} in {creds.root}:")
    print(f"  {creds.trust_file.name:<24} public keys of every instance: give it to every service (JZ_TRUST_FILE)")
    print(f"  {creds.nats_auth_file.name:<24} NATS users and permissions: include it in nats.conf")
    print("  instances/<name>/       each instance's two secrets (JZ_NATS_NKEY_FILE, JZ_SIGNING_KEY_FILE)")
    print("  users/                  operator, integrator and check-centre NATS seeds")
    print("  token-issuer.pub        the identity provider's public key (JZ_JWT_PUBLIC_KEY_FILE)")
    return 0


def provision_bus(args: argparse.Namespace) -> int:
    """The operator's part of a deployment: the streams, the clock bucket and every service's durable
    consumers on NATS (an upgrade changes an existing consumer's filter in place, keeping its
    position: run it before the new release's services start), and — given ``--database-url`` (the
    superuser's) — each service's database owned by a role of its own."""
    import asyncio

    import nats

    from jiuzhu_devstack import databases
    from jiuzhu_devstack.credentials import instance_name
    from jiuzhu_devstack.stack import Stack
    from jiuzhu_contracts.consumers import district_consumers
    from jiuzhu_kernel.district_config import load_district_config
    from jiuzhu_runtime.streams import provision

    creds = credentials(args.config, args.credentials, args.prefix)
    config = load_district_config(args.config)
    consumers = district_consumers(config.district.code, [j.code for j in config.jurisdictions], args.prefix)

    async def run() -> None:
        nc = await nats.connect(nats_servers(args.nats_url), **creds.connect_options("operator"))
        try:
            await provision(nc.jetstream(), args.prefix, replicas=args.replicas, consumers=consumers,
                            ack_wait_seconds=args.ack_wait)
        finally:
            await nc.close()
        if args.database_url:
            plan = Stack(args.config, nats_url=args.nats_url, database_url=args.database_url, credentials=creds,
                         log_dir=STATE / "logs", bus_prefix=args.prefix)
            for inst in plan.instances:
                await databases.provision(args.database_url, inst.database, inst.database,
                                          creds.database_password(instance_name(inst.service, inst.jurisdiction)))
                print(f"database {inst.database}: owned by role {inst.database}")

    asyncio.run(run())
    print(f"streams, clock bucket and {len(consumers)} durable consumers for prefix {args.prefix!r} are in place "
          f"on {args.nats_url}")
    return 0


def main(argv: list[str] | None = None) -> int:
    from jiuzhu_devstack import clock_cli, config_check
    from jiuzhu_devstack.command_errors import CommandError

    parser = argparse.ArgumentParser(prog="./jz", description="jiuzhu (救助): run, inspect and rehearse a district.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p_up = sub.add_parser(
        "up", help="bring the whole district up", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Bring the whole district up: NATS JetStream and PostgreSQL (embedded unless NATS_URL /\n"
                    "DATABASE_URL are set), then every service as its own process. Ctrl-C stops everything.",
        epilog="Rehearsing on another date:\n"
               "  ./jz up                          (--clock bus) every service takes its business date from the clock\n"
               "  ./jz clock set 2022-02-01        … which `./jz clock` moves (show, set, advance 3wd, reset)\n"
               "  ./jz config check --date 2022-02-01   is the district file ready for that date?")
    p_up.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="the district file (default: config/urho.toml)")
    p_up.add_argument("--port-base", type=int, default=8100,
                      help="HTTP port of the first service; the district's services take the next ports and each "
                           "jurisdiction's take base+10, base+20, … (default: %(default)s). Change it to run a "
                           "second copy beside the first")
    p_up.add_argument("--clock", choices=["system", "bus"], default="bus",
                      help="bus (default here): for rehearsals, training and ./jz demo — every service follows the "
                           "business clock on NATS, moved with ./jz clock set|advance|reset; the wall clock until it "
                           "is set. system: the business date is always today's, in the district's time zone (what a "
                           "production deployment runs)")
    p_up.add_argument("--nats-cluster", type=int, default=1, choices=[1, 3], metavar="N",
                      help="3: NATS as a three-server JetStream cluster (embedded: three nats-server processes with "
                           "cluster routes on 127.0.0.1:4222-4224; with NATS_URL: every server's URL comma-separated), "
                           "the streams and the clock bucket with three replicas (default: %(default)s, one server)")
    p_up.add_argument("--check", action="store_true",
                      help="exit 0 once every service is healthy, stopping them again (a smoke test)")
    p_up.set_defaults(func=up)
    p_demo = sub.add_parser("demo", help="fill the running district with cases at every stage")
    p_demo.add_argument("--today", help="the business date the demo ends on (default: today)")
    p_demo.set_defaults(func=demo)
    p_tok = sub.add_parser("token", help="mint a development bearer token")
    p_tok.add_argument("--role", action="append", required=True, choices=[r.value for r in Role])
    p_tok.add_argument("--jurisdiction", help="jurisdiction code; omit for district staff")
    p_tok.add_argument("--id", default="dev-user")
    p_tok.add_argument("--name", default="开发用户")
    p_tok.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    p_tok.set_defaults(func=token)
    p_cred = sub.add_parser("credentials", help="generate the district's keys, trust file and NATS users")
    p_cred.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    p_cred.add_argument("--out", type=Path, help="directory (default: .jiuzhu/credentials)")
    p_cred.add_argument("--prefix", default="jiuzhu", help="bus prefix the NATS permissions are written for")
    p_cred.set_defaults(func=make_credentials)
    p_prov = sub.add_parser("provision", help="create the JetStream streams, the clock bucket and the services' consumers "
                                                 "as the operator")
    p_prov.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    p_prov.add_argument("--credentials", type=Path, help="credentials directory (default: .jiuzhu/credentials)")
    p_prov.add_argument("--nats-url", default=os.environ.get("NATS_URL", "nats://127.0.0.1:4222"))
    p_prov.add_argument("--prefix", default="jiuzhu")
    p_prov.add_argument("--replicas", type=int, default=1, choices=[1, 3],
                        help="stream replicas: 3 on a three-node JetStream cluster (default: %(default)s)")
    p_prov.add_argument("--database-url", help="the PostgreSQL superuser's URL: also create each service's "
                                                "database and its own role")
    p_prov.add_argument("--ack-wait", type=float, default=float(os.environ.get("JZ_ACK_WAIT_SECONDS", 30)),
                        help="seconds a delivered event may stay unacknowledged before it is delivered again, "
                             "for every service's consumers (default: JZ_ACK_WAIT_SECONDS or 30)")
    p_prov.set_defaults(func=provision_bus)
    clock_cli.add_parser(sub, DEFAULT_CONFIG)
    p_conf = sub.add_parser("config", help="the district file: ./jz config check")
    conf = p_conf.add_subparsers(dest="action", required=True)
    p_check = conf.add_parser("check", help="is the district file ready for the business date? exit 0 or 1 with a list")
    p_check.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="the district file (default: config/urho.toml)")
    p_check.add_argument("--date", type=config_check.date_argument,
                         help="business date YYYY-MM-DD (default: today in the district's time zone)")
    p_check.add_argument("--holidays", type=Path,
                         help="a holiday file or a directory of them, besides the district file's holiday_files "
                              "(default: JZ_HOLIDAY_FILE)")
    p_check.set_defaults(func=config_check.run)
    from jiuzhu_devstack import calendar_cli
    calendar_cli.add_parser(sub, DEFAULT_CONFIG)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CommandError as exc:
        print(f"jz {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
