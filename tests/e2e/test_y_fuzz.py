"""Fuzz every service's HTTP API from its own OpenAPI document (schemathesis): whatever arrives,
the answer is never a 5xx. One instance of each service, with a token holding every role that
service serves, so the fuzzer gets past authorisation into the handlers."""

import asyncio
import os
import sys
from pathlib import Path

import pytest

from .steps import J1

JURISDICTION_ROLES = ["clerk", "committee", "investigator", "reviewer", "leader", "check_centre"]
DISTRICT_ROLES = ["inspector", "bureau_admin", "finance", "auditor", "check_centre"]
EXAMPLES = os.environ.get("JZ_FUZZ_EXAMPLES", "12")


@pytest.mark.timeout(900)
@pytest.mark.parametrize("service", ["intake", "verification", "publicity", "decision", "oversight", "disbursement"])
async def test_no_server_errors_under_fuzzing(district, service):
    jurisdiction = J1 if service in ("intake", "verification", "publicity", "decision") else None
    inst = district.stack.instance(service, jurisdiction)
    token = district.credentials.issuer().mint(
        sub="fuzzer", name="fuzz", roles=JURISDICTION_ROLES if jurisdiction else DISTRICT_ROLES,
        jurisdiction=jurisdiction or district.code, district=district.code)
    schemathesis = Path(sys.executable).parent / "schemathesis"
    process = await asyncio.create_subprocess_exec(
        str(schemathesis), "run", f"{inst.url}/openapi.json", "--checks", "not_a_server_error",
        "--header", f"Authorization: Bearer {token}", "--max-examples", EXAMPLES, "--phases", "examples,fuzzing",
        "--request-timeout", "20", "--suppress-health-check", "all",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"})
    out, _ = await process.communicate()
    text = out.decode(errors="replace")
    assert process.returncode == 0, text[-6000:]
    assert "not_a_server_error" in text or "passed" in text.lower()
