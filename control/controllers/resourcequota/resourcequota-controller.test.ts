import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/helpers/eventually.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { calculateQuotaStatus } from './quota-usage-calculator.js';
import { createResourceQuotaController } from './resourcequota-controller.js';

const QUOTAS = findResource('', 'v1', 'resourcequotas')!;
const PODS = findResource('', 'v1', 'pods')!;
const SECRETS = findResource('', 'v1', 'secrets')!;

const pod = (name: string, cpu?: string, phase?: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'i', ...(cpu ? { resources: { requests: { cpu }, limits: { cpu } } } : {}) }] },
  ...(phase ? { status: { phase } } : {}),
});

describe('calculateQuotaStatus', () => {
  it('mirrors hard and sums only the named resources of matching, counting objects', () => {
    const rq: ResourceQuota = { spec: { hard: { pods: '5', 'requests.cpu': '2', 'limits.cpu': '2' }, scopes: ['NotBestEffort'] } };
    const status = calculateQuotaStatus(rq, [{ group: '', resource: 'pods', items: [pod('a', '500m'), pod('b', '250m'), pod('c'), pod('d', '1', 'Succeeded')] }], new Date());
    expect(status).toEqual({ hard: { pods: '5', 'requests.cpu': '2', 'limits.cpu': '2' }, used: { 'limits.cpu': '750m', pods: '2', 'requests.cpu': '750m' } });
  });
});

describe('ResourceQuotaController', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });

  const status = async () => (await env.client.get<ResourceQuota & KubeObject>(QUOTAS, 'default', 'q')).status;

  it('computes status promptly and follows creates and deletes', async () => {
    env = await startControllerEnv({ gc: false });
    env.start(createResourceQuotaController(env.ctx));
    await env.client.create(SECRETS, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    await env.client.create(QUOTAS, 'default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' },
      spec: { hard: { pods: '5', secrets: '3', resourcequotas: '1', 'count/replicasets.apps': '2' } } });
    await eventually(async () => expect((await status())?.used).toEqual({ 'count/replicasets.apps': '0', pods: '0', resourcequotas: '1', secrets: '1' }), { timeoutMs: 2000 });
    await env.client.create(PODS, 'default', pod('a'));
    await eventually(async () => expect((await status())?.used?.['pods']).toBe('1'), { timeoutMs: 2000 });
    await env.client.delete(SECRETS, 'default', 's');
    await eventually(async () => expect((await status())?.used?.['secrets']).toBe('0'), { timeoutMs: 2000 });
    expect((await status())?.hard).toEqual({ pods: '5', secrets: '3', resourcequotas: '1', 'count/replicasets.apps': '2' });
  });
});
