// graphql-codegen with the client preset, reading the schema from a running Levier server by
// introspection (public, no token needed). `run` calls it with LEVIER_GRAPHQL_URL set;
// by hand: LEVIER_GRAPHQL_URL=http://127.0.0.1:8080/graphql npx graphql-codegen --config codegen.ts
import type { CodegenConfig } from '@graphql-codegen/cli';

const schema = process.env.LEVIER_GRAPHQL_URL ?? 'http://127.0.0.1:8080/graphql';

// Levier's custom scalars travel as JSON strings and stay strings in TypeScript, JSON aside:
// - Decimal ("1250.50"): money and measurement values are exact decimals; a JS number would
//   round them (0.1 + 0.2) and drop the trailing zeros the currency needs. Hand the string to
//   a decimal library (decimal.js, big.js) or Intl.NumberFormat for display.
// - Date ("2027-03-01"): a calendar day with no time zone; `new Date("2027-03-01")` would
//   read it as UTC midnight and show the day before west of Greenwich.
// - DateTime (RFC 3339, "2027-03-01T09:30:00Z"): kept as sent; parse it where needed.
// Input and output are the same type, so the same value can be sent back (expectedVersion
// updates, copyPlan).
// - JSON (an audit entry's `before`, `after` and `details`): any JSON value, typed `unknown`
//   so that a reader narrows it before use.
const scalars = {
  Date: 'string',
  DateTime: 'string',
  Decimal: 'string',
  JSON: 'unknown',
};

const config: CodegenConfig = {
  schema,
  documents: ['src/**/*.ts', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    // Typed documents (TypedDocumentNode) for every `graphql(...)` call in src/.
    'src/gql/': {
      preset: 'client',
      config: {
        scalars,
        // Fail on a scalar without a mapping rather than typing it `any`.
        strictScalars: true,
        // Enums as string unions ('OUT_OF_RANGE' | 'NOT_FOUND' | …), as they arrive in JSON.
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
    // The possibleTypes of every interface and union (Node among them) for Apollo's cache.
    'src/gql/possible-types.json': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3 },
    },
  },
};

export default config;
