import { describe, expect, it } from 'vitest';
import { silentLogger } from '../control/util/log.js';
import { FakeRuntime } from '../cri/fake/fake-runtime.js';
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
});
