"""What every test of the suite shares: the server's addresses (exported by clients/run),
tokens minted by the levier binary, and plain requests calls to set up data."""

import os
import subprocess
import time

import requests


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run this suite through clients/run, which starts a server")
    return value


LEVIER_URL = _required("LEVIER_URL")
GRAPHQL_URL = _required("LEVIER_GRAPHQL_URL")
WS_URL = _required("LEVIER_WS_URL")
LEVIER_BIN = _required("LEVIER_BIN")


# Each run's tenants are new ones, so that the suite can run again against the same server.
RUN = format(int(time.time() * 1000), "x")


def tenant_key(tenant: str) -> str:
    return f"{tenant}-{RUN}"


def token(tenant: str, role: str = "admin") -> str:
    """A development token for the tenant `<tenant>-<RUN>` (each test uses its own tenant, so
    counts are its own)."""
    return subprocess.run(
        [LEVIER_BIN, "token", "--tenant", tenant_key(tenant), "--role", role, "--subject", f"{tenant}-python"],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()


def graphql(bearer: str, query: str, variables: dict | None = None) -> dict:
    """Runs one operation with plain requests; returns its data, raises on any error."""
    response = requests.post(
        GRAPHQL_URL,
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {bearer}"},
        timeout=30,
    )
    assert response.status_code == 200, f"POST /graphql answered {response.status_code}: {response.text}"
    body = response.json()
    assert not body.get("errors"), f"GraphQL errors: {body['errors']}"
    return body["data"]


RECORD_MEASUREMENTS = """
mutation Record($input: RecordMeasurementsInput!) {
  recordMeasurements(input: $input) { inserted updated userErrors { field code message } }
}
"""


def record_measurements(bearer: str, measurements: list[dict]) -> dict:
    payload = graphql(bearer, RECORD_MEASUREMENTS, {"input": {"measurements": measurements}})["recordMeasurements"]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload
