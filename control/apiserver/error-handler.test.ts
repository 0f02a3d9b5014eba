import { describe, expect, it } from 'vitest';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import { LogCapture } from '../util/testing/log-capture.js';
import { errorHandler } from './error-handler.js';

describe('errorHandler', () => {
  it('answers an unknown error with a 500 InternalError and logs it once, reqId bound once', async () => {
    const capture = new LogCapture();
    const app = Fastify({
      loggerInstance: capture.log.child({ component: 'apiserver' }), logController: new LogController({ disableRequestLogging: true }),
    }) as unknown as FastifyInstance;
    app.setErrorHandler(errorHandler);
    app.get('/boom', async () => { throw new Error('disk on fire'); });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, reason: 'InternalError',
      message: 'Internal error occurred: an error on the server has prevented the request from succeeding',
    });
    const failed = capture.entries.filter((e) => e['msg'] === 'Request failed');
    expect(failed).toEqual([expect.objectContaining({ component: 'apiserver', reqId: expect.any(String) as unknown, err: expect.objectContaining({ message: 'disk on fire' }) as unknown })]);
    expect(capture.duplicates()).toEqual([]);
    await app.close();
  });

  it("answers the router's refusal of a malformed path escape with a 400 Status", async () => {
    const app = Fastify({
      logController: new LogController({ disableRequestLogging: true }),
      frameworkErrors: (err, req, reply) => { errorHandler(err, req, reply); },
    }) as unknown as FastifyInstance;
    app.setErrorHandler(errorHandler);
    app.get('/api/v1/:name', async () => ({ ok: true }));
    const res = await app.inject({ method: 'GET', url: '/api/v1/%zz' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 400, reason: 'BadRequest' });
    await app.close();
  });

  it('answers a Content-Type header that does not parse with a 415 Status', async () => {
    const app = Fastify({ logController: new LogController({ disableRequestLogging: true }) }) as unknown as FastifyInstance;
    app.setErrorHandler(errorHandler);
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.post('/x', async () => ({ ok: true }));
    const res = await app.inject({ method: 'POST', url: '/x', headers: { 'content-type': '' }, payload: '{}' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 415, reason: 'UnsupportedMediaType' });
    await app.close();
  });
});
