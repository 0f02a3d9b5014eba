import { describe, expect, it } from 'vitest';
import { boolPtr, containerCells, formatLabelSelector, formatLabels, joinHostPort, listWithMore, selectorString } from './cell-format.js';

describe('formatLabels', () => {
  it('sorts keys and joins k=v', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
  });
  it('prints <none> when empty', () => {
    expect(formatLabels(undefined)).toBe('<none>');
    expect(formatLabels({})).toBe('<none>');
  });
});

describe('selectorString / formatLabelSelector', () => {
  it('renders requirements sorted by key with sorted values', () => {
    const sel = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'zz', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    };
    expect(selectorString(sel)).toBe('app=web,!canary,env notin (prod),tier in (a,b),zz');
  });
  it('is empty for nil or empty selectors, which FormatLabelSelector shows as <none>', () => {
    expect(selectorString(undefined)).toBe('');
    expect(selectorString({})).toBe('');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector({ matchLabels: { app: 'x' } })).toBe('app=x');
  });
  it('reports an invalid operator', () => {
    expect(selectorString({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })).toBeUndefined();
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })).toBe('<error>');
  });
});

describe('small helpers', () => {
  it('lays out container names and images', () => {
    expect(containerCells([{ name: 'a', image: 'nginx' }, { name: 'b', image: 'busybox' }])).toEqual(['a,b', 'nginx,busybox']);
    expect(containerCells(undefined)).toEqual(['', '']);
  });
  it('prints bool pointers', () => {
    expect([boolPtr(true), boolPtr(false), boolPtr(undefined)]).toEqual(['True', 'False', '<unset>']);
  });
  it('joins host and port, bracketing IPv6', () => {
    expect(joinHostPort('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(joinHostPort('fd00::1', 80)).toBe('[fd00::1]:80');
  });
  it('lists with "+ N more..."', () => {
    expect(listWithMore([], 0, 3)).toBe('<unset>');
    expect(listWithMore(['a', 'b'], 2, 3)).toBe('a,b');
    expect(listWithMore(['a', 'b', 'c'], 5, 3)).toBe('a,b,c + 2 more...');
  });
});
