#!/usr/bin/env node
// The `tinykube` that `npm install -g .` and `npm link` put on PATH: runs the built CLI
// (dist/cli/main.js), building it first (npm ci, tsc) when this checkout has not been built yet.
// scripts/tinykube does the same and also installs the host's packages and starts dockerd.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(main)) {
  const steps = existsSync(join(root, 'node_modules', 'typescript')) ? [] : [['npm', ['ci']]];
  steps.push(['npx', ['tsc', '-p', 'tsconfig.json']]);
  for (const [cmd, args] of steps) {
    process.stderr.write(`Building tinykube: ${cmd} ${args.join(' ')}\n`);
    const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) {
      process.stderr.write(`tinykube: "${cmd} ${args.join(' ')}" failed in ${root}\n`);
      process.exit(1);
    }
  }
}
await import(pathToFileURL(main).href);
