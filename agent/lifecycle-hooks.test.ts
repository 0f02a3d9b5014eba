import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../test/helpers/eventually.js';
import { PODS, startAgentHarness } from './testing/agent-harness.js';
import type { AgentHarness } from './testing/agent-harness.js';

let h: AgentHarness;
afterEach(async () => { await h?.close(); });

const running = (name: string) => async () => { expect((await h.getPod(name))?.status?.phase).toBe('Running'); };

describe('lifecycle hooks', () => {
  it('runs an exec postStart hook in the started container, and an exec preStop hook before it is stopped', async () => {
    h = await startAgentHarness();
    const seen: string[] = [];
    h.runtime.onExec('app', (cmd) => { seen.push(`exec ${cmd.join(' ')} (stops so far: ${h.runtime.stops.length})`); return { exitCode: 0 }; });
    await h.createPod({ metadata: { name: 'hooks' }, spec: { terminationGracePeriodSeconds: 20, containers: [{ name: 'app', image: 'busybox:1', lifecycle: {
      postStart: { exec: { command: ['sh', '-c', 'echo poststart'] } }, preStop: { exec: { command: ['sh', '-c', 'echo prestop'] } } } }] } });
    await eventually(running('hooks'));
    expect(seen).toEqual(['exec sh -c echo poststart (stops so far: 0)']);
    await h.client.delete(PODS, 'default', 'hooks', { gracePeriodSeconds: 20 });
    await eventually(async () => { expect(await h.getPod('hooks')).toBeUndefined(); });
    expect(seen).toEqual(['exec sh -c echo poststart (stops so far: 0)', 'exec sh -c echo prestop (stops so far: 0)']);
    expect(h.runtime.stops[0]?.timeoutSeconds).toBeGreaterThanOrEqual(19);
  });

  it('GETs an httpGet postStart hook from the node (host and path as given, port by name)', async () => {
    const paths: string[] = [];
    const srv = createServer((req, res) => { paths.push(req.url ?? ''); res.end('ok'); });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      h = await startAgentHarness();
      const port = (srv.address() as AddressInfo).port;
      await h.createPod({ metadata: { name: 'http-hook' }, spec: { containers: [{ name: 'app', image: 'busybox:1', ports: [{ name: 'web', containerPort: port }],
        lifecycle: { postStart: { httpGet: { host: '127.0.0.1', port: 'web', path: '/echo?msg=poststart' } } } }] } });
      await eventually(running('http-hook'));
      expect(paths).toEqual(['/echo?msg=poststart']);
    } finally {
      srv.close();
    }
  });

  it('a failing postStart hook kills the container with a FailedPostStartHook event', async () => {
    h = await startAgentHarness();
    h.runtime.onExec('app', () => ({ exitCode: 3, stderr: Buffer.from('boom') }));
    await h.createPod({ metadata: { name: 'bad-hook' }, spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1',
      lifecycle: { postStart: { exec: { command: ['false'] } } } }] } });
    const ev = await eventually(async () => {
      const e = (await h.events('bad-hook')).find((x) => x.reason === 'FailedPostStartHook');
      expect(e).toBeDefined();
      return e!;
    });
    expect(ev.message).toContain("command 'false' exited with 3: boom");
    await eventually(() => { expect(h.runtime.containersOf('bad-hook', 'app')[0]?.state).toBe('CONTAINER_EXITED'); });
  });
});
