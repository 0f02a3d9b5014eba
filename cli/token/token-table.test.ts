import { describe, expect, it } from 'vitest';
import { renderTokenTable, shortHumanDuration, tabwrite } from './token-table.js';

describe('token list table', () => {
  it.each([
    [-5000, '<invalid>'], [-1500, '0s'], [0, '0s'], [59_999, '59s'], [60_000, '1m'], [3_599_999, '59m'], [86_399_000, '23h'],
    [86_400_000, '1d'], [364 * 86_400_000, '364d'], [800 * 86_400_000, '2y'],
  ])('shortHumanDuration(%d) = %s', (ms, want) => expect(shortHumanDuration(ms)).toBe(want));

  it('pads like Go’s tabwriter(minwidth 10, padding 3); the last cell is not padded', () => {
    expect(tabwrite([['A', 'LONGER-THAN-TEN', 'x'], ['BB', 'y', 'zz']])).toBe('A         LONGER-THAN-TEN   x\nBB        y                 zz\n');
  });

  it('renders kubeadm’s columns', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const out = renderTokenTable([
      { token: { id: 'abcdef', secret: '0123456789abcdef' }, expires: new Date('2026-01-01T23:59:59Z'), usages: ['authentication', 'signing'],
        groups: ['system:bootstrappers:tinykube:default-node-token'], description: 'first' },
      { token: { id: 'zzzzzz', secret: '0123456789abcdef' }, usages: [], groups: [] },
    ], now);
    expect(out.split('\n')).toEqual([
      'TOKEN                     TTL         EXPIRES                USAGES                   DESCRIPTION   EXTRA GROUPS',
      'abcdef.0123456789abcdef   23h         2026-01-01T23:59:59Z   authentication,signing   first         system:bootstrappers:tinykube:default-node-token',
      'zzzzzz.0123456789abcdef   <forever>   <never>                <none>                   <none>        <none>',
      '',
    ]);
  });
});
