import { afterEach, describe, expect, it } from 'vitest';
import { findResource } from '../api/resources.js';
import { eventually } from '../../test/helpers/eventually.js';
import { startControllerEnv } from '../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../controller-manager/testing/controller-env.js';
import type { KubeObject } from '../api/object.js';

const CM = findResource('', 'v1', 'configmaps')!;
const cm = (name: string, v = '1'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v } });

describe('ListWatchInformer over the in-process API server', () => {
  let env: ControllerEnv | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('lists, then follows adds, updates and deletes; handlers see each once', async () => {
    env = await startControllerEnv({ gc: false });
    await env.client.create(CM, 'default', cm('before'));
    const inf = env.ctx.informers.for(CM);
    const seen: string[] = [];
    inf.on({ add: (o) => seen.push(`add ${o.metadata?.name}`), update: (_a, o) => seen.push(`update ${o.metadata?.name}`), delete: (o) => seen.push(`delete ${o.metadata?.name}`) });
    env.start();
    await eventually(async () => { expect(inf.hasSynced()).toBe(true); });
    expect(inf.cache.get('default/before')?.['data']).toEqual({ v: '1' });
    await env.client.create(CM, 'default', cm('after'));
    await env.client.patch(CM, 'default', 'after', 'merge', { data: { v: '2' } });
    await env.client.delete(CM, 'default', 'before');
    await eventually(async () => { expect(seen).toEqual(['add before', 'add after', 'update after', 'delete before']); });
    expect(inf.cache.get('default/after')?.['data']).toEqual({ v: '2' });
    expect(inf.cache.list('default').map((o) => o.metadata?.name)).toEqual(['after']);
  });

  it('client errors carry the server Status', async () => {
    env = await startControllerEnv({ gc: false });
    await expect(env.client.get(CM, 'default', 'nope')).rejects.toMatchObject({ code: 404, reason: 'NotFound' });
  });
});
