// graphql-ws (the graphql-transport-ws protocol) in Node with the `ws` package: a subscription
// to measurementRecorded receives the measurement a recordMeasurements mutation (over HTTP)
// writes, then completes and closes cleanly.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

import { WS_URL, graphql, token, within } from './support.mjs';

const SUBSCRIPTION = `
  subscription Clicks($kpiKeys: [String!]) {
    measurementRecorded(kpiKeys: $kpiKeys) {
      change
      measurement {
        kpiKey
        date
        value
        source
        externalId
        lever
      }
    }
  }
`;

const RECORD = `
  mutation Record($input: RecordMeasurementsInput!) {
    recordMeasurements(input: $input) { inserted updated userErrors { field code message } }
  }
`;

/**
 * Subscribes with `connectionParams`, records a measurement over HTTP until the subscription
 * sees it (the server starts listening a moment after `subscribe` is sent, and nothing is
 * replayed), and returns the first event and how the socket closed.
 */
async function receiveOneMeasurement(bearer, connectionParams) {
  let closed;
  const closedPromise = new Promise((resolve) => (closed = resolve));
  const client = createClient({
    url: WS_URL,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    on: { closed: (event) => closed(event) },
  });

  const subscription = client.iterate({ query: SUBSCRIPTION, variables: { kpiKeys: ['clicks'] } });
  // graphql-ws rejects with the CloseEvent when the server closes the socket (4403 for a
  // refused credential): say so plainly.
  const firstEvent = subscription.next().catch((error) => {
    throw new Error(`the server closed the socket: ${error?.code} ${error?.reason ?? error}`);
  });
  firstEvent.catch(() => {}); // awaited below; not an unhandled rejection meanwhile

  // The same (source, externalId) each time: the first write inserts, any later one updates.
  const measurement = {
    kpiKey: 'clicks',
    date: '2027-03-01',
    value: '42',
    source: 'client-suite',
    externalId: 'ws-1',
    lever: 'SOCIAL_ADS',
  };
  let result;
  for (let attempt = 0; attempt < 20 && !result; attempt += 1) {
    const { recordMeasurements } = await graphql(bearer, RECORD, { input: { measurements: [measurement] } });
    assert.deepEqual(recordMeasurements.userErrors, []);
    result = await Promise.race([firstEvent, new Promise((resolve) => setTimeout(resolve, 250))]);
  }
  assert.ok(result, 'no measurementRecorded event within 20 recorded batches (5 s)');
  assert.equal(result.done, false);

  // Completes the subscription (a `complete` message), then closes the socket.
  await subscription.return();
  await client.dispose();
  const close = await within(closedPromise, 5_000, 'the socket to close');
  return { event: result.value, close };
}

function assertEvent({ event, close }) {
  assert.equal(event.errors, undefined, JSON.stringify(event.errors));
  const { change, measurement } = event.data.measurementRecorded;
  assert.ok(['INSERTED', 'UPDATED'].includes(change), change);
  assert.deepEqual(measurement, {
    kpiKey: 'clicks',
    date: '2027-03-01',
    value: '42',
    source: 'client-suite',
    externalId: 'ws-1',
    lever: 'SOCIAL_ADS',
  });
  assert.equal(close.code, 1000, `closed with ${close.code} ${close.reason}`);
}

test('connectionParams {Authorization}: a subscription receives a recorded measurement', { timeout: 30_000 }, async () => {
  const bearer = token('ws-flat');
  assertEvent(await receiveOneMeasurement(bearer, { Authorization: `Bearer ${bearer}` }));
});

// Needs the `{headers: {...}}` form of connection_init (i10-subs).
test('connectionParams {headers: {Authorization}}: the same, with the headers form', { timeout: 30_000 }, async () => {
  const bearer = token('ws-headers');
  assertEvent(await receiveOneMeasurement(bearer, { headers: { Authorization: `Bearer ${bearer}` } }));
});

test('a connection without a credential is closed with 4403', { timeout: 30_000 }, async () => {
  let closed;
  const closedPromise = new Promise((resolve) => (closed = resolve));
  const client = createClient({
    url: WS_URL,
    webSocketImpl: WebSocket,
    connectionParams: {},
    retryAttempts: 0,
    on: { closed: (event) => closed(event) },
  });
  const subscription = client.iterate({ query: SUBSCRIPTION });
  await assert.rejects(subscription.next(), (error) => {
    // graphql-ws rejects with the CloseEvent when the socket closes before completing.
    assert.equal(error.code, 4403);
    return true;
  });
  const close = await within(closedPromise, 5_000, 'the socket to close');
  assert.equal(close.code, 4403);
  await client.dispose();
});
