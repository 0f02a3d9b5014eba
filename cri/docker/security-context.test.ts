import { describe, expect, it } from 'vitest';
import { isCriError } from '../errors.js';
import type { ContainerConfig, PodSandboxConfig } from '../types.js';
import { containerCreateOptions, sandboxCreateOptions } from './container-config.js';
import { dockerCapability, dockerUser } from './security-context.js';
import { imageUser } from './image.js';

const sandbox: PodSandboxConfig = { metadata: { name: 'web', namespace: 'default', uid: 'u1', attempt: 0 } };
const base: ContainerConfig = { metadata: { name: 'c', attempt: 0 }, image: { image: 'tinykube/busybox:1' } };
const withSc = (securityContext: NonNullable<ContainerConfig['linux']>['securityContext']): ContainerConfig => ({ ...base, linux: { securityContext } });

describe('dockerUser (dockershim modifyContainerConfig)', () => {
  it.each([
    [undefined, undefined],
    [{}, undefined],
    [{ runAsUser: 1000 }, '1000'],
    [{ runAsUser: 0 }, '0'],
    [{ runAsUser: 1000, runAsGroup: 2000 }, '1000:2000'],
    [{ runAsGroup: 2000 }, '0:2000'],
    [{ runAsUsername: 'app', runAsGroup: 5 }, 'app:5'],
  ])('%j → %s', (sc, want) => { expect(dockerUser(sc)).toBe(want); });

  it.each([[{ runAsUser: -1 }], [{ runAsUser: 1.5 }], [{ runAsGroup: 2 ** 31 }], [{ runAsUsername: 'a:b' }], [{ runAsUsername: 'a\nb' }]])(
    'refuses %j with InvalidArgument', (sc) => {
      expect(() => dockerUser(sc)).toThrow(expect.objectContaining({ kind: 'InvalidArgument' }));
    });
});

describe('dockerCapability', () => {
  it.each([['NET_ADMIN', 'CAP_NET_ADMIN'], ['net_raw', 'CAP_NET_RAW'], ['CAP_CHOWN', 'CAP_CHOWN'], ['ALL', 'ALL'], ['all', 'ALL']])('%s → %s', (k, d) => {
    expect(dockerCapability(k)).toBe(d);
  });
  it.each([['NET ADMIN'], ['X;Y'], [''], ['CAP_']])('refuses %j', (name) => {
    let err: unknown;
    try { dockerCapability(name); } catch (e) { err = e; }
    expect(isCriError(err, 'InvalidArgument')).toBe(true);
  });
});

describe('containerCreateOptions with a security context', () => {
  it('sets nothing for a config without one (the image USER stays)', () => {
    const o = containerCreateOptions('sb', base, sandbox, 's');
    expect(o.User).toBeUndefined();
    for (const k of ['GroupAdd', 'Privileged', 'ReadonlyRootfs', 'CapAdd', 'CapDrop', 'SecurityOpt', 'PidMode'] as const) expect(o.HostConfig?.[k]).toBeUndefined();
  });

  it('maps user, groups, read-only root, capabilities, no-new-privileges and privileged', () => {
    const o = containerCreateOptions('sb', withSc({
      runAsUser: 1000, runAsGroup: 2000, supplementalGroups: [3000, 4000], readonlyRootfs: true, noNewPrivs: true, privileged: true,
      capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
    }), sandbox, 's');
    expect(o.User).toBe('1000:2000');
    expect(o.HostConfig).toMatchObject({
      GroupAdd: ['3000', '4000'], ReadonlyRootfs: true, Privileged: true, SecurityOpt: ['no-new-privileges'],
      CapAdd: ['CAP_NET_ADMIN'], CapDrop: ['ALL'], NetworkMode: 'container:sb', IpcMode: 'container:sb',
    });
  });

  it.each([
    [{ pid: 'NODE' as const }, 'host'],
    [{ pid: 'POD' as const }, 'container:sb'],
    [{ pid: 'CONTAINER' as const }, undefined],
  ])('namespaceOptions %j → PidMode %s (IPC always the sandbox\'s)', (namespaceOptions, pid) => {
    const o = containerCreateOptions('sb', withSc({ namespaceOptions }), sandbox, 's');
    expect(o.HostConfig?.PidMode).toBe(pid);
    expect(o.HostConfig?.IpcMode).toBe('container:sb');
  });
});

describe('sandboxCreateOptions with a security context', () => {
  it('keeps shareable IPC and no PidMode by default', () => {
    const o = sandboxCreateOptions(sandbox, 'pause', 's');
    expect(o.HostConfig).toMatchObject({ IpcMode: 'shareable' });
    expect(o.HostConfig?.PidMode).toBeUndefined();
    expect(o.User).toBeUndefined();
  });

  it('runs the pause container as the pod user, in the host PID/IPC namespaces when asked', () => {
    const o = sandboxCreateOptions({ ...sandbox, linux: { securityContext: {
      runAsUser: 1000, runAsGroup: 2000, supplementalGroups: [3000], privileged: true, namespaceOptions: { pid: 'NODE', ipc: 'NODE' },
    } } }, 'pause', 's');
    expect(o.User).toBe('1000:2000');
    expect(o.HostConfig).toMatchObject({ PidMode: 'host', IpcMode: 'host', GroupAdd: ['3000'], Privileged: true });
  });
});

describe('imageUser (dockershim getUserFromImageUser)', () => {
  it.each([['', {}], ['1000', { uid: 1000 }], ['1000:2000', { uid: 1000 }], ['0', { uid: 0 }], ['nobody', { username: 'nobody' }], ['app:grp', { username: 'app' }]])(
    'USER %j → %j', (user, want) => { expect(imageUser(user)).toEqual(want); });
});
