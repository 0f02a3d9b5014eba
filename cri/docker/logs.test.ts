import { describe, expect, it } from 'vitest';
import { LogLineParser } from './logs.js';

describe('LogLineParser', () => {
  it('splits timestamped lines per stream and joins pieces', () => {
    const p = new LogLineParser();
    const a = p.push('stdout', Buffer.from('2026-11-21T23:11:07.484211664Z hello wo'));
    expect(a).toEqual([]);
    const b = p.push('stderr', Buffer.from('2026-11-21T23:11:07.5Z err\n'));
    const c = p.push('stdout', Buffer.from('rld\n2026-11-21T23:11:08Z \n2026-11-21T23:11:09Z tail'));
    expect([...b, ...c, ...p.flush()].map((l) => [l.time, l.stream, l.line.toString()])).toEqual([
      ['2026-11-21T23:11:07.5Z', 'stderr', 'err'],
      ['2026-11-21T23:11:07.484211664Z', 'stdout', 'hello world'],
      ['2026-11-21T23:11:08Z', 'stdout', ''],
      ['2026-11-21T23:11:09Z', 'stdout', 'tail'],
    ]);
  });

  it('keeps lines without a timestamp whole', () => {
    const [l] = new LogLineParser().push('stdout', Buffer.from('no stamp here\n'));
    expect(l?.line.toString()).toBe('no stamp here');
  });
});
