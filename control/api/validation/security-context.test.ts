import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults/apply-defaults.js';
import { validate } from './validate.js';

type O = Record<string, unknown>;
const check = (spec: O): string[] => {
  const pod: O = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
  applyDefaults('Pod', pod);
  return validate('Pod', pod).map((e) => `${e.field}: ${e.message}`);
};
const ctr = (securityContext: O): O => ({ name: 'c', image: 'busybox', securityContext });
const RANGE = 'must be between 0 and 2147483647, inclusive';

describe('securityContext validation (upstream wording)', () => {
  it.each<[string, O, string[]]>([
    ['a valid pod and container context', {
      hostPID: true, hostIPC: true, securityContext: { runAsUser: 1000, runAsGroup: 0, fsGroup: 2000, supplementalGroups: [3000], runAsNonRoot: true },
      containers: [ctr({ runAsUser: 0, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } })],
    }, []],
    ['pod ids out of range', { securityContext: { runAsUser: -1, runAsGroup: 2147483648, fsGroup: -2, supplementalGroups: [5, -3] }, containers: [ctr({})] }, [
      `spec.securityContext.fsGroup: Invalid value: -2: ${RANGE}`,
      `spec.securityContext.runAsUser: Invalid value: -1: ${RANGE}`,
      `spec.securityContext.runAsGroup: Invalid value: 2147483648: ${RANGE}`,
      `spec.securityContext.supplementalGroups[1]: Invalid value: -3: ${RANGE}`,
    ]],
    ['container ids out of range', { containers: [ctr({ runAsUser: -1, runAsGroup: -1 })] }, [
      `spec.containers[0].securityContext.runAsUser: Invalid value: -1: ${RANGE}`,
      `spec.containers[0].securityContext.runAsGroup: Invalid value: -1: ${RANGE}`,
    ]],
    ['init container too', { initContainers: [ctr({ runAsUser: -5 })], containers: [{ name: 'd', image: 'busybox' }] }, [
      `spec.initContainers[0].securityContext.runAsUser: Invalid value: -5: ${RANGE}`,
    ]],
    ['shareProcessNamespace with hostPID', { hostPID: true, shareProcessNamespace: true, containers: [ctr({})] }, [
      'spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled',
    ]],
    ['no privilege escalation but privileged', { containers: [ctr({ privileged: true, allowPrivilegeEscalation: false })] }, [
      'spec.containers[0].securityContext: Invalid value: core.SecurityContext{Privileged:true, AllowPrivilegeEscalation:false}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
    ]],
    ['no privilege escalation but CAP_SYS_ADMIN added', { containers: [ctr({ allowPrivilegeEscalation: false, capabilities: { add: ['CAP_SYS_ADMIN'] } })] }, [
      'spec.containers[0].securityContext: Invalid value: core.SecurityContext{AllowPrivilegeEscalation:false}: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
    ]],
  ])('%s', (_name, spec, want) => { expect(check(spec)).toEqual(want); });
});
