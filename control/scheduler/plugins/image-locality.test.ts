import { describe, expect, it } from 'vitest';
import { Snapshot } from '../snapshot.js';
import { cycleState, makeNode, makePod } from '../testing/fixtures.js';
import { imageLocalityPlugin } from './image-locality.js';

const MB = 1024 * 1024;

describe('ImageLocality', () => {
  it('scores nodes by image size scaled by how many nodes have the image', () => {
    const s = new Snapshot();
    s.setNode(makeNode('has', { images: [{ names: ['nginx:1.27', 'docker.io/library/nginx:1.27'], sizeBytes: 500 * MB }] }));
    s.setNode(makeNode('also', { images: [{ names: ['nginx:1.27'], sizeBytes: 500 * MB }, { names: ['busybox:latest'], sizeBytes: 5 * MB }] }));
    s.setNode(makeNode('none'));
    s.setNode(makeNode('none2'));
    const plugin = imageLocalityPlugin(s);
    const pod = makePod('p', { image: 'nginx:1.27' });
    const state = cycleState(pod);
    const score = (n: string) => plugin.score(state, pod, s.get(n)!);
    // 500MB · 2/4 nodes = 250MB; (250 - 23) / (1000 - 23) · 100 = 23
    expect(score('has')).toBe(23);
    expect(score('also')).toBe(23);
    expect(score('none')).toBe(0);
  });

  it('normalizes untagged images to :latest and ignores tiny ones', () => {
    const s = new Snapshot();
    s.setNode(makeNode('n', { images: [{ names: ['busybox:latest'], sizeBytes: 5 * MB }] }));
    const pod = makePod('p', { image: 'busybox' });
    expect(imageLocalityPlugin(s).score(cycleState(pod), pod, s.get('n')!)).toBe(0);
    const big = new Snapshot();
    big.setNode(makeNode('n', { images: [{ names: ['busybox:latest'], sizeBytes: 2000 * MB }] }));
    expect(imageLocalityPlugin(big).score(cycleState(pod), pod, big.get('n')!)).toBe(100);
  });
});
