/**
 * What GET / shows in a browser. Apollo Sandbox (loaded from Apollo's CDN) when it is enabled, with its
 * telemetry off and, visibly, links to the local GraphiQL and explorer (the page it falls back to offline names
 * them instead of only saying it cannot load). With Sandbox off (the default under NODE_ENV=production), a
 * page served entirely from here: nothing is fetched from another origin.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Config } from '../config';

export type LandingPageConfig = Partial<Pick<Config, 'LANDING_PAGE_SANDBOX' | 'NODE_ENV'>>;

/** Sandbox unless turned off, or in production unless turned on. */
export function sandboxEnabled(config: LandingPageConfig): boolean {
  return config.LANDING_PAGE_SANDBOX ?? config.NODE_ENV !== 'production';
}

const LOCAL_LINKS =
  '<a href="/graphiql">GraphiQL</a> (the API, with the README\'s queries) and ' +
  '<a href="/explore">the explorer</a> (ownership, verdicts, lineage and screening as pictures)';

export function localLandingPage(): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8" /><meta name="viewport" content="width=device-width,initial-scale=1" />
<title>AI Exposure Graph</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
a { color: #0b57d0; }
</style></head>
<body>
<main>
<h1>AI Exposure Graph</h1>
<p>This server answers GraphQL at <code>/graphql</code> (POST, or GET with <code>?query=</code>).</p>
<ul>
<li><a href="/graphiql">GraphiQL</a>: write queries against the API; the README's queries are saved as tabs.</li>
<li><a href="/explore">Explorer</a>: ownership graphs, verdicts with their paths, model lineage, access, screening.</li>
<li><a href="/readyz">/readyz</a>: whether the database is reachable.</li>
</ul>
</main>
</body>
</html>`;
}

/** Apollo's Sandbox page, with the offline message naming the local pages and a bar linking to them. */
function withLocalLinks(html: string): string {
  const nonce = /nonce="?([0-9a-f]+)/.exec(html)?.[1] ?? '';
  const bar =
    `<style nonce="${nonce}">#local-links { position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; ` +
    `background: #fff; border: 1px solid #888; border-radius: 4px; padding: 6px 10px; ` +
    `font: 14px system-ui, sans-serif; }</style>` +
    `<nav id="local-links" aria-label="Local pages">Offline? Use ${LOCAL_LINKS}.</nav>`;
  return (
    html
      // Sandbox's page also asks Google Fonts and Apollo's CDN for a font, icons and a manifest that the page
      // does not need: the only request left to another origin is Sandbox itself.
      .replace(/<link\s+rel="preconnect"[^>]*>/g, '')
      .replace(/<link\s+href="https:\/\/fonts\.googleapis\.com[^>]*>/g, '')
      .replace(/<link\s+rel="(icon|apple-touch-icon|manifest)"[^>]*>/g, '')
      .replace(
        /<p>Apollo Sandbox cannot be loaded; it appears that you might be offline\.<\/p>/,
        `<p>Apollo Sandbox cannot be loaded (it comes from Apollo's CDN; this machine may be offline).</p>` +
          `<p>Everything else is served from here: ${LOCAL_LINKS}.</p>`,
      )
      .replace('</body>', `${bar}</body>`)
  );
}

export function landingPagePlugin(config: LandingPageConfig): ApolloServerPlugin {
  const sandbox = ApolloServerPluginLandingPageLocalDefault({
    embed: { runTelemetry: false, endpointIsEditable: false },
    includeCookies: false,
    footer: false,
  });
  const useSandbox = sandboxEnabled(config);
  return {
    async serverWillStart(service) {
      if (!useSandbox) {
        return { renderLandingPage: () => Promise.resolve({ html: localLandingPage() }) };
      }
      const listener = await sandbox.serverWillStart!(service);
      if (!listener?.renderLandingPage) throw new Error("Apollo's Sandbox plugin rendered no landing page.");
      const render = () => listener.renderLandingPage!();
      return {
        async renderLandingPage() {
          const page = await render();
          const html = page.html;
          return { html: async () => withLocalLinks(typeof html === 'string' ? html : await html()) };
        },
      };
    },
  };
}
