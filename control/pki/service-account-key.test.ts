import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureServiceAccountKey, SA_KEY_FILE, SA_PUB_FILE } from './service-account-key.js';
import { ensurePki } from './ensure-pki.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'tinykube-sa-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('ensureServiceAccountKey', () => {
  it('creates sa.key (0600, RSA PKCS#1) and sa.pub once, then reuses them', async () => {
    const first = await ensureServiceAccountKey(dir);
    expect((await stat(join(dir, SA_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, SA_KEY_FILE), 'utf8')).toContain('BEGIN RSA PRIVATE KEY');
    expect(await readFile(join(dir, SA_PUB_FILE), 'utf8')).toContain('BEGIN PUBLIC KEY');
    await chmod(join(dir, SA_KEY_FILE), 0o644);
    const again = await ensureServiceAccountKey(dir);
    expect(again.keyId).toBe(first.keyId);
    expect((await stat(join(dir, SA_KEY_FILE))).mode & 0o777).toBe(0o600);
  });

  it('computes the key id as upstream: base64url SHA-256 of the DER public key', async () => {
    const key = await ensureServiceAccountKey(dir);
    const der = key.publicKey.export({ format: 'der', type: 'spki' });
    expect(key.keyId).toBe(createHash('sha256').update(der).digest('base64url'));
    expect(key.keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is part of ensurePki', async () => {
    const pki = await ensurePki({ dir: join(dir, 'pki'), hosts: [] });
    expect(pki.serviceAccountKeyPem).toBe(await readFile(join(dir, 'pki', SA_KEY_FILE), 'utf8'));
  });
});
