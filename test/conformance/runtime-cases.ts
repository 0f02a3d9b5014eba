/** Shared types and helpers of the runtime conformance cases: the target, configs labelled with the run id, polling. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import { isCriError } from '../../cri/errors.js';
import type { CriErrorKind } from '../../cri/errors.js';
import { normalizeImageRef } from '../../cri/remote/image-ref.js';
import type { ContainerConfig, PodSandboxConfig, Runtime } from '../../cri/types.js';

/** A backend under test, built once per suite. */
export interface RuntimeTarget {
  runtime: Runtime;
  /** A present image with a busybox userland (sh, echo, sleep) that containers run. */
  image: string;
  /** A present image the suite removes (a throwaway tag; never one other tests use). */
  removableImage: string;
  /** An image pullImage can fetch without a public registry; absent: the pull case is skipped. */
  pullableImage?: string;
  /**
   * Where sandboxes keep container logs (CRI log_directory, one dir per sandbox; containers get a
   * log_path in it). Set it for runtimes that write CRI log files (containerd): they write none
   * without a log path, as CRI specifies.
   */
  logRoot?: string;
  /** Removes whatever the suite left behind (called last). */
  cleanup(): Promise<void>;
}

export interface RuntimeRun {
  /** The target (throws before the suite's beforeAll ran). */
  target(): RuntimeTarget;
  /** This run's id: the `test-run` label of everything the suite creates. */
  readonly id: string;
  /** Selects this run's objects, plus `extra`. */
  selector(extra?: Record<string, string>): Record<string, string>;
  /** A sandbox config named after the case, labelled and annotated; host network (so no backend needs a pod network, and no hostname, as kubelet does); a log directory when the target has a logRoot. */
  pod(name: string): PodSandboxConfig;
  container(name: string, command: string[], extra?: Partial<ContainerConfig>): ContainerConfig;
}

export const RUN_LABEL = 'test-run';

export function newRuntimeRun(target: () => RuntimeTarget): RuntimeRun {
  const id = randomUUID().slice(0, 8);
  const selector = (extra: Record<string, string> = {}) => ({ [RUN_LABEL]: id, ...extra });
  return {
    target, id, selector,
    pod: (name) => ({
      metadata: { name: `${name}-${id}`, namespace: 'conformance', uid: `${id}-${name}`, attempt: 0 },
      // no hostname: kubelet sets none for host-network pods (runc refuses one without a private UTS namespace)
      labels: selector({ 'conformance/pod': name }),
      annotations: { 'conformance/note': `pod ${name} of run ${id}` },
      linux: { hostNetwork: true },
      ...(target().logRoot === undefined ? {} : { logDirectory: join(target().logRoot ?? '', `${name}-${id}`) }),
    }),
    container: (name, command, extra = {}) => ({
      metadata: { name, attempt: 0 },
      image: { image: target().image },
      command,
      labels: selector({ 'conformance/container': name }),
      annotations: { 'conformance/note': `container ${name}` },
      ...(target().logRoot === undefined ? {} : { logPath: `${name}_0.log` }),
      ...extra,
    }),
  };
}

/**
 * Whether two image references name the same image. Runtimes may report the fully qualified form
 * (containerd: docker.io/tinykube/busybox:1 for tinykube/busybox:1), as CRI leaves the spelling of
 * repo tags and of a container's image spec to them.
 */
export const sameImageRef = (a: string, b: string): boolean => normalizeImageRef(a) === normalizeImageRef(b);

/** A long-running main process (busybox sleep as PID 1). */
export const SLEEP = ['sleep', '3600'];

/** An id no runtime has handed out. */
export const unknownId = (): string => randomUUID().replace(/-/g, '').repeat(2);

/** Asserts the promise rejects with a CriError of `kind`. */
export async function expectCriError(p: Promise<unknown>, kind: CriErrorKind): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected CriError ${kind}`).toBeDefined();
  if (!isCriError(caught, kind)) throw new Error(`expected CriError ${kind}, got ${String(caught)}`, { cause: caught });
}

/** Polls `fn` until it returns a value (not undefined), or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
