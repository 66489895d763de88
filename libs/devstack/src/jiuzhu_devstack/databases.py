"""Each service instance's database, owned by a role of its own (the operator's part).

A service connects as its own role, which owns its own database and nothing else, and may not
connect to any other (``REVOKE CONNECT … FROM PUBLIC``): a compromised service cannot write the
disbursement register or oversight's audit chain. Passwords are generated once per instance and
kept with the district's credentials (``instances/<instance>/database-password``, 0600).

A database made before this (owned by the superuser) is handed over to its role, objects included.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import asyncpg


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def role_url(server_url: str, database: str, role: str, password: str) -> str:
    parts = urlsplit(server_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    host = parts.hostname or "127.0.0.1"
    netloc = f"{role}:{password}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc, path=f"/{database}"))


async def provision(server_url: str, database: str, role: str, password: str) -> str:
    """Create or update ``role`` and ``database`` (owned by it); returns the service's URL."""
    admin = await asyncpg.connect(server_url)
    try:
        verb = "ALTER" if await admin.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role) else "CREATE"
        await admin.execute(f"{verb} ROLE {_quote(role)} LOGIN PASSWORD '{password}' NOSUPERUSER NOCREATEDB NOCREATEROLE")
        existed = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if existed:
            await admin.execute(f"ALTER DATABASE {_quote(database)} OWNER TO {_quote(role)}")
        else:
            try:
                await admin.execute(f"CREATE DATABASE {_quote(database)} OWNER {_quote(role)}")
            except asyncpg.DuplicateDatabaseError:
                existed = True
        await admin.execute(f"REVOKE CONNECT, TEMPORARY ON DATABASE {_quote(database)} FROM PUBLIC")
    finally:
        await admin.close()
    if existed:
        await _hand_over(server_url, database, role)
    return role_url(server_url, database, role, password)


async def _hand_over(server_url: str, database: str, role: str) -> None:
    """Objects a superuser created in the database (before roles) now belong to its role."""
    parts = urlsplit(server_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    conn = await asyncpg.connect(urlunsplit(parts._replace(path=f"/{database}")))
    try:
        await conn.execute(f"ALTER SCHEMA public OWNER TO {_quote(role)}")
        kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
        for relkinds in (("r", "p"), ("v", "m"), ("S",)):  # a table takes its own sequences along
            rows = await conn.fetch(
                "SELECT c.relname, c.relkind::text AS relkind FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                "AND c.relkind::text = ANY($2) AND pg_get_userbyid(c.relowner) <> $1 AND NOT EXISTS ("
                "SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))", role, list(relkinds))
            for row in rows:
                await conn.execute(f"ALTER {kinds[row['relkind']]} public.{_quote(row['relname'])} "
                                   f"OWNER TO {_quote(role)}")
        for (name,) in await conn.fetch(
                "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE n.nspname = 'public' AND t.typtype = 'e' AND pg_get_userbyid(t.typowner) <> $1", role):
            await conn.execute(f"ALTER TYPE public.{_quote(name)} OWNER TO {_quote(role)}")
    finally:
        await conn.close()
