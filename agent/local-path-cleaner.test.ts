import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ApiError } from '../control/api/status.js';
import type { RestClient } from '../control/client/rest-client.js';
import { LocalPathCleaner } from './local-path-cleaner.js';

const notFound = () => new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'not found' });

describe('LocalPathCleaner', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

  it('removes directories of PVs that are gone, keeps live and retained ones, and touches nothing else', async () => {
    const base = mkdtempSync(join(tmpdir(), 'tk-lpclean-'));
    dirs.push(base);
    const root = join(base, 'storage');
    const outside = join(base, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep'), 'x');
    for (const n of ['live', 'gone', 'kept', 'live-retain']) { mkdirSync(join(root, n), { recursive: true }); writeFileSync(join(root, n, 'f'), n); }
    symlinkSync(outside, join(root, 'linked'));
    writeFileSync(join(root, '.kept.retain'), '');
    const pvs: Record<string, string> = { live: 'Delete', 'live-retain': 'Retain' };
    const client = {
      get: async (_ri: unknown, _ns: unknown, name: string) => {
        const policy = pvs[name];
        if (!policy) throw notFound();
        return { metadata: { name }, spec: { persistentVolumeReclaimPolicy: policy } };
      },
    } as unknown as RestClient;
    await new LocalPathCleaner({ client, root, log: pino({ level: 'silent' }) }).pass();
    expect(existsSync(join(root, 'gone'))).toBe(false);
    expect(existsSync(join(root, 'live', 'f'))).toBe(true);
    expect(existsSync(join(root, 'kept', 'f'))).toBe(true);
    expect(existsSync(join(root, '.live-retain.retain'))).toBe(true);
    expect(existsSync(join(outside, 'keep'))).toBe(true);

    delete pvs['live-retain'];
    delete pvs['live'];
    await new LocalPathCleaner({ client, root, log: pino({ level: 'silent' }) }).pass();
    expect(existsSync(join(root, 'live'))).toBe(false);
    expect(existsSync(join(root, 'live-retain', 'f'))).toBe(true);
  });
});
