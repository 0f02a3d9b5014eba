/**
 * Runtime events from `docker events`, filtered on our labels and scope, for PLEG wake-ups.
 * Ends when `signal` aborts (or dockerd closes the stream).
 */
import type { RuntimeEvent } from '../types.js';
import type { DockerEngine } from './engine/client.js';
import type { EngineEvent } from './engine/types.js';
import { translateDockerError } from './errors.js';
import { ALL_SCOPES, LABEL_POD_UID, LABEL_SANDBOX_ID, LABEL_SCOPE, LABEL_TYPE, TYPE_CONTAINER, TYPE_SANDBOX } from './labels.js';

const ACTIONS: Record<string, RuntimeEvent['type']> = { create: 'created', start: 'started', die: 'stopped', destroy: 'deleted' };

/** PURE. One `docker events` record → a RuntimeEvent, or undefined when it is not one of ours. */
export function toRuntimeEvent(raw: unknown, scope: string): RuntimeEvent | undefined {
  const ev = raw as EngineEvent;
  const type = ACTIONS[ev.Action ?? ''];
  const attrs = ev.Actor?.Attributes ?? {};
  const id = ev.Actor?.ID;
  if (ev.Type !== 'container' || type === undefined || id === undefined || !inScope(attrs[LABEL_SCOPE], scope)) return undefined;
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

function inScope(value: string | undefined, scope: string): boolean {
  return scope === ALL_SCOPES ? value !== undefined : value === scope;
}

export async function* runtimeEvents(d: DockerEngine, scope: string, signal: AbortSignal): AsyncGenerator<RuntimeEvent> {
  signal.throwIfAborted();
  const filters = { type: ['container'], event: Object.keys(ACTIONS), label: [scope === ALL_SCOPES ? LABEL_SCOPE : `${LABEL_SCOPE}=${scope}`] };
  try {
    for await (const raw of d.events({ filters, signal })) {
      const ev = toRuntimeEvent(raw, scope);
      if (ev !== undefined) yield ev;
    }
  } catch (e) {
    // an abort ends the stream quietly
    if (!signal.aborted) throw translateDockerError(e, 'docker events');
  }
}
