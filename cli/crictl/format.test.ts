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
