import { describe, expect, it } from 'vitest';
import { parseCriLogRecord } from './cri-log-format.js';

describe("Docker's json-file lines read as CRI log records", () => {
  it('a full line, a partial one, stderr', () => {
    expect(parseCriLogRecord(Buffer.from('{"log":"hello\\n","stream":"stdout","time":"2026-12-05T12:00:00.123456789Z"}')))
      .toEqual({ time: '2026-12-05T12:00:00.123456789Z', stream: 'stdout', partial: false, text: Buffer.from('hello') });
    expect(parseCriLogRecord(Buffer.from('{"log":"part","stream":"stderr","time":"2026-12-05T12:00:00Z"}')))
      .toMatchObject({ stream: 'stderr', partial: true, text: Buffer.from('part') });
  });

  it('refuses broken JSON and other shapes', () => {
    for (const l of ['{"log":', '{"log":1,"stream":"stdout","time":"t"}', '{"log":"x\\n","stream":"other","time":"t"}', '[]']) {
      expect(parseCriLogRecord(Buffer.from(l))).toBeUndefined();
    }
  });
});
