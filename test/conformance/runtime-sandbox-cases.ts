/** Conformance: version and pod sandboxes (run, status, list, idempotent stop and remove, NotFound). */
import { expect, it } from 'vitest';
import { expectCriError, SLEEP, unknownId } from './runtime-cases.js';
import type { RuntimeRun } from './runtime-cases.js';

export function sandboxCases(run: RuntimeRun): void {
  const rt = () => run.target().runtime;

  it('version names the runtime and speaks runtime API v1', async () => {
    const v = await rt().version();
    expect(v.runtimeApiVersion).toBe('v1');
    expect(v.runtimeName).not.toBe('');
    expect(v.runtimeVersion).not.toBe('');
  });

  it('runPodSandbox: READY in status and in lists; metadata, labels and annotations round-trip', async () => {
    const cfg = run.pod('ready');
    const id = await rt().runPodSandbox(cfg);
    const st = await rt().podSandboxStatus(id);
    expect(st).toMatchObject({ id, state: 'SANDBOX_READY', metadata: cfg.metadata, annotations: cfg.annotations });
    expect(st.labels).toMatchObject(cfg.labels ?? {});
    expect(st.createdAt).toBeGreaterThan(0);
    const listed = await rt().listPodSandbox({ labelSelector: run.selector({ 'conformance/pod': 'ready' }) });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, state: 'SANDBOX_READY', metadata: cfg.metadata, annotations: cfg.annotations });
    // the same instant, though a list may carry it to the second only (docker ps, as in cri-dockerd)
    expect(Math.abs((listed[0]?.createdAt ?? 0) - st.createdAt)).toBeLessThan(1e9);
    expect((await rt().listPodSandbox({ id })).map((s) => s.id)).toEqual([id]);
    expect((await rt().listPodSandbox({ state: 'SANDBOX_READY', labelSelector: run.selector() })).map((s) => s.id)).toContain(id);
  });

  it('stopPodSandbox: NOTREADY (and its containers exited); stopping again succeeds', async () => {
    const cfg = run.pod('stop');
    const id = await rt().runPodSandbox(cfg);
    const c = await rt().createContainer(id, run.container('app', SLEEP), cfg);
    await rt().startContainer(c);
    await rt().stopPodSandbox(id);
    await rt().stopPodSandbox(id);
    expect((await rt().podSandboxStatus(id)).state).toBe('SANDBOX_NOTREADY');
    expect((await rt().containerStatus(c)).state).toBe('CONTAINER_EXITED');
    const sel = run.selector({ 'conformance/pod': 'stop' });
    expect((await rt().listPodSandbox({ state: 'SANDBOX_NOTREADY', labelSelector: sel })).map((s) => s.id)).toEqual([id]);
    expect(await rt().listPodSandbox({ state: 'SANDBOX_READY', labelSelector: sel })).toEqual([]);
  });

  it('removePodSandbox removes the sandbox and its containers, running or not; removing again succeeds', async () => {
    const cfg = run.pod('remove');
    const id = await rt().runPodSandbox(cfg);
    const c = await rt().createContainer(id, run.container('app', SLEEP), cfg);
    await rt().startContainer(c);
    await rt().removePodSandbox(id);
    await rt().removePodSandbox(id);
    await expectCriError(rt().podSandboxStatus(id), 'NotFound');
    await expectCriError(rt().containerStatus(c), 'NotFound');
    expect(await rt().listPodSandbox({ labelSelector: run.selector({ 'conformance/pod': 'remove' }) })).toEqual([]);
    expect(await rt().listContainers({ podSandboxId: id })).toEqual([]);
  });

  it('status of an unknown sandbox or container is NotFound', async () => {
    await expectCriError(rt().podSandboxStatus(unknownId()), 'NotFound');
    await expectCriError(rt().containerStatus(unknownId()), 'NotFound');
  });

  it('updateRuntimeConfig accepts a podCIDR (again, and an empty config); sandboxes run after it', async () => {
    await rt().updateRuntimeConfig({ networkConfig: { podCidr: '10.244.7.0/24' } });
    await rt().updateRuntimeConfig({ networkConfig: { podCidr: '10.244.7.0/24' } });
    await rt().updateRuntimeConfig({});
    const id = await rt().runPodSandbox(run.pod('after-config'));
    expect((await rt().podSandboxStatus(id)).state).toBe('SANDBOX_READY');
  });
}
