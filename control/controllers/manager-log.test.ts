import { afterEach, describe, expect, it } from 'vitest';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { findResource } from '../api/resources.js';
import { startTestServer } from '../apiserver/testing/test-server.js';
import type { TestServer } from '../apiserver/testing/test-server.js';
import { RestClient } from '../client/rest-client.js';
import { InjectTransport } from '../client/transport.js';
import type { Injectable } from '../client/transport.js';
import { startControllerManager } from '../controller-manager/controller-manager.js';
import type { RunningManager } from '../controller-manager/controller-manager.js';
import { DEFAULT_CONTROLLER_OPTIONS } from '../controller-manager/controller-options.js';
import { FakeKubelet } from '../controller-manager/testing/fake-kubelet.js';
import { SCHEDULER } from '../scheduler/scheduler.js';
import { systemClock } from '../util/clock.js';
import { LogCapture } from '../util/testing/log-capture.js';
import { eventually } from '../../test/helpers/eventually.js';
import { CONTROLLERS } from './all.js';

const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
const PODS = findResource('', 'v1', 'pods')!;

describe('the controller manager logs each key once per line', () => {
  let server: TestServer;
  let manager: RunningManager | undefined;
  const ac = new AbortController();
  afterEach(async () => { ac.abort(); await manager?.stop(); await server.close(); });

  it('binds component/controller once for the controllers and component once for the scheduler', async () => {
    server = await startTestServer();
    const capture = new LogCapture();
    const transport = new InjectTransport(server.app as unknown as Injectable);
    const kubelet = new FakeKubelet({ client: new RestClient(transport), nodeName: 'node-1' });
    await kubelet.register();
    void kubelet.run(ac.signal);
    manager = startControllerManager({
      transport, log: capture.log, clock: systemClock, options: DEFAULT_CONTROLLER_OPTIONS,
      controllers: [SCHEDULER, ...CONTROLLERS],
    });
    const client = new RestClient(transport);
    const labels = { app: 'web' };
    await client.create<Deployment & KubeObject>(DEPLOYMENTS, 'default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } } },
    } as KubeObject);
    await eventually(async () => {
      const pods = await client.list<Pod & KubeObject>(PODS, 'default');
      expect(pods.items.map((p) => p.spec?.nodeName)).toEqual(['node-1']);
    });
    const seen = (component: string, name: string, msg: string) => capture.entries.some((e) =>
      e['component'] === component && (e['controller'] ?? e['scheduler']) === name && e['msg'] === msg);
    await eventually(() => {
      expect(seen('controller', 'deployment', 'Reconciled')).toBe(true);
      expect(seen('controller', 'replicaset', 'Reconciled')).toBe(true);
      expect(seen('scheduler', 'default-scheduler', 'Bound pod')).toBe(true);
    });
    expect(capture.lines.length).toBeGreaterThan(10);
    expect(capture.duplicates()).toEqual([]);
  });
});
