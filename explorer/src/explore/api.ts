import { credentialHeaders } from './credentials';

/** The explorer talks to the server only through the public GraphQL API, as any client would. */
export class GraphQLFailure extends Error {
  constructor(messages: string[]) {
    super(messages.join('; '));
    this.name = 'GraphQLFailure';
  }
}

/** The server refused the request for want of (valid) credentials: HTTP 401. */
export class CredentialsNeeded extends GraphQLFailure {
  constructor(messages: string[]) {
    super(messages);
    this.name = 'CredentialsNeeded';
  }
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...credentialHeaders() },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => null)) as {
    data?: T;
    errors?: Array<{ message: string }>;
  } | null;
  if (response.status === 401) {
    const messages = body?.errors?.map((e) => e.message) ?? ['The server needs an API key.'];
    throw new CredentialsNeeded([...messages, 'Enter an API key under "API key" at the top of the page.']);
  }
  if (!body) throw new GraphQLFailure([`The server answered ${response.status} without JSON.`]);
  if (body.errors?.length) throw new GraphQLFailure(body.errors.map((e) => e.message));
  return body.data as T;
}
