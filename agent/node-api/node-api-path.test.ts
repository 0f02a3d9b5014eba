import { describe, expect, it } from 'vitest';
import { renderLogLine } from './container-logs.js';
import { exitStatus } from './exec-status.js';
import { logRequestOf, parseNodeApiPath, streamRequestOf } from './node-api-path.js';
import { parseResize } from './session-pump.js';
import { expectedStreams } from './spdy-exec.js';
import { wantsSpdy } from './spdy.js';
import { frame } from './websocket-stream.js';

describe('node API paths and parameters', () => {
  it.each([
    ['/containerLogs/ns/p/c?follow=true', { endpoint: 'containerLogs', namespace: 'ns', pod: 'p', container: 'c' }],
    ['/exec/ns/p/c?command=ls', { endpoint: 'exec', namespace: 'ns', pod: 'p', container: 'c' }],
    ['/attach/ns/p/c', { endpoint: 'attach', namespace: 'ns', pod: 'p', container: 'c' }],
    ['/portForward/ns/p', { endpoint: 'portForward', namespace: 'ns', pod: 'p' }],
  ])('parses %s', (url, want) => {
    expect(parseNodeApiPath(url)).toMatchObject(want);
  });

  it.each(['/exec/ns/p', '/portForward/ns/p/c', '/stats/summary', '/'])('rejects %s', (url) => {
    expect(parseNodeApiPath(url)).toBeUndefined();
  });

  it('reads exec flags in the kubelet spelling and the API spelling; tty drops stderr', () => {
    expect(streamRequestOf(new URLSearchParams('command=echo&command=hi&input=1&output=1&error=1')))
      .toEqual({ cmd: ['echo', 'hi'], stdin: true, stdout: true, stderr: true, tty: false });
    expect(streamRequestOf(new URLSearchParams('command=sh&stdin=true&stdout=true&stderr=true&tty=true')))
      .toEqual({ cmd: ['sh'], stdin: true, stdout: true, stderr: false, tty: true });
  });

  it('reads the API spelling as upstream\'s parameter codec does (Python sends True/False); the kubelet spelling is 1 only', () => {
    expect(streamRequestOf(new URLSearchParams('command=sh&stdin=True&stdout=TRUE&stderr=False&tty=false')))
      .toEqual({ cmd: ['sh'], stdin: true, stdout: true, stderr: false, tty: false });
    expect(streamRequestOf(new URLSearchParams('command=sh&input=true&output=0&error=1')))
      .toEqual({ cmd: ['sh'], stdin: false, stdout: false, stderr: true, tty: false });
    const now = new Date('2024-05-01T10:00:00Z');
    expect(logRequestOf(new URLSearchParams('follow=True&previous=False&timestamps=t'), now))
      .toMatchObject({ follow: true, previous: false, timestamps: true });
  });

  it('reads log options; sinceSeconds wins over sinceTime', () => {
    const now = new Date('2024-05-01T10:00:00Z');
    expect(logRequestOf(new URLSearchParams('follow=true&tailLines=2&timestamps=true&limitBytes=10&sinceSeconds=60'), now)).toEqual({
      follow: true, previous: false, timestamps: true, tailLines: 2, limitBytes: 10, sinceSeconds: 60, sinceTime: new Date('2024-05-01T09:59:00Z'),
    });
  });

  it('renders a log line with its newline and the timestamp in front', () => {
    expect(renderLogLine('T', Buffer.from('a'), true).toString()).toBe('T a\n');
    expect(renderLogLine('T', Buffer.from('a\n'), false).toString()).toBe('a\n');
  });
});

describe('stream protocol pieces', () => {
  it('frames a channel message as one leading byte', () => {
    expect([...frame(1, 'hi')]).toEqual([1, 104, 105]);
  });

  it('tells a SPDY upgrade from the rest', () => {
    expect(wantsSpdy('SPDY/3.1')).toBe(true);
    expect(wantsSpdy('websocket')).toBe(false);
  });

  it('expects the streams kubectl opens for the flags', () => {
    expect(expectedStreams({ stdin: false, stdout: true, stderr: true, tty: false })).toEqual(['error', 'stdout', 'stderr']);
    expect(expectedStreams({ stdin: true, stdout: true, stderr: true, tty: true })).toEqual(['error', 'stdin', 'stdout', 'resize']);
  });

  it('parses resize messages, several per chunk', () => {
    expect(parseResize('{"Width":80,"Height":24}{"Width":100,"Height":30}')).toEqual([{ width: 80, height: 24 }, { width: 100, height: 30 }]);
  });

  it('words a non-zero exit as kubectl expects', () => {
    expect(exitStatus(3)).toEqual({
      metadata: {}, status: 'Failure', message: 'command terminated with non-zero exit code: exit status 3',
      reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(exitStatus(0)).toEqual({ metadata: {}, status: 'Success' });
  });
});
