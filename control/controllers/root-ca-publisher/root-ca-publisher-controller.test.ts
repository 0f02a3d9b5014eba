import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { createRootCaPublisherController, DESCRIPTION_ANNOTATION, desiredRootCa, rootCaIsCurrent } from './root-ca-publisher-controller.js';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
const CA = '-----BEGIN CERTIFICATE-----\nMIIBroot\n-----END CERTIFICATE-----\n';

describe('desiredRootCa / rootCaIsCurrent', () => {
  it('keeps labels, sets the description, replaces the data', () => {
    const cur: ConfigMap & KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'a', labels: { x: 'y' } }, data: { 'ca.crt': 'old', extra: 'e' } };
    const next = desiredRootCa('a', CA, cur);
    expect(next.data).toEqual({ 'ca.crt': CA });
    expect(next.metadata?.labels).toEqual({ x: 'y' });
    expect(rootCaIsCurrent(next, CA)).toBe(true);
    expect(rootCaIsCurrent(cur, CA)).toBe(false);
    expect(rootCaIsCurrent({ ...next, metadata: { name: 'kube-root-ca.crt' } }, CA)).toBe(false);
    expect(cur.data).toEqual({ 'ca.crt': 'old', extra: 'e' }); // the cached object is never touched
  });
});

describe('RootCaPublisherController', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });

  const rootCa = (namespace: string) => env.client.get<ConfigMap & KubeObject>(CONFIGMAPS, namespace, 'kube-root-ca.crt');

  it('publishes in every namespace, restores a changed one and a deleted one', async () => {
    env = await startControllerEnv({ gc: false, options: { ca: { certPem: CA, keyPem: 'unused' } } });
    env.start(createRootCaPublisherController(env.ctx));
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      await eventually(async () => { expect((await rootCa(n)).data).toEqual({ 'ca.crt': CA }); });
    }
    await env.client.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    const cm = await eventually(() => rootCa('team-a'), { timeoutMs: 1000 });
    expect(cm.metadata?.annotations?.[DESCRIPTION_ANNOTATION]).toBeTruthy();

    await env.client.update(CONFIGMAPS, { ...cm, data: { 'ca.crt': 'forged', more: 'x' } });
    await eventually(async () => { expect((await rootCa('team-a')).data).toEqual({ 'ca.crt': CA }); });
    await env.client.delete(CONFIGMAPS, 'team-a', 'kube-root-ca.crt');
    await eventually(async () => { expect((await rootCa('team-a')).data).toEqual({ 'ca.crt': CA }); });
  });

  it('publishes nothing into a terminating namespace', async () => {
    env = await startControllerEnv({ gc: false, options: { ca: { certPem: CA, keyPem: 'unused' } } });
    await env.client.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } });
    await env.client.delete(NAMESPACES, undefined, 'gone'); // stays Terminating: no namespace controller here
    env.start(createRootCaPublisherController(env.ctx));
    await env.nextReconcile('gone', () => env.client.patch(NAMESPACES, undefined, 'gone', 'merge', { metadata: { annotations: { poke: String(Date.now()) } } }));
    await expect(rootCa('gone')).rejects.toSatisfy((e: unknown) => isApiError(e) && e.code === 404);
  });

  it('does nothing without a CA', async () => {
    env = await startControllerEnv({ gc: false });
    await createRootCaPublisherController(env.ctx).run(new AbortController().signal);
    await expect(rootCa('default')).rejects.toSatisfy((e: unknown) => isApiError(e) && e.code === 404);
  });
});
