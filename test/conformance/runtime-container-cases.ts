/**
 * Conformance: the container state machine (CREATED → RUNNING → EXITED with an exit code),
 * idempotent stop and remove, and the listContainers filters.
 */
import { expect, it } from 'vitest';
import type { ContainerFilter, ContainerStatus, PodSandboxConfig } from '../../cri/types.js';
import { expectCriError, sameImageRef, SLEEP, waitFor } from './runtime-cases.js';
import type { RuntimeRun } from './runtime-cases.js';

export function containerCases(run: RuntimeRun): void {
  const rt = () => run.target().runtime;
  const sandbox = async (name: string): Promise<{ id: string; cfg: PodSandboxConfig }> => {
    const cfg = run.pod(name);
    return { id: await rt().runPodSandbox(cfg), cfg };
  };
  const exited = (id: string): Promise<ContainerStatus> => waitFor(`container ${id} to exit`, async () => {
    const st = await rt().containerStatus(id);
    return st.state === 'CONTAINER_EXITED' ? st : undefined;
  });

  it('createContainer → CREATED, startContainer → RUNNING; config round-trips', async () => {
    const sb = await sandbox('lifecycle');
    const cfg = run.container('app', SLEEP);
    const id = await rt().createContainer(sb.id, cfg, sb.cfg);
    const created = await rt().containerStatus(id);
    expect(created).toMatchObject({ id, podSandboxId: sb.id, state: 'CONTAINER_CREATED', metadata: cfg.metadata, annotations: cfg.annotations });
    expect(sameImageRef(created.image.image, cfg.image.image), `${created.image.image} is ${cfg.image.image}`).toBe(true);
    expect(created.labels).toMatchObject(cfg.labels ?? {});
    expect(created.createdAt).toBeGreaterThan(0);
    expect(created.imageRef).not.toBe('');
    await rt().startContainer(id);
    const running = await rt().containerStatus(id);
    expect(running.state).toBe('CONTAINER_RUNNING');
    expect(running.startedAt).toBeGreaterThan(0);
  });

  it.each([
    [['sh', '-c', 'exit 3'], 3, 'Error'],
    [['sh', '-c', 'exit 0'], 0, 'Completed'],
  ])('a container running %j exits: EXITED with %i (%s)', async (command, exitCode, reason) => {
    const sb = await sandbox(`exit-${exitCode}`);
    const id = await rt().createContainer(sb.id, run.container('app', command), sb.cfg);
    await rt().startContainer(id);
    const st = await exited(id);
    expect([st.exitCode, st.reason]).toEqual([exitCode, reason]);
    // containerd stamps startedAt when StartContainer returns but finishedAt with the exit the shim
    // saw, so a process that exits during its own start can finish a few ms "before" it started
    expect(st.finishedAt).toBeGreaterThan(0);
    expect(st.finishedAt).toBeGreaterThanOrEqual(st.startedAt - 1e9);
  });

  it('stopContainer: RUNNING → EXITED; stopping again and removing twice succeed; then NotFound', async () => {
    const sb = await sandbox('stop-container');
    const id = await rt().createContainer(sb.id, run.container('app', SLEEP), sb.cfg);
    await rt().startContainer(id);
    await rt().stopContainer(id, 0);
    expect((await rt().containerStatus(id)).state).toBe('CONTAINER_EXITED');
    await rt().stopContainer(id, 0);
    await rt().removeContainer(id);
    await rt().removeContainer(id);
    await expectCriError(rt().containerStatus(id), 'NotFound');
    expect(await rt().listContainers({ id })).toEqual([]);
  });

  it('stopping a container that never started succeeds and leaves it CREATED', async () => {
    const sb = await sandbox('stop-created');
    const id = await rt().createContainer(sb.id, run.container('app', SLEEP), sb.cfg);
    await rt().stopContainer(id, 0);
    expect((await rt().containerStatus(id)).state).toBe('CONTAINER_CREATED');
    await rt().removeContainer(id);
    await expectCriError(rt().containerStatus(id), 'NotFound');
  });

  it('listContainers filters by id, by sandbox, by state and by label', async () => {
    const a = await sandbox('list-a');
    const b = await sandbox('list-b');
    const listCase = run.selector({ 'conformance/case': 'list' });
    const config = (name: string) => run.container(name, SLEEP, { labels: { ...listCase, 'conformance/container': name } });
    const a1 = await rt().createContainer(a.id, config('a1'), a.cfg);
    const a2 = await rt().createContainer(a.id, config('a2'), a.cfg);
    const b1 = await rt().createContainer(b.id, config('b1'), b.cfg);
    await rt().startContainer(a1);
    await rt().startContainer(b1);
    const ids = async (filter: ContainerFilter): Promise<string[]> => (await rt().listContainers(filter)).map((c) => c.id).sort();
    expect(await ids({ podSandboxId: a.id })).toEqual([a1, a2].sort());
    expect(await ids({ podSandboxId: b.id })).toEqual([b1]);
    expect(await ids({ id: a2 })).toEqual([a2]);
    expect(await ids({ state: 'CONTAINER_CREATED', labelSelector: listCase })).toEqual([a2]);
    expect(await ids({ state: 'CONTAINER_RUNNING', labelSelector: listCase })).toEqual([a1, b1].sort());
    expect(await ids({ podSandboxId: a.id, state: 'CONTAINER_RUNNING' })).toEqual([a1]);
    expect(await ids({ labelSelector: run.selector({ 'conformance/container': 'b1' }) })).toEqual([b1]);
    const [row] = await rt().listContainers({ id: a1 });
    expect(row).toMatchObject({ id: a1, podSandboxId: a.id, metadata: { name: 'a1', attempt: 0 }, state: 'CONTAINER_RUNNING' });
    expect(row?.labels).toMatchObject(run.selector({ 'conformance/container': 'a1' }));
  });
}
