/**
 * `tinykube crictl` against a real agent on Docker: the pod kubectl created shows up as a sandbox
 * and a container with its CRI metadata; logs, exec, inspectp (pod IP from the agent's data dir),
 * images, and stopp + rmp of the sandbox.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { TestAgent } from '../helpers/test-agent.js';

const run = promisify(execFile);

async function crictl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, 'crictl', ...args], { timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : 1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

describe('tinykube crictl on a Docker-backed node', () => {
  const cp = new TestControlPlane({ extraArgs: ['--cluster-cidr', '10.249.0.0/16'] });
  let agent: TestAgent;
  beforeAll(async () => {
    await cp.start();
    agent = new TestAgent(cp);
    await agent.start();
  });
  afterAll(async () => {
    await agent?.destroy();
    await cp.destroy();
  });

  it('shows, inspects, execs into and removes what the agent runs', async () => {
    const node = ['--node', agent.nodeName];
    await cp.k('apply', '-f', cp.manifest('talker.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: talker}\nspec:\n'
      + '  containers: [{name: talk, image: "tinykube/busybox:1", command: [sh, -c, "echo hello from talker; sleep 3600"]}]\n'));
    await eventually(async () => {
      expect(await cp.k('get', 'pod', 'talker', '-o', 'jsonpath={.status.phase}')).toBe('Running');
    }, { timeoutMs: 30_000, intervalMs: 100 });
    const podIP = await cp.k('get', 'pod', 'talker', '-o', 'jsonpath={.status.podIP}');

    const pods = await crictl(...node, 'pods', '--name', 'talker');
    expect(pods.code).toBe(0);
    expect(pods.stdout).toMatch(/^POD ID\s+CREATED\s+STATE\s+NAME\s+NAMESPACE\s+ATTEMPT\s+RUNTIME\n/);
    expect(pods.stdout).toMatch(/[0-9a-f]{13}\s+.+ ago\s+Ready\s+talker\s+default\s+0\s+\(default\)/);
    const podId = (await crictl(...node, 'pods', '--name', '^talker$', '-q')).stdout.trim();
    expect(podId).toMatch(/^[0-9a-f]{64}$/);
    expect((await crictl('pods', '-q')).stdout).toContain(podId); // the default view spans every scope
    expect((await crictl('--node', 'no-such-node', 'pods', '-q')).stdout).toBe('');

    const ps = await crictl(...node, 'ps', '--pod', podId.slice(0, 8));
    expect(ps.stdout).toMatch(/[0-9a-f]{13}\s+tinykube\/busybox:1\s+.+ ago\s+Running\s+talk\s+0\s+[0-9a-f]{13}\s+talker\s+default/);
    const ctr = (await crictl(...node, 'ps', '-q', '--name', '^talk$', '--pod', podId)).stdout.trim();
    expect(ctr).toMatch(/^[0-9a-f]{64}$/);

    expect((await crictl(...node, 'logs', ctr.slice(0, 12))).stdout).toContain('hello from talker');
    expect(await crictl(...node, 'exec', ctr.slice(0, 12), 'echo', 'hi')).toMatchObject({ code: 0, stdout: 'hi\n' });
    expect((await crictl(...node, 'exec', ctr, 'sh', '-c', 'exit 4')).code).toBe(4);

    const inspectp = await crictl(...node, '--data-dir', agent.dataDir, 'inspectp', podId.slice(0, 10));
    const status = (JSON.parse(inspectp.stdout) as { status: { id: string; state: string; network: { ip: string }; metadata: { name: string } } }).status;
    expect(status).toMatchObject({ id: podId, state: 'SANDBOX_READY', metadata: { name: 'talker' }, network: { ip: podIP } });
    const inspect = JSON.parse((await crictl(...node, 'inspect', ctr)).stdout) as { status: { state: string; podSandboxId: string } };
    expect(inspect.status).toMatchObject({ state: 'CONTAINER_RUNNING', podSandboxId: podId });

    expect((await crictl('images')).stdout).toMatch(/tinykube\/busybox\s+1\s+[0-9a-f]{13}\s+\S+B/);
    expect((await crictl('version')).stdout).toMatch(/^Version:  0\.1\.0\nRuntimeName:  docker\n/);
    expect((await crictl('--runtime-endpoint', 'containerd:///run/containerd/containerd.sock', 'ps'))).toMatchObject({ code: 1 });

    expect(await crictl(...node, 'stopp', podId)).toMatchObject({ code: 0, stdout: `Stopped sandbox ${podId}\n` });
    const rmp = await crictl(...node, 'rmp', podId);
    expect(rmp, rmp.stderr).toMatchObject({ code: 0, stdout: `Removed sandbox ${podId}\n` });
    expect((await crictl(...node, 'pods', '-q')).stdout).not.toContain(podId);
    // the agent notices and runs a new sandbox for the pod, as the kubelet would
    await eventually(async () => {
      const again = (await crictl(...node, 'pods', '--name', '^talker$', '--state', 'ready', '-q')).stdout.trim();
      expect(again).toMatch(/^[0-9a-f]{64}$/);
    }, { timeoutMs: 60_000, intervalMs: 100 });
  });
});
