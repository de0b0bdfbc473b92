// graphql-codegen (client preset): `run` generated src/gql/ from the server's introspection and
// type-checked src/ with tsc; this runs the typed client against the server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { planReport } from '../src/plan-report.js';
import { GRAPHQL_URL, RUN, token } from './support.mjs';

test('the generated types describe the schema the server introspects', () => {
  // UserErrorCode is a union of exactly the values of the enum in the checked-in schema.
  const generated = readFileSync(new URL('../src/gql/graphql.ts', import.meta.url), 'utf8');
  const union = /export type UserErrorCode =([\s\S]*?);\n/.exec(generated)?.[1] ?? '';
  const fromTypes = [...union.matchAll(/\| '([A-Z_]+)'/g)].map((match) => match[1]);
  const schema = readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8');
  const enumBody = /enum UserErrorCode \{([\s\S]*?)\n\}/.exec(schema)?.[1] ?? '';
  const fromSchema = [...enumBody.matchAll(/^\s*([A-Z_]+)$/gm)].map((match) => match[1]);
  assert.ok(fromSchema.length > 5, 'UserErrorCode not found in schema.graphql');
  assert.deepEqual(fromTypes, fromSchema);
  // Decimal inputs are strings.
  assert.match(generated, /export type CreatePlanInput = \{[\s\S]*?\n  budget: string;/);
});

test('the typed client creates, refuses and reads plans', { timeout: 30_000 }, async () => {
  const report = await planReport(GRAPHQL_URL, token('codegen', 'editor'));

  // Decimals come back as the strings sent (two decimals, as EUR has).
  assert.equal(report.createdBudget, '300.25');
  assert.equal(report.campaignBudget, '150.75');
  // A negative budget is refused in userErrors, with its field path and an enum code.
  assert.deepEqual(report.refusedCodes, ['OUT_OF_RANGE']);
  assert.deepEqual(report.refusedFields, [['input', 'budget']]);
  // ...and nothing was written: one plan, read back through the fragments.
  assert.equal(report.tenant, `codegen-${RUN}`);
  assert.equal(report.totalCount, 1);
  assert.deepEqual(report.plans, [
    {
      name: 'Typed plan 2027',
      budget: '300.25',
      periodStart: '2027-01-01',
      campaigns: ['Spring launch'],
    },
  ]);
});
