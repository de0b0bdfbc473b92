// Automatic persisted queries: the client first sends only the query's SHA-256; the server
// answers PersistedQueryNotFound the first time, the client sends the query once with its
// hash, and from then on the hash alone (by GET) runs it.
// Needs APQ on the server (i10-http); the urql test also needs GET for the hashed queries.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';

import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Client, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';

import { GRAPHQL_URL, RUN, seedPlanAndCampaign, token } from './support.mjs';

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** A fetch that records what each request carried: its method, and whether it held the query. */
function recordingFetch() {
  const sent = [];
  const recorder = async (url, init) => {
    const method = init?.method ?? 'GET';
    const request =
      method === 'GET'
        ? Object.fromEntries(new URL(String(url)).searchParams)
        : JSON.parse(String(init.body));
    sent.push({ method, hasQuery: Boolean(request.query), query: request.query, extensions: request.extensions });
    return fetch(url, init);
  };
  return { recorder, sent };
}

test('urql persistedExchange: hash first, query once, then the hash alone by GET', { timeout: 30_000 }, async () => {
  const bearer = token('apq-urql');
  await seedPlanAndCampaign(bearer);
  const { recorder, sent } = recordingFetch();
  const client = new Client({
    url: GRAPHQL_URL,
    exchanges: [
      persistedExchange({ preferGetForPersistedQueries: true, generateHash: async (query) => sha256(query) }),
      fetchExchange,
    ],
    fetchOptions: () => ({ headers: { authorization: `Bearer ${bearer}` } }),
    fetch: recorder, // the suite's: records what each request carried
  });
  // Named after the run: a query the server has not seen yet, even if the suite ran before.
  const query = `query PlanNames_${RUN} { plans(first: 5) { totalCount nodes { name } } }`;

  const first = await client.query(query, {}, { requestPolicy: 'network-only' }).toPromise();
  assert.ok(!first.error, `APQ registration failed: ${first.error?.message.slice(0, 200)}`);
  assert.equal(first.data.plans.nodes[0].name, 'Plan 2027');
  // The hash alone, refused as unknown; then the query with its hash.
  assert.deepEqual(
    sent.map(({ method, hasQuery }) => ({ method, hasQuery })),
    [
      { method: 'GET', hasQuery: false },
      { method: 'GET', hasQuery: true },
    ],
  );
  // The hash is the SHA-256 of the query text as urql prints it.
  const hash = JSON.parse(sent[0].extensions).persistedQuery.sha256Hash;
  assert.equal(hash, sha256(sent[1].query));

  sent.length = 0;
  const second = await client.query(query, {}, { requestPolicy: 'network-only' }).toPromise();
  assert.ok(!second.error, second.error?.message.slice(0, 200));
  assert.equal(second.data.plans.totalCount, 1);
  assert.deepEqual(
    sent.map(({ method, hasQuery }) => ({ method, hasQuery })),
    [{ method: 'GET', hasQuery: false }],
    'a registered query runs from its hash alone',
  );
});

test('Apollo PersistedQueryLink over POST: a registered query runs from its hash', { timeout: 30_000 }, async () => {
  const bearer = token('apq-apollo');
  await seedPlanAndCampaign(bearer);
  const { recorder, sent } = recordingFetch();
  const link = new PersistedQueryLink({ sha256 }).concat(
    new HttpLink({ uri: GRAPHQL_URL, headers: { authorization: `Bearer ${bearer}` }, fetch: recorder }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const query = gql`
    query CampaignNames_${RUN} {
      campaigns(first: 5) {
        nodes {
          name
          budget
        }
      }
    }
  `;

  const first = await client.query({ query, fetchPolicy: 'network-only' }).catch((error) => {
    throw new Error(`APQ: a request carrying only the hash was not answered PersistedQueryNotFound: ${error.message}`);
  });
  assert.equal(first.data.campaigns.nodes[0].name, 'Spring launch');
  assert.equal(first.data.campaigns.nodes[0].budget, '15000.75');
  assert.equal(sent[0].hasQuery, false, 'the first request carries the hash alone');
  assert.equal(sent.at(-1).hasQuery, true, 'then the query, to register it');

  sent.length = 0;
  const second = await client.query({ query, fetchPolicy: 'network-only' });
  assert.equal(second.data.campaigns.nodes[0].name, 'Spring launch');
  assert.deepEqual(
    sent.map(({ method, hasQuery }) => ({ method, hasQuery })),
    [{ method: 'POST', hasQuery: false }],
  );
});
