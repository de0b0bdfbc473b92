// Apollo Client in Node (its HttpLink on Node's fetch), with the possibleTypes that codegen's
// fragment-matcher plugin wrote from the server's introspection (src/gql/possible-types.json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';

import { GRAPHQL_URL, seedPlanAndCampaign, token } from './support.mjs';

// { possibleTypes: { Node: ['Action', 'ApiKey', 'Campaign', …], … } }
const { possibleTypes } = JSON.parse(
  readFileSync(new URL('../src/gql/possible-types.json', import.meta.url), 'utf8'),
);

function apolloClient(bearer) {
  return new ApolloClient({
    link: new HttpLink({ uri: GRAPHQL_URL, headers: { authorization: `Bearer ${bearer}` } }),
    cache: new InMemoryCache({ possibleTypes }),
  });
}

// A fragment on the interface: which fields to read depends on the node's concrete type.
const NODE_TITLE = gql`
  fragment NodeTitle on Node {
    id
    ... on Plan {
      name
      budget
      currency
    }
    ... on Campaign {
      name
      levers
    }
  }
`;

const NODE_QUERY = gql`
  query NodeById($id: ID!) {
    node(id: $id) {
      ...NodeTitle
    }
  }
  ${NODE_TITLE}
`;

test('possibleTypes lists every Node implementation', () => {
  for (const type of ['Plan', 'Campaign', 'Persona', 'Objective', 'KpiDefinition', 'Tenant']) {
    assert.ok(possibleTypes.Node.includes(type), `Node's possibleTypes lack ${type}`);
  }
});

test('node(id:) with inline fragments resolves its type in the cache', { timeout: 30_000 }, async () => {
  const bearer = token('apollo');
  const { planId, campaignId } = await seedPlanAndCampaign(bearer);
  const client = apolloClient(bearer);

  const plan = await client.query({ query: NODE_QUERY, variables: { id: planId } });
  assert.equal(plan.data.node.__typename, 'Plan');
  assert.equal(plan.data.node.name, 'Plan 2027');
  assert.equal(plan.data.node.budget, '120000.25');

  const campaign = await client.query({ query: NODE_QUERY, variables: { id: campaignId } });
  assert.equal(campaign.data.node.__typename, 'Campaign');
  assert.deepEqual(campaign.data.node.levers, ['SEO', 'SEA']);

  // The cache normalized each node under its concrete type, and a fragment on the interface
  // Node matches it (that needs possibleTypes: Plan and Campaign are not named Node).
  const cache = client.cache;
  const planKey = cache.identify({ __typename: 'Plan', id: planId });
  assert.equal(planKey, `Plan:${planId}`);
  assert.equal(cache.extract()[planKey].name, 'Plan 2027');
  const fromCache = cache.readFragment({ id: planKey, fragment: NODE_TITLE });
  assert.deepEqual(fromCache, {
    __typename: 'Plan',
    id: planId,
    name: 'Plan 2027',
    budget: '120000.25',
    currency: 'EUR',
  });
  const campaignFromCache = cache.readFragment({
    id: cache.identify({ __typename: 'Campaign', id: campaignId }),
    fragment: NODE_TITLE,
  });
  assert.equal(campaignFromCache.name, 'Spring launch');

  // A second read is answered by the cache alone.
  const again = await client.query({ query: NODE_QUERY, variables: { id: planId }, fetchPolicy: 'cache-only' });
  assert.equal(again.data.node.name, 'Plan 2027');

  // Another tenant's (or an unknown) ID is null, not an error.
  const other = apolloClient(token('apollo-other'));
  const hidden = await other.query({ query: NODE_QUERY, variables: { id: planId } });
  assert.equal(hidden.data.node, null);
});

test('a mutation returns its userErrors', { timeout: 30_000 }, async () => {
  const client = apolloClient(token('apollo'));
  const CREATE_PLAN = gql`
    mutation CreatePlan($input: CreatePlanInput!) {
      createPlan(input: $input) {
        plan {
          id
          budget
        }
        userErrors {
          field
          message
          code
        }
      }
    }
  `;
  const input = {
    name: 'Apollo plan',
    periodStart: '2027-01-01',
    periodEnd: '2027-12-31',
    currency: 'EUR',
    budget: '300.25',
  };

  const refused = await client.mutate({
    mutation: CREATE_PLAN,
    variables: { input: { ...input, periodEnd: '2026-12-31' } },
  });
  assert.equal(refused.data.createPlan.plan, null);
  assert.ok(refused.data.createPlan.userErrors.length > 0, 'an end before the start is refused');
  for (const error of refused.data.createPlan.userErrors) {
    assert.equal(error.field[0], 'input');
    assert.equal(typeof error.message, 'string');
  }
  assert.ok(refused.data.createPlan.userErrors.some((error) => error.code === 'DATE_ORDER'));

  const created = await client.mutate({ mutation: CREATE_PLAN, variables: { input } });
  assert.deepEqual(created.data.createPlan.userErrors, []);
  assert.equal(created.data.createPlan.plan.budget, '300.25');
});
