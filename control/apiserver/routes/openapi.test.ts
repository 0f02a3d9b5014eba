import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { acceptsGzip } from './openapi.js';

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true], ['deflate, gzip;q=0.5', true], ['*', true], [undefined, false], ['identity', false], ['gzip;q=0', false], ['br', false],
  ])('%s → %s', (header, want) => { expect(acceptsGzip(header)).toBe(want); });
});

describe('GET /openapi/v3/<gv>', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  it('sends the gzipped document to a client that takes gzip, and the same JSON to one that does not', async () => {
    const zipped = await server.app.inject({ method: 'GET', url: '/openapi/v3/apis/apps/v1', headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const plain = await server.app.inject({ method: 'GET', url: '/openapi/v3/apis/apps/v1' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
    expect(plain.headers['etag']).toBe(zipped.headers['etag']);
    expect(JSON.parse(plain.body)).toMatchObject({ openapi: '3.0.0' });
  });
});
