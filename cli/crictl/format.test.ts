import { describe, expect, it } from 'vitest';
import { ago, humanDuration, humanSize, renderTable, truncateId } from './format.js';

describe('crictl formatting', () => {
  it.each([
    [0, 'Less than a second'], [1_000, '1 second'], [59_000, '59 seconds'], [60_000, 'About a minute'], [119_000, 'About a minute'],
    [120_000, '2 minutes'], [59 * 60_000, '59 minutes'], [60 * 60_000, 'About an hour'], [5 * 3_600_000, '5 hours'],
    [3 * 86_400_000, '3 days'], [20 * 86_400_000, '2 weeks'], [90 * 86_400_000, '3 months'], [800 * 86_400_000, '2 years'],
  ])('HumanDuration(%i ms) = %s', (ms, text) => { expect(humanDuration(ms)).toBe(text); });

  it('CREATED is relative to the injected clock', () => {
    expect(ago(1_000_000 * 1e6, 1_000_000 + 75_000)).toBe('About a minute ago');
  });

  it.each([[0, '0B'], [738, '738B'], [1_980_000, '1.98MB'], [4_414_000, '4.41MB'], [123_456_789, '123MB'], [2_500_000_000, '2.5GB']])(
    'size %i = %s', (b, text) => { expect(humanSize(b)).toBe(text); });

  it('truncates IDs to 13 characters, dropping a prefix', () => {
    expect(truncateId('0123456789abcdef0123')).toBe('0123456789abc');
    expect(truncateId('sha256:ec055ee6c4a0b1234', 'sha256:')).toBe('ec055ee6c4a0b');
  });

  it('pads like tabwriter(minwidth 20, padding 3), last cell unpadded', () => {
    expect(renderTable([['A', 'B', 'C'], ['a-very-long-cell-value', 'b', 'c']])).toBe(
      `${'A'.padEnd(25)}${'B'.padEnd(20)}C\n${'a-very-long-cell-value'.padEnd(25)}${'b'.padEnd(20)}c\n`);
  });
});

describe('crictl images order', () => {
  it("is Go's insertion sort under crictl's imageByRef.Less (untagged images stay among tagged ones)", async () => {
    const { crictlImageOrder } = await import('./commands/images.js');
    const img = (id: string, tags: string[] = [], digests: string[] = []) => ({ id, repoTags: tags, repoDigests: digests, size: 1 });
    const list = [img('sha256:c', ['zeta:1']), img('sha256:b'), img('sha256:a', ['alpha:1']), img('sha256:0'), img('sha256:d', ['beta:1'])];
    expect(crictlImageOrder(list).map((i) => i.id)).toEqual(['sha256:0', 'sha256:a', 'sha256:b', 'sha256:d', 'sha256:c']);
    expect(crictlImageOrder([img('x', ['b:1']), img('y', ['a:1'])]).map((i) => i.repoTags[0])).toEqual(['a:1', 'b:1']);
  });
});
