import { describe, expect, it } from 'vitest';
import { CriError } from '../errors.js';
import { DockerEngineError, errorFromReply } from './engine/errors.js';
import { dockerIdempotent, translateDockerError } from './errors.js';

const httpError = (statusCode: number, message: string): Error => errorFromReply(statusCode, JSON.stringify({ message }));

describe('translateDockerError', () => {
  it.each([[404, 'NotFound'], [409, 'AlreadyExists'], [400, 'InvalidArgument'], [500, 'Unknown']] as const)('%d → %s', (code, kind) => {
    const e = translateDockerError(httpError(code, 'No such container: x'), 'inspect x');
    expect(e.kind).toBe(kind);
    expect(e.message).toBe('inspect x: No such container: x');
  });
  it('socket errors are Unavailable; CriErrors pass through', () => {
    expect(translateDockerError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'ping').kind).toBe('Unavailable');
    const c = new CriError('DeadlineExceeded', 'x');
    expect(translateDockerError(c, 'y')).toBe(c);
  });
  it('in-stream errors are Unknown, aborts DeadlineExceeded', () => {
    const e = translateDockerError(new DockerEngineError({ code: 'DOCKER_STREAM_ERROR', message: 'manifest unknown' }), 'pull image x');
    expect(e).toMatchObject({ kind: 'Unknown', message: 'pull image x: manifest unknown' });
    expect(translateDockerError(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }), 'logs').kind).toBe('DeadlineExceeded');
  });
  it('idempotent calls accept 404 and 304 only', async () => {
    await dockerIdempotent('stop', () => Promise.reject(httpError(304, 'not modified')));
    await dockerIdempotent('rm', () => Promise.reject(httpError(404, 'gone')));
    await expect(dockerIdempotent('rm', () => Promise.reject(httpError(500, 'x')))).rejects.toMatchObject({ kind: 'Unknown' });
  });
});
