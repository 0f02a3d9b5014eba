import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { duplicateKeys } from './duplicate-keys.js';

describe('duplicateKeys', () => {
  it.each([
    ['no duplicates', '{"a":1,"b":"x"}', []],
    ['a top-level key twice', '{"component":"controller","controller":"x","component":"scheduler"}', ['component']],
    ['nested keys are their own objects', '{"a":{"a":1,"b":2},"b":[{"a":1},{"a":2}]}', []],
    ['a key inside a string value is not a key', '{"msg":"\\"a\\":1,","a":1}', []],
    ['escaped quotes in keys', '{"a\\"b":1,"a\\"b":2}', ['a"b']],
    ['several', '{"x":1,"y":2,"x":3,"y":4,"x":5}', ['x', 'y']],
  ])('%s', (_name, json, want) => {
    expect(duplicateKeys(json)).toEqual(want);
  });

  it('sees what pino writes for a key bound on a child and its parent', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(chunk.toString('utf8').trim()); cb(); } });
    pino({ base: undefined }, sink).child({ component: 'a' }).child({ component: 'b' }).info('x');
    expect(duplicateKeys(lines[0] ?? '')).toEqual(['component']);
    expect((JSON.parse(lines[0] ?? '{}') as { component?: string }).component).toBe('b'); // JSON.parse hides it
  });
});
