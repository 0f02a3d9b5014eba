/** The runtime endpoint a data dir's node uses, recorded by `up` and `join` for `down` and `crictl` (small on purpose, as node-name.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RUNTIME_ENDPOINT } from './defaults.js';

/** <data-dir>/runtime-endpoint: one line, the endpoint URL. */
export const RUNTIME_ENDPOINT_FILE = 'runtime-endpoint';

export function recordRuntimeEndpoint(dataDir: string, endpoint: string): void {
  writeFileSync(join(dataDir, RUNTIME_ENDPOINT_FILE), `${endpoint}\n`, { mode: 0o600 });
}

/** What `up` recorded, else Docker's endpoint (a data dir from before the record, or never up). */
export function recordedRuntimeEndpoint(dataDir: string): string {
  try {
    const ep = readFileSync(join(dataDir, RUNTIME_ENDPOINT_FILE), 'utf8').trim();
    if (ep !== '') return ep;
  } catch { /* never recorded: the default runtime */ }
  return DEFAULT_RUNTIME_ENDPOINT;
}
