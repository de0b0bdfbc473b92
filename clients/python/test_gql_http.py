"""gql over HTTP: the schema fetched by introspection (`fetch_schema_from_transport=True`),
queries validated against it before they are sent, a mutation and a query, Decimal parsed into
Python's decimal.Decimal."""

import asyncio
from decimal import Decimal

import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.requests import RequestsHTTPTransport
from gql.utilities import update_schema_scalar
from graphql import GraphQLError, GraphQLScalarType

from support import GRAPHQL_URL, tenant_key, token

CREATE_PLAN = gql(
    """
    mutation CreatePlan($input: CreatePlanInput!) {
      createPlan(input: $input) {
        plan { id name budget periodStart }
        userErrors { field message code }
      }
    }
    """
)

PLANS = gql(
    """
    query Plans($first: Int!) {
      viewer { subject role tenant { key } }
      plans(first: $first) { totalCount nodes { id name budget currency periodStart } }
    }
    """
)

# Money and measurement values travel as strings ("1250.50"); this scalar makes gql hand them
# over as decimal.Decimal with `parse_result=True`, and send Decimals back as strings.
DecimalScalar = GraphQLScalarType(
    name="Decimal",
    serialize=str,
    parse_value=Decimal,
)


def plan_input(name: str, budget: str = "1250.25") -> dict:
    return {
        "name": name,
        "periodStart": "2027-01-01",
        "periodEnd": "2027-12-31",
        "currency": "EUR",
        "budget": budget,
    }


def test_requests_transport_validates_and_runs_a_mutation_and_a_query():
    transport = RequestsHTTPTransport(
        url=GRAPHQL_URL,
        headers={"Authorization": f"Bearer {token('gql-sync')}"},
        timeout=30,
    )
    client = Client(transport=transport, fetch_schema_from_transport=True)
    with client as session:
        # The schema came from the server's introspection.
        assert client.schema is not None
        assert client.schema.get_type("Plan") is not None
        assert "UserErrorCode" in client.schema.type_map

        # Validated against that schema, client side, before anything is sent.
        with pytest.raises(GraphQLError, match="Cannot query field 'notAField' on type 'Plan'"):
            session.execute(gql("{ plans { nodes { notAField } } }"))

        # A refused input comes back in userErrors, with a code from the enum.
        refused = session.execute(GraphQLRequest(CREATE_PLAN, variable_values={"input": plan_input("Refused", "-1")}))
        assert refused["createPlan"]["plan"] is None
        assert refused["createPlan"]["userErrors"][0]["code"] == "OUT_OF_RANGE"
        assert refused["createPlan"]["userErrors"][0]["field"] == ["input", "budget"]

        created = session.execute(GraphQLRequest(CREATE_PLAN, variable_values={"input": plan_input("gql plan")}))
        assert created["createPlan"]["userErrors"] == []
        assert created["createPlan"]["plan"]["budget"] == "1250.25"

        result = session.execute(GraphQLRequest(PLANS, variable_values={"first": 10}))
        assert result["viewer"]["tenant"]["key"] == tenant_key("gql-sync")
        assert result["plans"]["totalCount"] == 1
        assert result["plans"]["nodes"][0]["name"] == "gql plan"


def test_aiohttp_transport_parses_decimals():
    async def main():
        transport = AIOHTTPTransport(
            url=GRAPHQL_URL,
            headers={"Authorization": f"Bearer {token('gql-async')}"},
        )
        client = Client(transport=transport, fetch_schema_from_transport=True, execute_timeout=30)
        async with client as session:
            update_schema_scalar(client.schema, "Decimal", DecimalScalar)
            created = await session.execute(
                GraphQLRequest(CREATE_PLAN, variable_values={"input": plan_input("gql async plan", Decimal("300.25"))}),
                serialize_variables=True,
                parse_result=True,
            )
            assert created["createPlan"]["userErrors"] == []
            return await session.execute(GraphQLRequest(PLANS, variable_values={"first": 10}), parse_result=True)

    result = asyncio.run(main())
    [plan] = result["plans"]["nodes"]
    assert plan["budget"] == Decimal("300.25")
    assert isinstance(plan["budget"], Decimal)
    assert plan["currency"] == "EUR"
