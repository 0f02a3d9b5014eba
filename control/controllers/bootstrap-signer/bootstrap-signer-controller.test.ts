import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { parseClusterInfoKubeconfig } from '../../bootstrap-token/cluster-info.js';
import { verifyDetachedSignature } from '../../bootstrap-token/jws.js';
import { buildTokenSecret } from '../../bootstrap-token/token-secret.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { clusterInfoData, createBootstrapSignerController, signingTokens } from './bootstrap-signer-controller.js';

const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
const SECRETS = findResource('', 'v1', 'secrets')!;
const CA = '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';
const SERVER = 'https://10.0.0.1:6443';
const NOW = new Date('2026-01-01T00:00:00Z');

const tokenSecret = (id: string, o: { usages?: string[]; expires?: Date } = {}) => buildTokenSecret({
  token: { id, secret: `${id}0123456789` }, usages: o.usages ?? ['authentication', 'signing'], groups: [], ...(o.expires ? { expires: o.expires } : {}),
});

describe('signingTokens / clusterInfoData', () => {
  it('picks unexpired signing tokens, sorted', () => {
    const got = signingTokens([
      tokenSecret('bbbbbb'), tokenSecret('aaaaaa', { expires: new Date('2026-01-02T00:00:00Z') }),
      tokenSecret('cccccc', { usages: ['authentication'] }), tokenSecret('dddddd', { expires: new Date('2025-01-01T00:00:00Z') }),
      { ...tokenSecret('eeeeee'), metadata: { name: 'bootstrap-token-eeeeee', namespace: 'default' } },
    ], NOW);
    expect(got.map((t) => t.id)).toEqual(['aaaaaa', 'bbbbbb']);
    expect(got[0]?.expires).toEqual(new Date('2026-01-02T00:00:00Z'));
  });

  it('keeps other keys, replaces the kubeconfig and every signature', () => {
    const data = clusterInfoData({ other: 'x', kubeconfig: 'old', 'jws-kubeconfig-zzzzzz': 'stale' }, 'new', [{ id: 'aaaaaa', secret: 'aaaaaa0123456789' }]);
    expect(Object.keys(data).sort()).toEqual(['jws-kubeconfig-aaaaaa', 'kubeconfig', 'other']);
    expect(verifyDetachedSignature(data['jws-kubeconfig-aaaaaa']!, 'new', 'aaaaaa', 'aaaaaa0123456789')).toBe(true);
  });
});

describe('BootstrapSignerController', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });

  const clusterInfo = () => env.client.get<ConfigMap & KubeObject>(CONFIGMAPS, 'kube-public', 'cluster-info');

  it('creates cluster-info, signs with signing tokens, drops signatures of deleted and expiring tokens', async () => {
    env = await startControllerEnv({ gc: false, options: { ca: { certPem: CA, keyPem: 'unused' }, advertisedServer: SERVER } });
    env.start(createBootstrapSignerController(env.ctx));
    await eventually(async () => {
      const cm = await clusterInfo();
      expect(parseClusterInfoKubeconfig(cm.data?.['kubeconfig'] ?? '')).toEqual({ server: SERVER, caCertPem: CA });
      expect(Object.keys(cm.data ?? {})).toEqual(['kubeconfig']);
    });

    await env.client.create(SECRETS, 'kube-system', tokenSecret('aaaaaa'));
    await env.client.create(SECRETS, 'kube-system', tokenSecret('bbbbbb', { usages: ['authentication'] }));
    await env.client.create(SECRETS, 'kube-system', tokenSecret('cccccc', { expires: new Date(Date.now() + 2500) }));
    await eventually(async () => {
      const data = (await clusterInfo()).data ?? {};
      expect(Object.keys(data).sort()).toEqual(['jws-kubeconfig-aaaaaa', 'jws-kubeconfig-cccccc', 'kubeconfig']);
      expect(verifyDetachedSignature(data['jws-kubeconfig-aaaaaa']!, data['kubeconfig']!, 'aaaaaa', 'aaaaaa0123456789')).toBe(true);
    });

    await env.client.delete(SECRETS, 'kube-system', 'bootstrap-token-aaaaaa');
    // cccccc expires on its own: the controller looks again then, with no event to wake it
    await eventually(async () => { expect(Object.keys((await clusterInfo()).data ?? {})).toEqual(['kubeconfig']); }, { timeoutMs: 5000 });
  });

  it('puts back a kubeconfig someone changed', async () => {
    env = await startControllerEnv({ gc: false, options: { ca: { certPem: CA, keyPem: 'unused' }, advertisedServer: SERVER } });
    await env.client.create(CONFIGMAPS, 'kube-public', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public' }, data: { kubeconfig: 'edited', extra: 'kept' } });
    env.start(createBootstrapSignerController(env.ctx));
    await eventually(async () => {
      const data = (await clusterInfo()).data ?? {};
      expect(parseClusterInfoKubeconfig(data['kubeconfig'] ?? '')?.server).toBe(SERVER);
      expect(data['extra']).toBe('kept');
    });
  });

  it('does nothing without a CA and an advertised server', async () => {
    env = await startControllerEnv({ gc: false });
    await createBootstrapSignerController(env.ctx).run(new AbortController().signal);
    await expect(clusterInfo()).rejects.toSatisfy((e: unknown) => isApiError(e) && e.code === 404);
  });
});
