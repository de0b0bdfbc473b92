// urql (@urql/core) over POST, and over GET for queries (`preferGetMethod: 'force'`).
// GET needs the server to run a JSON GET of a query (GraphQL over HTTP): a browser asking for
// HTML gets GraphiQL, urql asking for JSON gets the result.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client, fetchExchange, gql } from '@urql/core';

import { GRAPHQL_URL, token } from './support.mjs';

const PLANS = gql`
  query Plans($first: Int!) {
    plans(first: $first) {
      totalCount
      nodes {
        id
        name
        budget
        periodStart
      }
    }
  }
`;

const CREATE_PLAN = gql`
  mutation CreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      plan {
        id
        name
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

/** A fetch that records the method and URL of each request it sends. */
function recordingFetch() {
  const sent = [];
  const recorder = (url, init) => {
    sent.push({ method: init?.method ?? 'GET', url: String(url) });
    return fetch(url, init);
  };
  return { recorder, sent };
}

function planInput(name) {
  return { name, periodStart: '2027-01-01', periodEnd: '2027-12-31', currency: 'EUR', budget: '1250.25' };
}

test('urql runs queries and mutations over POST', { timeout: 30_000 }, async () => {
  const bearer = token('urql-post');
  const { recorder, sent } = recordingFetch();
  const client = new Client({
    url: GRAPHQL_URL,
    exchanges: [fetchExchange],
    preferGetMethod: false, // every operation by POST (by default urql sends short queries by GET)
    fetchOptions: () => ({ headers: { authorization: `Bearer ${bearer}` } }),
    fetch: recorder, // the suite's: records each request's method
  });

  const created = await client.mutation(CREATE_PLAN, { input: planInput('urql POST plan') }).toPromise();
  assert.ok(!created.error, created.error?.message.slice(0, 200));
  assert.deepEqual(created.data.createPlan.userErrors, []);
  assert.equal(created.data.createPlan.plan.budget, '1250.25');

  const read = await client.query(PLANS, { first: 10 }).toPromise();
  assert.ok(!read.error, read.error?.message.slice(0, 200));
  assert.equal(read.data.plans.totalCount, 1);
  assert.equal(read.data.plans.nodes[0].name, 'urql POST plan');

  assert.deepEqual(sent.map((request) => request.method), ['POST', 'POST']);
});

// Needs GET /graphql to execute queries for JSON clients (i10-http).
test('urql runs queries over GET, mutations still over POST', { timeout: 30_000 }, async () => {
  const bearer = token('urql-get');
  const { recorder, sent } = recordingFetch();
  const client = new Client({
    url: GRAPHQL_URL,
    exchanges: [fetchExchange],
    preferGetMethod: 'force', // queries by GET whatever their length; mutations always by POST
    fetchOptions: () => ({ headers: { authorization: `Bearer ${bearer}` } }),
    fetch: recorder, // the suite's: records each request's method and URL
  });

  const created = await client.mutation(CREATE_PLAN, { input: planInput('urql GET plan') }).toPromise();
  assert.ok(!created.error, created.error?.message.slice(0, 200));
  assert.deepEqual(created.data.createPlan.userErrors, []);

  const read = await client.query(PLANS, { first: 10 }).toPromise();
  assert.ok(!read.error, `GET /graphql did not run the query for a JSON client: ${read.error?.message.slice(0, 200)}`,
  );
  assert.equal(read.data.plans.totalCount, 1);
  assert.equal(read.data.plans.nodes[0].name, 'urql GET plan');
  assert.equal(read.data.plans.nodes[0].budget, '1250.25');

  assert.deepEqual(sent.map((request) => request.method), ['POST', 'GET']);
  const get = new URL(sent[1].url);
  assert.match(get.searchParams.get('query'), /plans\(first: \$first\)/);
  assert.deepEqual(JSON.parse(get.searchParams.get('variables')), { first: 10 });
});
