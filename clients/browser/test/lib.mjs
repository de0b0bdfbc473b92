// What the browser tests share: the server's addresses (from clients/run), tokens minted by the
// levier binary, GraphQL calls from Node, and a headless Chromium from Debian's packages.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests with clients/run browser`);
  }
  return value;
}

export const LEVIER_URL = required('LEVIER_URL');
export const GRAPHQL_URL = required('LEVIER_GRAPHQL_URL');
const LEVIER_BIN = required('LEVIER_BIN');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** A token signed as the server verifies, from `levier token`. */
export function token({ tenant, role = 'admin', subject = 'browser-test' }) {
  return execFileSync(LEVIER_BIN, ['token', '--tenant', tenant, '--role', role, '--subject', subject], {
    encoding: 'utf8'
  }).trim();
}

/** Runs a GraphQL operation from Node; returns `data`, failing on any error. */
export async function graphql(bearer, query, variables = {}) {
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables })
  });
  const body = await response.json();
  if (!response.ok || body.errors) {
    throw new Error(`GraphQL answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.data;
}

/** Whether `url` is on this machine (a page that is offline asks nothing of any other host). */
export function isLoopback(url) {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') {
    return true;
  }
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Starts headless Chromium (Debian's, never a downloaded build) with a fresh profile and the
 * flags that keep it from calling home; `use(context)` runs in its browser context, then everything is cleaned up.
 */
export async function withChromium(use) {
  const profile = mkdtempSync(join(tmpdir(), 'levier-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  });
  try {
    return await use(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
