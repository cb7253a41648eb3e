/**
 * The local GraphiQL at /graphiql: bundled from npm (no CDN, no web fonts), with the README's queries as saved
 * tabs and the headers editor open, so an API key can be added without leaving the page.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { credentialHeaders } from '../explore/credentials';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';

declare const __README_EXAMPLES__: Array<{ title: string; query: string }>;

/** GraphiQL names a tab after its operation; the README's blocks are anonymous, so each gets a name. */
function namedTab(example: { title: string; query: string }): { query: string } {
  const name = example.title
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .split(' ')
    .filter(Boolean)
    .slice(0, 6)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  const body = example.query.trimStart().startsWith('{')
    ? `query ${name} ${example.query.trimStart()}`
    : example.query;
  return { query: `# ${example.title}\n${body}\n` };
}

/** The explorer's key for this tab, if one was set there, so GraphiQL reads as the same client. */
function startingHeaders(): string {
  const headers = credentialHeaders();
  return Object.keys(headers).length ? JSON.stringify(headers, null, 2) : '{\n  \n}';
}

const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).toString() });
const root = document.getElementById('graphiql');
if (!root) throw new Error('The page has no #graphiql element.');
createRoot(root).render(
  <GraphiQL
    fetcher={fetcher}
    defaultTabs={__README_EXAMPLES__.map(namedTab)}
    defaultHeaders={startingHeaders()}
    isHeadersEditorEnabled
    shouldPersistHeaders={false}
    defaultEditorToolsVisibility="headers"
  >
    <GraphiQL.Logo>
      <a href="/explore">AI Exposure Graph</a> · GraphiQL
    </GraphiQL.Logo>
  </GraphiQL>,
);
