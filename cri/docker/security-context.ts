/**
 * PURE. CRI security contexts → Docker create options, as dockershim (cri-dockerd's
 * security_context.go) maps them: the user as "uid[:gid]" (no user but a group: root with that
 * group), supplementary groups (GroupAdd), Privileged, ReadonlyRootfs, CapAdd/CapDrop,
 * no-new-privileges, and the host's PID/IPC namespaces. Every value is checked here, where it
 * reaches the runtime: a bad one is an InvalidArgument, never sent to Docker.
 */
import { CriError } from '../errors.js';
import type { Capability, LinuxContainerSecurityContext, LinuxSandboxSecurityContext, NamespaceOption } from '../types.js';
import type { HostConfig } from './engine/types.js';

const MAX_ID = 2147483647;
/** A user name as the image may have it: no ':' (that separates the group), no blanks or controls. */
const USERNAME = /^[^:\s\x00-\x1f\x7f]{1,256}$/;
const CAPABILITY = /^CAP_[A-Z0-9_]{1,64}$/;

function id(what: string, v: number): string {
  if (!Number.isInteger(v) || v < 0 || v > MAX_ID) throw new CriError('InvalidArgument', `${what} ${v}: must be an integer between 0 and ${MAX_ID}`);
  return String(v);
}

/** Docker's `User` for a security context; undefined keeps the image's USER. */
export function dockerUser(sc: LinuxContainerSecurityContext | LinuxSandboxSecurityContext | undefined): string | undefined {
  if (sc === undefined) return undefined;
  let user = sc.runAsUser === undefined ? undefined : id('runAsUser', sc.runAsUser);
  const name = 'runAsUsername' in sc ? sc.runAsUsername : undefined;
  if (name !== undefined && name !== '') {
    if (!USERNAME.test(name)) throw new CriError('InvalidArgument', `runAsUsername ${JSON.stringify(name)}: not a user name`);
    user = name;
  }
  if (sc.runAsGroup !== undefined) user = `${user ?? '0'}:${id('runAsGroup', sc.runAsGroup)}`;
  return user;
}

/** A Kubernetes capability name (NET_ADMIN, net_admin, CAP_NET_ADMIN, ALL) as Docker takes it. */
export function dockerCapability(name: string): string {
  const upper = name.toUpperCase();
  if (upper === 'ALL') return upper;
  const cap = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!CAPABILITY.test(cap)) throw new CriError('InvalidArgument', `capability ${JSON.stringify(name)}: not a capability name`);
  return cap;
}

function capabilities(c: Capability | undefined): Pick<HostConfig, 'CapAdd' | 'CapDrop'> {
  const add = (c?.addCapabilities ?? []).map(dockerCapability);
  const drop = (c?.dropCapabilities ?? []).map(dockerCapability);
  return { ...(add.length > 0 ? { CapAdd: add } : {}), ...(drop.length > 0 ? { CapDrop: drop } : {}) };
}

/** The HostConfig fields both the sandbox and app containers take from their security context. */
function common(sc: LinuxContainerSecurityContext | LinuxSandboxSecurityContext): HostConfig {
  const groups = (sc.supplementalGroups ?? []).map((g) => id('supplementalGroups', g));
  return {
    ...(groups.length > 0 ? { GroupAdd: groups } : {}),
    ...(sc.privileged === true ? { Privileged: true } : {}),
    ...(sc.readonlyRootfs === true ? { ReadonlyRootfs: true } : {}),
  };
}

/** An app container's security HostConfig; it joins sandbox `sandboxId`'s PID namespace for POD. */
export function containerSecurityHostConfig(sc: LinuxContainerSecurityContext | undefined, sandboxId: string): HostConfig {
  if (sc === undefined) return {};
  return {
    ...common(sc),
    ...capabilities(sc.capabilities),
    ...(sc.noNewPrivs === true ? { SecurityOpt: ['no-new-privileges'] } : {}),
    ...pidMode(sc.namespaceOptions, `container:${sandboxId}`),
  };
}

/** The sandbox's (pause container's) security HostConfig, with its IPC mode (host or shareable). */
export function sandboxSecurityHostConfig(sc: LinuxSandboxSecurityContext | undefined): HostConfig {
  return {
    ...(sc === undefined ? {} : common(sc)),
    ...pidMode(sc?.namespaceOptions, undefined),
    IpcMode: sc?.namespaceOptions?.ipc === 'NODE' ? 'host' : 'shareable',
  };
}

function pidMode(ns: NamespaceOption | undefined, pod: string | undefined): Pick<HostConfig, 'PidMode'> {
  if (ns?.pid === 'NODE') return { PidMode: 'host' };
  if (ns?.pid === 'POD' && pod !== undefined) return { PidMode: pod };
  return {};
}
