"""pandas reads the CSV exports straight from their URLs, with typed columns: a JWT (or an
API key) as a Bearer header through `storage_options`, and an API key as an HTTP Basic password
for tools that cannot set a Bearer header."""

import base64
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

import pandas as pd
import pytest

from support import LEVIER_URL, graphql, record_measurements, token

TENANT = "pandas"

# The four rows of README's example: the March CTR is (10 + 5) / (1000 + 100), not the mean.
MEASUREMENTS = [
    {"kpiKey": "impressions", "date": "2027-03-01", "value": "1000", "source": "meta_ads", "externalId": "m-1", "lever": "SOCIAL_ADS"},
    {"kpiKey": "clicks", "date": "2027-03-01", "value": "10", "source": "meta_ads", "externalId": "m-2", "lever": "SOCIAL_ADS"},
    {"kpiKey": "impressions", "date": "2027-03-02", "value": "100", "source": "meta_ads", "externalId": "m-3", "lever": "SOCIAL_ADS"},
    {"kpiKey": "clicks", "date": "2027-03-02", "value": "5", "source": "meta_ads", "externalId": "m-4", "lever": "SOCIAL_ADS"},
    {"kpiKey": "spend", "date": "2027-03-02", "value": "12.345678", "source": "meta_ads", "externalId": "m-5", "lever": "SOCIAL_ADS"},
]

SERIES_URL = f"{LEVIER_URL}/export/kpi-series.csv?" + urlencode(
    {"kpis": "ctr,clicks", "from": "2027-03-01", "to": "2027-03-31", "grain": "MONTH", "groupBy": "LEVER"}
)
MEASUREMENTS_URL = f"{LEVIER_URL}/export/measurements.csv?" + urlencode(
    {"kpis": "clicks,spend", "from": "2027-03-01", "to": "2027-03-31"}
)


@pytest.fixture(scope="module")
def bearer() -> str:
    admin = token(TENANT)
    record_measurements(admin, MEASUREMENTS)
    return admin


@pytest.fixture(scope="module")
def api_key(bearer: str) -> str:
    created = graphql(
        bearer,
        """mutation { createApiKey(input: {name: "pandas", scopes: [READ_KPIS]}) {
             secret userErrors { field code message } } }""",
    )["createApiKey"]
    assert created["userErrors"] == []
    assert created["secret"].startswith("lvk_")
    return created["secret"]


def test_kpi_series_with_a_bearer_token(bearer: str):
    frame = pd.read_csv(
        SERIES_URL,
        storage_options={"Authorization": f"Bearer {bearer}"},
        parse_dates=["period_start"],
    )
    assert list(frame.columns) == ["kpi_key", "period_start", "lever", "value"]
    assert frame["period_start"].dtype.kind == "M"  # datetime64
    assert frame["value"].dtype == "float64"
    by_kpi = frame.set_index("kpi_key")
    assert by_kpi.loc["clicks", "value"] == 15
    assert by_kpi.loc["ctr", "value"] == pytest.approx(15 / 1100)
    assert by_kpi.loc["ctr", "lever"] == "SOCIAL_ADS"
    assert by_kpi.loc["ctr", "period_start"] == pd.Timestamp("2027-03-01")


def test_kpi_series_values_exact_as_decimals(bearer: str):
    # A converter keeps every digit the server sent, where float64 would round them: ratios
    # come rounded to 12 decimal places, half away from zero (docs/scalars.md).
    frame = pd.read_csv(
        SERIES_URL,
        storage_options={"Authorization": f"Bearer {bearer}"},
        converters={"value": Decimal},
    )
    ctr = frame.set_index("kpi_key").loc["ctr", "value"]
    assert isinstance(ctr, Decimal)
    exact = Decimal(15) / Decimal(1100)
    assert ctr == exact.quantize(Decimal("1e-12"), rounding=ROUND_HALF_UP)
    assert str(ctr) == "0.013636363636"


def test_measurements_with_an_api_key_as_bearer(api_key: str):
    frame = pd.read_csv(
        MEASUREMENTS_URL,
        storage_options={"Authorization": f"Bearer {api_key}"},
        parse_dates=["date", "recorded_at"],
    )
    assert list(frame.columns) == [
        "date", "kpi_key", "value", "grain", "source", "external_id",
        "plan_id", "campaign_id", "action_id", "lever", "persona_id", "recorded_at",
    ]
    assert len(frame) == 3
    assert frame["date"].dtype.kind == "M"
    assert frame["recorded_at"].dtype.kind == "M"
    assert frame["value"].dtype == "float64"
    assert frame["kpi_key"].tolist() == ["clicks", "clicks", "spend"]
    assert frame["value"].tolist() == [10.0, 5.0, 12.345678]
    assert frame["external_id"].tolist() == ["m-2", "m-4", "m-5"]
    assert frame["plan_id"].isna().all()  # site-wide figures, tied to no plan


def test_measurements_with_an_api_key_as_basic_password(api_key: str):
    # pandas opens http(s) URLs with urllib, which does not read `user:password@` in a URL (it
    # takes it for part of the host name, and even looks that up in DNS): the Basic header is
    # built here and passed like any other header. The key never goes in the URL.
    basic = base64.b64encode(f"pandas:{api_key}".encode()).decode()
    frame = pd.read_csv(
        MEASUREMENTS_URL,
        storage_options={"Authorization": f"Basic {basic}"},
        parse_dates=["date"],
    )
    assert len(frame) == 3
    assert frame["value"].sum() == pytest.approx(27.345678)
