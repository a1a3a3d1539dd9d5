#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('vigil: not built yet — run `npm install` (or `npm run build`) in the Vigil folder first\n');
  process.exit(1);
}
const { run } = await import(main);
process.exitCode = await run(process.argv);
