/**
 * A second real client: the official Python client (Debian's python3-kubernetes, 22.6) against a
 * real server and agent with the admin kubeconfig — list, create a Deployment, a watch that sees
 * ADDED and ends after timeout_seconds (it sends watch=True), the scale subresource, a replace with
 * a stale resourceVersion (409), logs, and exec over its WebSocket subprotocol v4.channel.k8s.io
 * (output, and the exit code from the Status on channel 3). Skips itself without that client.
 */
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TestControlPlane } from '../helpers/control-plane.js';
import { TestAgent } from '../helpers/test-agent.js';

/** Debian's interpreter: the package installs into /usr/lib/python3/dist-packages, which only it reads. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(ROOT, 'test/e2e/testdata/python_client.py');
const NS = 'py-client';

const hasClient = ((): boolean => {
  try {
    execFileSync(PYTHON, ['-c', 'import kubernetes'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

type Step = Record<string, unknown> & { error?: string; trace?: string };

describe.skipIf(!hasClient)('the official Python client (python3-kubernetes)', () => {
  const cp = new TestControlPlane({ extraArgs: ['--cluster-cidr', '10.236.0.0/16'] });
  let agent: TestAgent;
  let result: Record<string, Step> = {};
  beforeAll(async () => {
    await cp.start();
    agent = new TestAgent(cp);
    await agent.start();
    await cp.k('create', 'namespace', NS);
    result = await new Promise((resolve, reject) => {
      execFile(PYTHON, [SCRIPT, cp.kubeconfig, NS], { timeout: 300_000, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
        if (err) { reject(new Error(`python client script failed: ${err.message}\n${stderr}\n${stdout}`)); return; }
        resolve(JSON.parse(stdout) as Record<string, Step>);
      });
    });
  }, 360_000);
  afterAll(async () => {
    await agent?.destroy();
    await cp.destroy();
  });

  /** The step's result, failing with the client's own error and trace when it raised. */
  const stepOf = (name: string): Step => {
    const s = result[name];
    expect(s, `step ${name} did not run`).toBeDefined();
    expect(s?.error, `${s?.error ?? ''}\n${s?.trace ?? ''}`).toBeUndefined();
    return s!;
  };

  it('lists pods', () => {
    expect(stepOf('list')).toEqual({ kind: 'V1PodList', names: [] });
  });

  it('creates a Deployment', () => {
    expect(stepOf('create')).toEqual({ name: 'py-dep', uid: true, resourceVersion: true });
  });

  it('watches: sees ADDED and stops after timeout_seconds', () => {
    const w = stepOf('watch') as { types: string[]; seconds: number };
    expect(w.types).toContain('ADDED');
    expect(w.seconds).toBeGreaterThanOrEqual(2.5);
    expect(w.seconds).toBeLessThan(15);
  });

  it('reads and writes the scale subresource', () => {
    expect(stepOf('scale')).toEqual({ kind: 'V1Scale', spec: 2, selector: 'app=py-dep' });
  });

  it('a replace with a stale resourceVersion is a 409 Conflict', () => {
    expect(stepOf('stale_replace')).toMatchObject({
      status: 409, reason: 'Conflict',
      message: expect.stringContaining('the object has been modified; please apply your changes to the latest version and try again'),
    });
  });

  it('reads logs', () => {
    expect(stepOf('logs')).toEqual({ text: 'hello from py-dep\n' });
  });

  it('execs: stream() returns the output, and a failing command’s exit code comes from the Status', () => {
    const e = stepOf('exec') as { output: string; exit: number };
    expect(e.output.split('\n').filter(Boolean).sort()).toEqual(['err', 'out']);
    expect(e.exit).toBe(3);
  });
});
