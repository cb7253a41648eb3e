import type { AddressInfo } from 'node:net';
import type { App } from '../../src/app';

/** Starts an app's HTTP server on a free loopback port and returns its base URL. */
export async function listen(app: App): Promise<string> {
  await new Promise<void>((resolve) => app.http.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(app.http.address() as AddressInfo).port}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are walked as plain JSON by the tests
export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are walked as plain JSON by the tests
export async function postGraphQL<T = Record<string, any>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}
