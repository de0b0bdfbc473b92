// The operations the typed client sends. graphql-codegen (client preset) reads every
// `graphql(...)` call in src/ and types it: the functions return TypedDocumentNodes whose
// result and variables types come from the server's schema.
import { graphql } from './gql/index.js';

export const CampaignSummary = graphql(`
  fragment CampaignSummary on Campaign {
    id
    name
    kind
    levers
    startDate
    endDate
    budget
    status
  }
`);

export const PlanSummary = graphql(`
  fragment PlanSummary on Plan {
    id
    name
    periodStart
    periodEnd
    currency
    budget
    status
    version
    createdAt
    campaigns(first: 10) {
      totalCount
      nodes {
        ...CampaignSummary
      }
    }
  }
`);

export const PlansOverview = graphql(`
  query PlansOverview($first: Int!) {
    viewer {
      subject
      role
      tenant {
        key
      }
    }
    plans(first: $first) {
      totalCount
      nodes {
        ...PlanSummary
      }
    }
  }
`);

export const CreatePlan = graphql(`
  mutation CreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      plan {
        ...PlanSummary
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);

export const CreateCampaign = graphql(`
  mutation CreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) {
      campaign {
        ...CampaignSummary
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);
