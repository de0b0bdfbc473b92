// Compile-time checks on the generated types: `tsc --noEmit` fails if one no longer holds
// (an unused `@ts-expect-error` is itself an error). Nothing here runs.
import type { PlanSummaryFragment, UserErrorCode } from './gql/graphql.js';

// UserErrorCode is a closed union of the codes the server emits, not `string`.
export const knownCode: UserErrorCode = 'OUT_OF_RANGE';
// @ts-expect-error: not one of the server's codes
export const unknownCode: UserErrorCode = 'NOT_A_CODE';

// Decimal, Date and DateTime are mapped to string (see codegen.ts for why).
export const budget: PlanSummaryFragment['budget'] = '1250.50';
// @ts-expect-error: money is never a number
export const budgetAsNumber: PlanSummaryFragment['budget'] = 1250.5;
export const periodStart: PlanSummaryFragment['periodStart'] = '2027-01-01';
// @ts-expect-error: a Date is not a JS Date object
export const periodStartAsDate: PlanSummaryFragment['periodStart'] = new Date();
export const createdAt: PlanSummaryFragment['createdAt'] = '2027-01-01T00:00:00Z';
