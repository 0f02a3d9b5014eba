import { describe, expect, it } from 'vitest';
import { CriLogJoiner, criLogTimeMs, formatCriLogRecord, parseCriLogRecord } from './cri-log-format.js';

const rec = (s: string) => parseCriLogRecord(Buffer.from(s));

describe('CRI log format', () => {
  it.each([
    ['2026-11-21T23:11:07.484211664Z stdout F hello-stdout', { time: '2026-11-21T23:11:07.484211664Z', stream: 'stdout', partial: false, text: 'hello-stdout' }],
    ['2026-11-21T23:11:07.48471886Z stderr F hello-stderr', { time: '2026-11-21T23:11:07.48471886Z', stream: 'stderr', partial: false, text: 'hello-stderr' }],
    ['2026-11-21T23:11:07Z stdout P  two  spaces ', { time: '2026-11-21T23:11:07Z', stream: 'stdout', partial: true, text: ' two  spaces ' }],
    ['2026-11-21T23:11:07.1+02:00 stdout F ', { time: '2026-11-21T23:11:07.1+02:00', stream: 'stdout', partial: false, text: '' }],
    ['2026-11-21T23:11:07.1Z stdout F', { time: '2026-11-21T23:11:07.1Z', stream: 'stdout', partial: false, text: '' }],
  ])('parses %j', (line, want) => {
    const r = rec(line);
    expect(r && { ...r, text: r.text.toString() }).toEqual(want);
  });

  it.each([
    ['no time'], ['hello stdout F x'], ['2026-11-21T23:11:07Z stdin F x'], ['2026-11-21T23:11:07Z stdout X x'],
    ['2026-11-21T23:11:07Z stdout Fx'], ['2026-11-21T23:11:07Z stdout'], [''],
  ])('refuses %j', (line) => {
    expect(rec(line)).toBeUndefined();
  });

  it('keeps the text bytes as written (not UTF-8 decoded)', () => {
    const raw = Buffer.concat([Buffer.from('2026-11-21T23:11:07Z stdout F '), Buffer.from([0xff, 0xfe, 0x20, 0x0d])]);
    expect([...parseCriLogRecord(raw)!.text]).toEqual([0xff, 0xfe, 0x20, 0x0d]);
  });

  it('formats what it parses', () => {
    const r = rec('2026-11-21T23:11:07.5Z stderr P abc')!;
    expect(formatCriLogRecord(r).toString()).toBe('2026-11-21T23:11:07.5Z stderr P abc\n');
  });

  it('reads times with any fraction width and offset', () => {
    expect(criLogTimeMs('2026-11-21T23:11:07.484211664Z')).toBe(Date.UTC(2026, 10, 21, 23, 11, 7, 484));
    expect(criLogTimeMs('2026-11-21T23:11:07.4Z')).toBe(Date.UTC(2026, 10, 21, 23, 11, 7, 400));
    expect(criLogTimeMs('2026-11-21T23:11:07Z')).toBe(Date.UTC(2026, 10, 21, 23, 11, 7));
    expect(criLogTimeMs('2026-11-22T01:11:07.25+02:00')).toBe(Date.UTC(2026, 10, 21, 23, 11, 7, 250));
    expect(criLogTimeMs('yesterday')).toBeNaN();
  });

  it('joins P records with their F record per stream, stamped with the first record time', () => {
    const j = new CriLogJoiner();
    expect(j.push(rec('2026-11-21T23:00:01Z stdout P aaa')!)).toBeUndefined();
    expect(j.push(rec('2026-11-21T23:00:02Z stderr F err')!)).toMatchObject({ stream: 'stderr', time: '2026-11-21T23:00:02Z' });
    expect(j.push(rec('2026-11-21T23:00:03Z stdout P bbb')!)).toBeUndefined();
    const line = j.push(rec('2026-11-21T23:00:04Z stdout F ccc')!);
    expect(line && { ...line, line: line.line.toString() }).toEqual({ time: '2026-11-21T23:00:01Z', stream: 'stdout', line: 'aaabbbccc' });
    expect(j.hasPending).toBe(false);
  });

  it('flushes partial lines that never got their F record, oldest first', () => {
    const j = new CriLogJoiner();
    j.push(rec('2026-11-21T23:00:05Z stdout P out')!);
    j.push(rec('2026-11-21T23:00:04Z stderr P err')!);
    expect(j.hasPending).toBe(true);
    expect(j.flush().map((l) => `${l.stream}:${l.line.toString()}`)).toEqual(['stderr:err', 'stdout:out']);
    expect(j.hasPending).toBe(false);
  });
});
