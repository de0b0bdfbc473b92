// A typed `execute` for the documents codegen generates: the variables are checked against the
// operation's, the result typed by its selection. Plain fetch, no client library.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export class GraphQLRequestError extends Error {}

export async function execute<TResult, TVariables>(
  url: string,
  token: string,
  document: TypedDocumentNode<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: TResult; errors?: unknown[] };
  if (!response.ok || body.errors?.length || body.data === undefined) {
    throw new GraphQLRequestError(`${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}
