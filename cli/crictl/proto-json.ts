/**
 * PURE. CRI objects in runtime/v1's protojson shape, as crictl prints them with `-o json|yaml`
 * and `inspect`: camelCase names, enums by name, 64-bit integers as strings, empty defaults
 * emitted; inspect shows times as RFC3339Nano. One `print` writes JSON (2-space) or YAML.
 */
import { stringify } from 'yaml';
import type { Container, ContainerStatus, Image, PodSandbox, PodSandboxStatus } from '../../cri/types.js';

export type JsonObject = { [k: string]: unknown };

export function sandboxJson(s: PodSandbox): JsonObject {
  return {
    id: s.id, metadata: { ...s.metadata }, state: s.state, createdAt: String(s.createdAt),
    labels: s.labels, annotations: s.annotations, runtimeHandler: '',
  };
}

export function containerJson(c: Container): JsonObject {
  return {
    id: c.id, podSandboxId: c.podSandboxId, metadata: { ...c.metadata },
    image: { image: c.image.image, annotations: {}, userSpecifiedImage: '', runtimeHandler: '' }, imageRef: c.imageRef,
    state: c.state, createdAt: String(c.createdAt), labels: c.labels, annotations: c.annotations,
  };
}

export function imageJson(i: Image): JsonObject {
  return { id: i.id, repoTags: i.repoTags, repoDigests: i.repoDigests, size: String(i.size), uid: i.uid === undefined ? null : { value: String(i.uid) }, username: i.username ?? '', spec: null, pinned: i.pinned ?? false };
}

const rfc3339 = (ns: number): string => nsToRfc3339Nano(ns);

/** Go's time.Unix(0, ns).UTC().Format(time.RFC3339Nano): trailing zeros of the fraction dropped. */
export function nsToRfc3339Nano(ns: number): string {
  const ms = Math.floor(ns / 1e6);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = String(Math.round(ns - ms * 1e6) + (ms % 1000) * 1e6).padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac === '' ? '' : `.${frac}`}Z`;
}

/** `inspectp`'s status part (the verbose info goes beside it). */
export function sandboxStatusJson(s: PodSandboxStatus): JsonObject {
  return {
    status: {
      ...sandboxJson(s), createdAt: rfc3339(s.createdAt),
      network: { additionalIps: (s.network?.additionalIps ?? []).map((ip) => ({ ip })), ip: s.network?.ip ?? '' },
    },
  };
}

/** Go's zero time, which crictl prints for an unset start or finish. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** `inspect`'s status part; startedAt/finishedAt only when the state has them (else Go's zero time). */
export function containerStatusJson(c: ContainerStatus): JsonObject {
  return {
    status: {
      ...containerJson(c),
      createdAt: rfc3339(c.createdAt),
      startedAt: c.state !== 'CONTAINER_CREATED' && c.startedAt > 0 ? rfc3339(c.startedAt) : ZERO_TIME,
      finishedAt: c.state === 'CONTAINER_EXITED' && c.finishedAt > 0 ? rfc3339(c.finishedAt) : ZERO_TIME,
      exitCode: c.exitCode, reason: c.reason, message: c.message,
      mounts: (c.mounts ?? []).map((m) => ({ containerPath: m.containerPath, hostPath: m.hostPath, readonly: m.readonly ?? false })),
      logPath: c.logPath, resources: c.resources === undefined ? null : { linux: c.resources, windows: null },
    },
  };
}

export function print(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value);
}
