/**
 * Not public API: `npm run codegen`. Resolver types generated from the SDL in schema/ with
 * @graphql-codegen/core and its typescript plugins, called directly: the codegen CLI's loaders (URL,
 * GitHub, Apollo Engine) and its terminal UI need Node 22, and we only ever read local .graphql files.
 * The settings are in codegen.ts; CODEGEN_OUT writes elsewhere (the freshness test compares the result).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateResolverTypes, OUTPUT } from '../codegen';

const out = process.env.CODEGEN_OUT ?? path.join(__dirname, '..', OUTPUT);
generateResolverTypes()
  .then((text) => writeFileSync(out, text))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
