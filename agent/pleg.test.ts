import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../control/util/log.js';
import { CriError } from '../cri/errors.js';
import { FakeRuntime } from '../cri/fake/fake-runtime.js';
import type { RuntimeEvent } from '../cri/types.js';
import { Pleg } from './pleg.js';

describe('Pleg', () => {
  it('wakes the pods whose containers changed between relists', async () => {
    const rt = new FakeRuntime({ images: ['busybox:1'] });
    const woken: string[] = [];
    const pleg = new Pleg({ runtime: rt, relistMs: 1000, log: silentLogger(), onPodChange: (uid) => woken.push(uid) });
    const labels = (uid: string) => ({ 'io.kubernetes.pod.uid': uid });
    const sa = await rt.runPodSandbox({ metadata: { name: 'a', namespace: 'd', uid: 'A', attempt: 0 }, labels: labels('A') });
    await rt.runPodSandbox({ metadata: { name: 'b', namespace: 'd', uid: 'B', attempt: 0 }, labels: labels('B') });
    await pleg.relist();
    expect(woken.sort()).toEqual(['A', 'B']);
    woken.length = 0;
    await pleg.relist();
    expect(woken).toEqual([]);
    const c = await rt.createContainer(sa, { metadata: { name: 'x', attempt: 0 }, image: { image: 'busybox:1' }, labels: labels('A') }, { metadata: { name: 'a', namespace: 'd', uid: 'A', attempt: 0 } });
    await pleg.relist();
    expect(woken).toEqual(['A']);
    await rt.removeContainer(c);
    await pleg.relist();
    expect(woken).toEqual(['A', 'A']);
  });

  it('a runtime without an event stream (containerd 1.6: Unimplemented) is relisted only, without warnings', async () => {
    class NoEvents extends FakeRuntime {
      eventCalls = 0;
      override events(): AsyncIterable<RuntimeEvent> {
        this.eventCalls++;
        return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new CriError('Unimplemented', 'unknown method GetContainerEvents')) }) };
      }
    }
    const rt = new NoEvents({ images: ['busybox:1'] });
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: new Writable({ write(c: Buffer, _e, cb) { lines.push(c.toString()); cb(); } }) });
    const woken: string[] = [];
    const pleg = new Pleg({ runtime: rt, relistMs: 5, log, onPodChange: (uid) => woken.push(uid) });
    const ac = new AbortController();
    const run = pleg.run(ac.signal);
    await rt.runPodSandbox({ metadata: { name: 'a', namespace: 'd', uid: 'A', attempt: 0 }, labels: { 'io.kubernetes.pod.uid': 'A' } });
    await new Promise((r) => setTimeout(r, 60));
    ac.abort();
    await run;
    expect(woken).toContain('A');
    expect(rt.eventCalls).toBe(1);
    expect(lines.join('')).toContain('Runtime has no event stream; relisting only');
    expect(lines.join('')).not.toContain('"level":40');
  });
});
