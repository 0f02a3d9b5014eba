/**
 * Runtime events from `docker events`, filtered on our labels and scope, for PLEG wake-ups.
 * Ends when `signal` aborts (or dockerd closes the stream).
 */
import type Docker from 'dockerode';
import type { RuntimeEvent } from '../types.js';
import { docker as call, translateDockerError } from './errors.js';
import { readJsonLines } from './json-lines.js';
import { LABEL_POD_UID, LABEL_SANDBOX_ID, LABEL_SCOPE, LABEL_TYPE, TYPE_CONTAINER, TYPE_SANDBOX } from './labels.js';

const ACTIONS: Record<string, RuntimeEvent['type']> = { create: 'created', start: 'started', die: 'stopped', destroy: 'deleted' };

interface DockerEvent { Type?: string; Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } }

/** PURE. One `docker events` record → a RuntimeEvent, or undefined when it is not one of ours. */
export function toRuntimeEvent(raw: unknown, scope: string): RuntimeEvent | undefined {
  const ev = raw as DockerEvent;
  const type = ACTIONS[ev.Action ?? ''];
  const attrs = ev.Actor?.Attributes ?? {};
  const id = ev.Actor?.ID;
  if (ev.Type !== 'container' || type === undefined || id === undefined || attrs[LABEL_SCOPE] !== scope) return undefined;
  const kind = attrs[LABEL_TYPE];
  if (kind !== TYPE_CONTAINER && kind !== TYPE_SANDBOX) return undefined;
  const podSandboxId = kind === TYPE_SANDBOX ? id : attrs[LABEL_SANDBOX_ID];
  const podUid = attrs[LABEL_POD_UID];
  return {
    containerId: id,
    type,
    ...(podSandboxId === undefined ? {} : { podSandboxId }),
    ...(podUid === undefined ? {} : { podUid }),
  };
}

export async function* runtimeEvents(d: Docker, scope: string, signal: AbortSignal): AsyncGenerator<RuntimeEvent> {
  signal.throwIfAborted();
  const stream = await call('docker events', () => d.getEvents({
    filters: { type: ['container'], event: Object.keys(ACTIONS), label: [`${LABEL_SCOPE}=${scope}`] },
  }));
  const stop = (): void => { (stream as NodeJS.ReadableStream & { destroy(): void }).destroy(); };
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const raw of readJsonLines(stream)) {
      const ev = toRuntimeEvent(raw, scope);
      if (ev !== undefined) yield ev;
    }
  } catch (e) {
    if (!signal.aborted) throw translateDockerError(e, 'docker events');
  } finally {
    signal.removeEventListener('abort', stop);
    stop();
  }
}
