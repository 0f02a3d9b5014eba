import { describe, expect, it } from 'vitest';
import { intFlag, labelSelector, outputFormat, parseArgs } from './args.js';
import { UsageError } from '../flags.js';
import { matchPrefix } from './resolve.js';
import { CriError } from '../../cri/errors.js';

const SPEC = {
  quiet: { kind: 'bool', short: 'q' }, interactive: { kind: 'bool', short: 'i' }, tty: { kind: 'bool', short: 't' },
  last: { kind: 'value', short: 'n' }, label: { kind: 'multi' }, output: { kind: 'value', short: 'o' },
} as const;

describe('crictl flags', () => {
  it('reads long, short, inline and bundled flags with positionals anywhere', () => {
    const p = parseArgs(['-q', 'x', '--last=3', '--label', 'a=b', '--label', 'c=d', '-oyaml', 'y'], SPEC);
    expect(p.positionals).toEqual(['x', 'y']);
    expect(p.has('quiet')).toBe(true);
    expect(intFlag(p, 'last', 0)).toBe(3);
    expect(labelSelector(p)).toEqual({ a: 'b', c: 'd' });
    expect(outputFormat(p)).toBe('yaml');
    const b = parseArgs(['-it', '-n', '2'], SPEC);
    expect([b.has('interactive'), b.has('tty'), b.value('last')]).toEqual([true, true, '2']);
  });

  it('stops at the first positional for exec, and at --', () => {
    expect(parseArgs(['-i', 'abc', 'ls', '-l'], SPEC, { stopAtPositional: true }).positionals).toEqual(['abc', 'ls', '-l']);
    expect(parseArgs(['--', '-q'], SPEC).positionals).toEqual(['-q']);
  });

  it.each([
    [['--nope']], [['-x']], [['--last']], [['--label', 'a=b=c']],
  ])('rejects %j as a usage error', (argv) => {
    expect(() => { const p = parseArgs(argv, SPEC); labelSelector(p); }).toThrow(UsageError);
  });

  it('rejects a bad -o and a bad --last', () => {
    expect(() => outputFormat(parseArgs(['-o', 'xml'], SPEC))).toThrow(/unsupported output format "xml"/);
    expect(() => intFlag(parseArgs(['--last', '-1'], SPEC), 'last', 0)).toThrow(UsageError);
  });
});

describe('ID prefixes', () => {
  const ids = ['abc123', 'abd456', 'ffff'];
  it('resolves a full ID or a unique prefix', () => {
    expect(matchPrefix(ids, 'abc123', 'container')).toBe('abc123');
    expect(matchPrefix(ids, 'abd', 'container')).toBe('abd456');
    expect(matchPrefix(ids, 'f', 'container')).toBe('ffff');
  });
  it('no match is NotFound, several a usage error, empty a usage error', () => {
    expect(() => matchPrefix(ids, 'zz', 'container')).toThrow(CriError);
    expect(() => matchPrefix(ids, 'ab', 'container')).toThrow(/ambiguous/);
    expect(() => matchPrefix(ids, '', 'container')).toThrow(UsageError);
  });
});
