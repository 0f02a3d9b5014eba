import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fsUserOf, tokenFileMode } from './projected-token.js';
import type { TokenRequestFor, TokenSource } from './token-manager.js';
import { VolumeError, prepareVolumes } from './volumes.js';
import { volumeHostPath } from './volume-paths.js';

const apiAccess: Volume = {
  name: 'kube-api-access-abcde',
  projected: {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};
const pod = (securityContext: Record<string, number> = {}, containers: Container[] = [{ name: 'c' }]): Pod => ({
  metadata: { namespace: 'team', name: 'p', uid: 'uid-1' },
  spec: { serviceAccountName: 'runner', securityContext, containers, volumes: [apiAccess] },
});
const refs = { configMaps: { 'kube-root-ca.crt': { data: { 'ca.crt': 'CA PEM' } } }, secrets: {} };
const ctx = { podIP: '', hostIP: '', nodeAllocatable: { cpu: 1, memory: 1 } };

describe('projected serviceAccountToken', () => {
  let dataDir: string;
  const asked: TokenRequestFor[] = [];
  const tokens: TokenSource = { token: async (r) => { asked.push(r); return 'header.claims.sig'; }, forgetPod: () => undefined };
  beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'tk-proj-')); asked.length = 0; });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const dir = (p: Pod) => volumeHostPath(dataDir, p.metadata!.uid!, apiAccess)!;

  it('writes token, ca.crt and namespace, the token asked for the pod and its ServiceAccount', async () => {
    const p = pod();
    await prepareVolumes(p, refs, dataDir, ctx, tokens);
    expect(readFileSync(join(dir(p), 'token'), 'utf8')).toBe('header.claims.sig');
    expect(readFileSync(join(dir(p), 'ca.crt'), 'utf8')).toBe('CA PEM');
    expect(readFileSync(join(dir(p), 'namespace'), 'utf8')).toBe('team');
    expect(lstatSync(join(dir(p), 'token')).isSymbolicLink()).toBe(true);
    expect(statSync(join(dir(p), 'token')).mode & 0o777).toBe(0o644);
    expect(asked).toEqual([{ namespace: 'team', serviceAccount: 'runner', expirationSeconds: 3607, pod: { name: 'p', uid: 'uid-1' } }]);
  });

  it('with runAsUser the token is 0600 and owned by that user; fsGroup then makes it 0640', async () => {
    const p = pod({ runAsUser: 1234 });
    await prepareVolumes(p, refs, dataDir, ctx, tokens);
    const st = statSync(join(dir(p), 'token'));
    expect([st.mode & 0o777, st.uid]).toEqual([0o600, 1234]);
    expect(statSync(join(dir(p), 'ca.crt')).mode & 0o777).toBe(0o644);
    const g: Pod = { ...pod({ runAsUser: 1234, fsGroup: 2000 }), metadata: { namespace: 'team', name: 'p', uid: 'uid-2' } };
    await prepareVolumes(g, refs, dataDir, ctx, tokens);
    const gs = statSync(join(dir(g), 'token'));
    expect([gs.mode & 0o777, gs.uid, gs.gid]).toEqual([0o640, 1234, 2000]);
  });

  it('a token that cannot be had fails the mount with the reason', async () => {
    const failing: TokenSource = { token: async () => { throw new Error('failed to fetch token: serviceaccounts "runner" not found'); }, forgetPod: () => undefined };
    const err = await prepareVolumes(pod(), refs, dataDir, ctx, failing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VolumeError);
    expect(err).toMatchObject({ volume: 'kube-api-access-abcde', message: 'failed to fetch token: serviceaccounts "runner" not found' });
  });

  it('fsUser is the one runAsUser every container shares, else none', () => {
    expect(fsUserOf(pod({ runAsUser: 5 }))).toBe(5);
    expect(fsUserOf(pod({}, [{ name: 'a', securityContext: { runAsUser: 7 } }, { name: 'b', securityContext: { runAsUser: 7 } }]))).toBe(7);
    expect(fsUserOf(pod({}, [{ name: 'a', securityContext: { runAsUser: 7 } }, { name: 'b' }]))).toBeUndefined();
    expect(fsUserOf(pod({ runAsUser: 5 }, [{ name: 'a', securityContext: { runAsUser: 7 } }, { name: 'b' }]))).toBeUndefined();
    expect(tokenFileMode(pod({ fsGroup: 3 }), 0o644)).toEqual({ mode: 0o600 });
    expect(tokenFileMode(pod(), 0o440)).toEqual({ mode: 0o440 });
  });
});
