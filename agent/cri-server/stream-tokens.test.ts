import { describe, expect, it } from 'vitest';
import { StreamTokens, TooManyInFlightError } from './stream-tokens.js';
import type { StreamRequest } from './stream-tokens.js';

const req: StreamRequest = { kind: 'exec', containerId: 'c1', cmd: ['ls'], tty: false, stdin: false, stdout: true, stderr: true };

describe('StreamTokens', () => {
  it('gives a request back once, a copy of what was stored', () => {
    const t = new StreamTokens();
    const cmd = ['ls'];
    const token = t.insert({ ...req, cmd });
    cmd.push('-l');
    expect(t.consume(token)).toEqual(req);
    expect(t.consume(token)).toBeUndefined();
    expect(t.consume('unknown')).toBeUndefined();
  });

  it('forgets tokens after their TTL', () => {
    let now = 1000;
    const t = new StreamTokens({ ttlMs: 60_000, now: () => now });
    const a = t.insert(req);
    now += 59_999;
    const b = t.insert(req);
    expect(t.consume(a)).toEqual(req);
    now += 60_000;
    expect(t.consume(b)).toBeUndefined();
    expect(t.size).toBe(0);
  });

  it('refuses more than maxInFlight unexpired tokens, and makes room as they expire', () => {
    let now = 0;
    const t = new StreamTokens({ maxInFlight: 2, ttlMs: 10, now: () => now });
    t.insert(req);
    t.insert(req);
    expect(() => t.insert(req)).toThrow(TooManyInFlightError);
    now = 10;
    expect(t.consume(t.insert(req))).toEqual(req);
  });
});
