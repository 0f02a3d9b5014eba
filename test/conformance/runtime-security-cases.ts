/**
 * Conformance: the container runs as its LinuxContainerSecurityContext says (user, group,
 * supplementary groups), and a read-only root refuses writes while the default root takes them.
 */
import { expect, it } from 'vitest';
import type { LinuxContainerSecurityContext } from '../../cri/types.js';
import { SLEEP } from './runtime-cases.js';
import type { RuntimeRun } from './runtime-cases.js';

export function securityCases(run: RuntimeRun): void {
  const rt = () => run.target().runtime;
  const started = async (name: string, securityContext?: LinuxContainerSecurityContext): Promise<string> => {
    const cfg = run.pod(name);
    const sb = await rt().runPodSandbox(cfg);
    const id = await rt().createContainer(sb, run.container('app', SLEEP, securityContext ? { linux: { securityContext } } : {}), cfg);
    await rt().startContainer(id);
    return id;
  };
  const stdout = async (id: string, cmd: string[]): Promise<string> => {
    const r = await rt().execSync(id, cmd, 10);
    expect(r.exitCode, r.stderr.toString()).toBe(0);
    return r.stdout.toString();
  };

  it('runAsUser, runAsGroup and supplementalGroups are the ids its processes get', async () => {
    const id = await started('ids', { runAsUser: 1234, runAsGroup: 2345, supplementalGroups: [3456] });
    expect(await stdout(id, ['id', '-u'])).toBe('1234\n');
    expect(await stdout(id, ['id', '-g'])).toBe('2345\n');
    expect(await stdout(id, ['id', '-G'])).toBe('2345 3456\n');
  });

  it('readonlyRootfs refuses a write to the root; without it the write succeeds', async () => {
    const ro = await started('rofs', { readonlyRootfs: true });
    expect((await rt().execSync(ro, ['touch', '/x'], 10)).exitCode).not.toBe(0);
    const rw = await started('rwfs');
    expect((await rt().execSync(rw, ['touch', '/x'], 10)).exitCode).toBe(0);
  });
}
