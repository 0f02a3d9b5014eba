import { describe, expect, it } from 'vitest';
import { validateHeaderValue } from 'node:http';
import { warningHeaderValue } from './warning-header.js';

describe('warningHeaderValue', () => {
  it('quotes as upstream does', () => {
    expect(warningHeaderValue('unknown field "spec.x\\y"')).toBe('299 - "unknown field \\"spec.x\\\\y\\""');
  });

  it.each([
    ['non-latin1 text', 'unknown field "spec.🚀ü"'],
    ['control characters', 'a\u0000b\u0017c\r\nd\u007f'],
    ['a lone surrogate', 'x\ud800y'],
  ])('%s: a value Node accepts, carrying the UTF-8 bytes', (_name, text) => {
    const v = warningHeaderValue(text);
    expect(() => validateHeaderValue('Warning', v)).not.toThrow();
    const back = Buffer.from(v, 'latin1').toString('utf8');
    expect(back.startsWith('299 - "')).toBe(true);
    expect(back).not.toMatch(/[\u0000-\u0008\u000a-\u001f]/);
  });

  it('keeps UTF-8 text readable after decoding the bytes', () => {
    expect(Buffer.from(warningHeaderValue('spec.🚀'), 'latin1').toString('utf8')).toBe('299 - "spec.🚀"');
  });
});
