"""``./jz calendar load FILE`` — publish a holiday file (config/holidays/README.md) through oversight,
which checks it, puts it on the bus for every service and recomputes the deadlines it moves.

The file is checked here first (the same rules oversight applies), then posted to
``POST /calendar/holidays`` with a development ``bureau_admin`` token from the district's credentials.
In production, post it with a token from the real identity provider (``--token``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_parser(sub, default_config: Path) -> None:
    p = sub.add_parser("calendar", help="working-day calendar: publish a holiday file")
    actions = p.add_subparsers(dest="action", required=True)
    load = actions.add_parser("load", help="check a holiday file (or every *.json of a directory) and publish it")
    load.add_argument("file", type=Path)
    load.add_argument("--url", default="http://127.0.0.1:8100", help="oversight's HTTP API (./jz up: port 8100)")
    load.add_argument("--token", help="bearer token of a bureau_admin (default: a development token)")
    load.add_argument("--config", type=Path, default=default_config)
    load.set_defaults(func=load_files)


def load_files(args: argparse.Namespace) -> int:
    import httpx

    from jiuzhu_kernel import holiday_files
    from jiuzhu_kernel.district_config import load_district_config

    config = load_district_config(args.config)
    district = config.district.code
    try:
        files = holiday_files.read_all([args.file], district=district)
    except ValueError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    token = args.token or _development_token(args.config, district)
    for path, file in zip(holiday_files.paths([args.file]), files):
        try:
            r = httpx.post(f"{args.url}/calendar/holidays", headers={"Authorization": f"Bearer {token}"},
                           json=file.model_dump(mode="json", by_alias=True), timeout=60)
        except httpx.HTTPError as exc:
            print(f"oversight is not reachable at {args.url} ({exc}); is the district up (./jz up)?", file=sys.stderr)
            return 1
        if r.status_code != 201:
            print(f"{path}: {r.status_code} {r.text}", file=sys.stderr)
            return 1
        body = r.json()
        print(f"{path}: published {body['key']} (event {body['event_id']}); "
              f"{len(body['recomputed'])} deadline(s) recomputed")
        for moved in body["recomputed"]:
            print(f"  {moved['case_id']} {moved['clock']}: {moved['previous_due_on']} → {moved['due_on']}"
                  + (" (still provisional)" if moved["provisional"] else ""))
        if file.pending:
            print(f"  pending in this file: {json.dumps(file.pending, ensure_ascii=False)}")
    return 0


def _development_token(config_path: Path, district: str) -> str:
    from jiuzhu_devstack.cli import credentials

    return credentials(config_path).issuer().mint(sub="calendar-cli", name="节假日发布", roles=["bureau_admin"],
                                                  jurisdiction=district, district=district)
