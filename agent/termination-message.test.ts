import { stat, writeFile } from 'node:fs/promises';
import type { Container } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../test/helpers/eventually.js';
import { startAgentHarness } from './testing/agent-harness.js';
import type { AgentHarness } from './testing/agent-harness.js';

let h: AgentHarness;
afterEach(async () => { await h?.close(); });

async function runAndExit(name: string, c: Partial<Container>, exitCode: number, act: (hostFile: string | undefined, id: string) => Promise<void>) {
  await h.createPod({ metadata: { name }, spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1', ...c }] } });
  const running = await eventually(() => {
    const [x] = h.runtime.containersOf(name, 'app');
    expect(x?.state).toBe('CONTAINER_RUNNING');
    return x!;
  });
  const mount = h.runtime.containers.get(running.id)!.config.mounts?.find((m) => m.containerPath === c.terminationMessagePath);
  await act(mount?.hostPath, running.id);
  h.runtime.exit(running.id, exitCode);
  return eventually(async () => {
    const t = (await h.getPod(name))?.status?.containerStatuses?.[0]?.state?.terminated;
    expect(t).toBeDefined();
    return t!;
  });
}

describe('termination messages', () => {
  it('mounts a fresh file writable by any user at terminationMessagePath and reports what the container wrote', async () => {
    h = await startAgentHarness();
    const t = await runAndExit('file', { terminationMessagePath: '/dev/termination-custom-log', terminationMessagePolicy: 'File', securityContext: { runAsUser: 1000 } }, 0, async (file) => {
      expect(file).toBeDefined();
      expect((await stat(file!)).mode & 0o777).toBe(0o666);
      await writeFile(file!, 'DONE');
    });
    expect(t.message).toBe('DONE');
  });

  it('FallbackToLogsOnError: a failed container with an empty file reports the tail of its log', async () => {
    h = await startAgentHarness();
    const t = await runAndExit('logs', { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'FallbackToLogsOnError' }, 1, async (_file, id) => {
      h.runtime.log(id, 'first');
      h.runtime.log(id, 'DONE');
    });
    expect(t.message).toBe('first\nDONE');
  });

  it('FallbackToLogsOnError: the file wins, and a container that succeeded reports no log', async () => {
    h = await startAgentHarness();
    const ok = await runAndExit('ok', { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'FallbackToLogsOnError' }, 0, async (_f, id) => { h.runtime.log(id, 'noise'); });
    expect(ok.message).toBeUndefined();
    const file = await runAndExit('file-wins', { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'FallbackToLogsOnError' }, 2, async (f, id) => {
      h.runtime.log(id, 'noise');
      await writeFile(f!, 'OK');
    });
    expect(file.message).toBe('OK');
  });
});
