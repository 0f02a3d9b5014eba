import type { Container, Pod, PodSecurityContext, PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { containerSecurityContext, effectiveSecurityContext, sandboxSecurityContext, verifyRunAsNonRoot } from './security-context.js';

const pod = (spec: Partial<PodSpec> = {}, sc?: PodSecurityContext): Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
  spec: { containers: [{ name: 'c', image: 'img' }], ...spec, ...(sc ? { securityContext: sc } : {}) },
});
const c = (securityContext?: Container['securityContext']): Container => ({ name: 'c', image: 'img', ...(securityContext ? { securityContext } : {}) });

describe('effectiveSecurityContext', () => {
  it('takes the pod user fields and lets the container win field by field', () => {
    const p = pod({}, { runAsUser: 1000, runAsGroup: 2000, runAsNonRoot: true, fsGroup: 3000 });
    expect(effectiveSecurityContext(p, c())).toEqual({ runAsUser: 1000, runAsGroup: 2000, runAsNonRoot: true });
    expect(effectiveSecurityContext(p, c({ runAsUser: 5, readOnlyRootFilesystem: true }))).toEqual({ runAsUser: 5, runAsGroup: 2000, runAsNonRoot: true, readOnlyRootFilesystem: true });
  });
});

describe('containerSecurityContext', () => {
  it('is absent for a pod and container without one', () => {
    expect(containerSecurityContext(pod({}, {}), c(), { uid: 0 })).toBeUndefined();
    expect(sandboxSecurityContext(pod({}, {}))).toBeUndefined();
  });

  it('maps user, group, fsGroup then supplementalGroups, read-only root, capabilities, no_new_privs', () => {
    const p = pod({}, { runAsUser: 1000, runAsGroup: 2000, fsGroup: 3000, supplementalGroups: [4000, 4001] });
    const sc = containerSecurityContext(p, c({
      readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
    }), { uid: 0 });
    expect(sc).toEqual({
      runAsUser: 1000, runAsGroup: 2000, supplementalGroups: [3000, 4000, 4001], readonlyRootfs: true,
      capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] }, noNewPrivs: true,
    });
  });

  it.each([
    ['allowPrivilegeEscalation unset', {}, undefined],
    ['allowPrivilegeEscalation true', { allowPrivilegeEscalation: true }, undefined],
    ['allowPrivilegeEscalation false', { allowPrivilegeEscalation: false }, true],
  ])('%s → noNewPrivs %s', (_name, sc, want) => {
    expect(containerSecurityContext(pod(), c(sc), {})?.noNewPrivs).toBe(want);
  });

  it.each([
    ['no user fields: the image USER is left to the runtime', {}, { uid: 1234 }, {}],
    ['runAsUser given', { runAsUser: 7 }, { uid: 1234 }, { runAsUser: 7 }],
    ['runAsGroup alone takes the image uid', { runAsGroup: 9 }, { uid: 1234 }, { runAsUser: 1234, runAsGroup: 9 }],
    ['runAsGroup alone takes the image user name', { runAsGroup: 9 }, { username: 'app' }, { runAsUsername: 'app', runAsGroup: 9 }],
  ])('%s', (_name, sc, image, want) => {
    const got = containerSecurityContext(pod(), c({ ...sc, privileged: false }), image) ?? {};
    expect({ runAsUser: got.runAsUser, runAsGroup: got.runAsGroup, runAsUsername: got.runAsUsername }).toEqual({ runAsUser: undefined, runAsGroup: undefined, runAsUsername: undefined, ...want });
  });

  it('carries the pod namespaces: hostPID/hostIPC → NODE, shareProcessNamespace → POD', () => {
    expect(containerSecurityContext(pod({ hostPID: true, hostIPC: true }), c(), {})?.namespaceOptions).toEqual({ pid: 'NODE', ipc: 'NODE' });
    expect(containerSecurityContext(pod({ shareProcessNamespace: true }), c(), {})?.namespaceOptions).toEqual({ pid: 'POD' });
    expect(sandboxSecurityContext(pod({ hostPID: true }))?.namespaceOptions).toEqual({ pid: 'NODE' });
  });
});

describe('sandboxSecurityContext', () => {
  it('has the pod user, groups, and privileged when any container (init too) is', () => {
    const p = pod({ initContainers: [{ name: 'i', image: 'img', securityContext: { privileged: true } }] }, { runAsUser: 1, runAsGroup: 2, fsGroup: 3, supplementalGroups: [4] });
    expect(sandboxSecurityContext(p)).toEqual({ runAsUser: 1, runAsGroup: 2, supplementalGroups: [3, 4], privileged: true });
  });
});

describe('verifyRunAsNonRoot (kubelet wording)', () => {
  const where = '(pod: "p_ns(u1)", container: c)';
  it.each([
    ['not asked', {}, {}, { uid: 0 }, undefined],
    ['runAsNonRoot false', {}, { runAsNonRoot: false }, { uid: 0 }, undefined],
    ['image root', {}, { runAsNonRoot: true }, { uid: 0 }, `container has runAsNonRoot and image will run as root ${where}`],
    ['pod-level runAsNonRoot, image root', { runAsNonRoot: true }, {}, { uid: 0 }, `container has runAsNonRoot and image will run as root ${where}`],
    ['image without USER', {}, { runAsNonRoot: true }, {}, `container has runAsNonRoot and image will run as root ${where}`],
    ['image user name', {}, { runAsNonRoot: true }, { username: 'nobody' },
      `container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root ${where}`],
    ['image uid 1000', {}, { runAsNonRoot: true }, { uid: 1000 }, undefined],
    ['runAsUser 1000 over a root image', {}, { runAsNonRoot: true, runAsUser: 1000 }, { uid: 0 }, undefined],
    ['runAsUser 0', {}, { runAsNonRoot: true, runAsUser: 0 }, { uid: 1000 }, `container's runAsUser breaks non-root policy ${where}`],
    ['container says false over pod true', { runAsNonRoot: true }, { runAsNonRoot: false }, { uid: 0 }, undefined],
  ])('%s', (_name, podSc, containerSc, image, want) => {
    expect(verifyRunAsNonRoot(pod({}, podSc), c(containerSc), image)).toBe(want);
  });
});
