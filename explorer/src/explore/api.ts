/** The explorer talks to the server only through the public GraphQL API, as any client would. */
export class GraphQLFailure extends Error {
  constructor(messages: string[]) {
    super(messages.join('; '));
    this.name = 'GraphQLFailure';
  }
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => null)) as {
    data?: T;
    errors?: Array<{ message: string }>;
  } | null;
  if (!body) throw new GraphQLFailure([`The server answered ${response.status} without JSON.`]);
  if (body.errors?.length) throw new GraphQLFailure(body.errors.map((e) => e.message));
  return body.data as T;
}
