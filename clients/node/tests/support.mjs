// What every test of the suite shares: the server's addresses (exported by clients/run), tokens
// minted by the levier binary, and a plain fetch to set up data.
import { execFileSync } from 'node:child_process';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run this suite through clients/run, which starts a server`);
  }
  return value;
}

export const LEVIER_URL = required('LEVIER_URL');
export const GRAPHQL_URL = required('LEVIER_GRAPHQL_URL');
export const WS_URL = required('LEVIER_WS_URL');
const LEVIER_BIN = required('LEVIER_BIN');

// Each run's tenants are new ones, so that a suite can run again against the same server.
export const RUN = Date.now().toString(36);

/**
 * A development token for the tenant `<tenant>-<RUN>` (each test file uses its own tenant, so
 * counts are its own).
 * @param {string} tenant
 * @param {'viewer' | 'editor' | 'admin'} [role]
 * @returns {string}
 */
export function token(tenant, role = 'admin') {
  return execFileSync(
    LEVIER_BIN,
    ['token', '--tenant', `${tenant}-${RUN}`, '--role', role, '--subject', `${tenant}-client-suite`],
    { encoding: 'utf8' },
  ).trim();
}

/**
 * Runs one GraphQL operation with plain fetch and returns its data; throws on any error.
 * @param {string} bearer
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 * @returns {Promise<any>}
 */
export async function graphql(bearer, query, variables = {}) {
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.text();
  if (!response.ok) {
    throw new Error(`POST /graphql answered ${response.status}: ${body}`);
  }
  const { data, errors } = JSON.parse(body);
  if (errors?.length) {
    throw new Error(`GraphQL errors: ${JSON.stringify(errors)}`);
  }
  return data;
}

/**
 * Creates a plan for 2027 and one campaign in it; returns both IDs.
 * @param {string} bearer
 * @returns {Promise<{ planId: string, campaignId: string }>}
 */
export async function seedPlanAndCampaign(bearer) {
  const { createPlan } = await graphql(
    bearer,
    `mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } userErrors { field message code } } }`,
    {
      input: {
        name: 'Plan 2027',
        periodStart: '2027-01-01',
        periodEnd: '2027-12-31',
        currency: 'EUR',
        budget: '120000.25',
      },
    },
  );
  expectNoUserErrors('createPlan', createPlan);
  const { createCampaign } = await graphql(
    bearer,
    `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } userErrors { field message code } } }`,
    {
      input: {
        planId: createPlan.plan.id,
        name: 'Spring launch',
        kind: 'AWARENESS',
        levers: ['SEO', 'SEA'],
        startDate: '2027-03-01',
        endDate: '2027-05-31',
        budget: '15000.75',
      },
    },
  );
  expectNoUserErrors('createCampaign', createCampaign);
  return { planId: createPlan.plan.id, campaignId: createCampaign.campaign.id };
}

/**
 * @param {string} mutation
 * @param {{ userErrors: unknown[] }} payload
 */
export function expectNoUserErrors(mutation, payload) {
  if (payload.userErrors.length) {
    throw new Error(`${mutation} refused its input: ${JSON.stringify(payload.userErrors)}`);
  }
}

/**
 * Resolves with the promise's value, or rejects after `ms` naming what was awaited.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
export function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
