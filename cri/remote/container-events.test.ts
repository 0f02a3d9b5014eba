import { describe, expect, it } from 'vitest';
import { CriError, isCriError } from '../errors.js';
import type { Container, ContainerState } from '../types.js';
import { remoteEvents } from './container-events.js';
import type { CriClient } from './cri-client.js';

/** A client whose GetContainerEvents stream fails at once with `err`. */
function failingStream(err: unknown): CriClient {
  return {
    serverStream: () => ({
      cancel: () => undefined,
      [Symbol.asyncIterator]: async function* () { await Promise.resolve(); throw err; },
    }),
  } as unknown as CriClient;
}

const container = (id: string, state: ContainerState): Container => ({
  id, podSandboxId: 's1', metadata: { name: id, attempt: 0 }, image: { image: 'i' }, imageRef: 'r', state, createdAt: 1, labels: {}, annotations: {},
});

describe('remoteEvents', () => {
  it('relists on Unimplemented when given an interval', async () => {
    let calls = 0;
    const ac = new AbortController();
    const list = () => Promise.resolve(++calls === 1 ? [container('a', 'CONTAINER_RUNNING')] : [container('a', 'CONTAINER_EXITED')]);
    const seen: string[] = [];
    for await (const e of remoteEvents({ client: failingStream(new CriError('Unimplemented', 'no events')), list, intervalMs: 5 }, ac.signal)) {
      seen.push(`${e.containerId}`);
      ac.abort();
    }
    expect(seen).toEqual(['a']);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('with interval 0 lists nothing and fails Unimplemented (the caller relists)', async () => {
    let calls = 0;
    const list = () => { calls++; return Promise.resolve([]); };
    const run = async () => { for await (const _ of remoteEvents({ client: failingStream(new CriError('Unimplemented', 'no events')), list, intervalMs: 0 }, new AbortController().signal)) { /* none */ } };
    const err = await run().catch((e: unknown) => e);
    expect(isCriError(err, 'Unimplemented')).toBe(true);
    expect(calls).toBe(0);
  });
});
