// A small typed client built on the generated documents: it creates a plan with a campaign,
// sends an invalid plan to read its userErrors, and reads the plans back through fragments.
// `tsc --noEmit` checks it against the generated types; the suite then runs it.
//   LEVIER_GRAPHQL_URL=… LEVIER_TOKEN=… npx tsx src/plan-report.ts
import { execute } from './execute.js';
import { useFragment } from './gql/fragment-masking.js';
import type { CreatePlanInput, UserErrorCode } from './gql/graphql.js';
import {
  CampaignSummary,
  CreateCampaign,
  CreatePlan,
  PlanSummary,
  PlansOverview,
} from './operations.js';

export interface PlanReport {
  createdPlanId: string;
  createdBudget: string; // Decimal: a string, never a float
  campaignBudget: string;
  refusedCodes: UserErrorCode[];
  refusedFields: string[][];
  tenant: string;
  plans: { name: string; budget: string; periodStart: string; campaigns: string[] }[];
  totalCount: number;
}

export async function planReport(url: string, token: string): Promise<PlanReport> {
  const input: CreatePlanInput = {
    name: 'Typed plan 2027',
    periodStart: '2027-01-01',
    periodEnd: '2027-12-31',
    currency: 'EUR',
    budget: '300.25',
  };
  const created = await execute(url, token, CreatePlan, { input });
  const plan = useFragment(PlanSummary, created.createPlan.plan);
  if (!plan) {
    throw new Error(`createPlan refused: ${JSON.stringify(created.createPlan.userErrors)}`);
  }

  const campaignResult = await execute(url, token, CreateCampaign, {
    input: {
      planId: plan.id,
      name: 'Spring launch',
      kind: 'AWARENESS',
      levers: ['SEO', 'SEA'],
      startDate: '2027-03-01',
      endDate: '2027-05-31',
      budget: '150.75',
    },
  });
  const campaign = useFragment(CampaignSummary, campaignResult.createCampaign.campaign);
  if (!campaign) {
    throw new Error(`createCampaign refused: ${JSON.stringify(campaignResult.createCampaign.userErrors)}`);
  }

  // A negative budget: refused in userErrors, nothing written.
  const refused = await execute(url, token, CreatePlan, {
    input: { ...input, name: 'Refused plan', budget: '-1' },
  });

  const overview = await execute(url, token, PlansOverview, { first: 10 });
  const plans = overview.plans.nodes.map((node) => {
    const summary = useFragment(PlanSummary, node);
    return {
      name: summary.name,
      budget: summary.budget,
      periodStart: summary.periodStart,
      campaigns: summary.campaigns.nodes.map((c) => useFragment(CampaignSummary, c).name),
    };
  });

  return {
    createdPlanId: plan.id,
    createdBudget: plan.budget,
    campaignBudget: campaign.budget,
    refusedCodes: refused.createPlan.userErrors.map((error) => error.code),
    refusedFields: refused.createPlan.userErrors.map((error) => error.field),
    tenant: overview.viewer.tenant.key,
    plans,
    totalCount: overview.plans.totalCount,
  };
}

// Run directly: print the report.
if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.LEVIER_GRAPHQL_URL ?? 'http://127.0.0.1:8080/graphql';
  const token = process.env.LEVIER_TOKEN;
  if (!token) {
    throw new Error('set LEVIER_TOKEN (levier token --tenant acme --role editor)');
  }
  console.log(JSON.stringify(await planReport(url, token), null, 2));
}
