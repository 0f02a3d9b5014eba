/**
 * Work per request is bounded and wrongly typed fields are refused at decode time, each with
 * upstream's Status, and a refused request changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { CONFIGMAPS, configMap } from '../testing/fixtures.js';
import type { ApiError } from '../../api/status.js';
import { applyPatch } from './patch.js';

const JSONPATCH = { 'content-type': 'application/json-patch+json' };
const MERGE = { 'content-type': 'application/merge-patch+json' };
const SMP = { 'content-type': 'application/strategic-merge-patch+json' };
const YAML = { 'content-type': 'application/yaml' };
const NODES = '/api/v1/nodes';

describe('request limits and decode-time types', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer();
    expect((await s.request('POST', CONFIGMAPS, configMap('cm'))).status).toBe(201);
    expect((await s.request('POST', NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', annotations: { a: 'x'.repeat(100) } } })).status).toBe(201);
  });
  afterEach(async () => { await s.close(); });

  /** Sends a request that must be refused with `code`; nothing in `collection` may change. */
  async function refused(code: number, method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown, headers?: Record<string, string>, collection = CONFIGMAPS) {
    const before = await s.listRv(collection);
    const res = await s.request(method, url, body, headers);
    expect(res.status, res.text.slice(0, 300)).toBe(code);
    expect(res.body).toMatchObject({ kind: 'Status', code });
    expect(await s.listRv(collection)).toBe(before);
    return res.body as { message: string; reason: string; details?: { causes?: Array<{ field: string; message: string }> } };
  }

  it('a JSON patch that copies the annotations into themselves 30 times is a 422 and the node is unchanged', async () => {
    const ops = Array.from({ length: 30 }, (_, i) => ({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/x${i}` }));
    const st = await refused(422, 'PATCH', `${NODES}/n1`, ops, JSONPATCH, NODES);
    expect(st).toMatchObject({ reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });
    expect((await s.request('GET', `${NODES}/n1`)).body.metadata?.['annotations']).toEqual({ a: 'x'.repeat(100) });
  });

  it.each([['merge' as const], ['strategic' as const], ['json' as const]])('a %s patch that grows the object past 3 MiB is a 413', (type) => {
    const current = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'x'.repeat(1600 * 1024) } };
    const b = 'y'.repeat(1600 * 1024);
    const patch = type === 'json' ? [{ op: 'add', path: '/data/b', value: b }] : { data: { b } };
    let status: unknown;
    try { applyPatch(type, 'ConfigMap', 'v1', current, patch); } catch (err) { status = (err as ApiError).status; }
    expect(status).toMatchObject({ code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' });
    expect(applyPatch(type, 'ConfigMap', 'v1', current, type === 'json' ? [{ op: 'add', path: '/data/b', value: 'y' }] : { data: { b: 'y' } }).data).toHaveProperty('b', 'y');
  });

  it('JSON nested deeper than 500 levels is a 400, for objects and patches', async () => {
    const deep = `${'['.repeat(2000)}${']'.repeat(2000)}`;
    const create = await refused(400, 'POST', CONFIGMAPS, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${deep}}`);
    expect(create).toMatchObject({ reason: 'BadRequest', message: "couldn't get version/kind; json parse error: invalid character '[' exceeded max depth" });
    await refused(400, 'PATCH', `${CONFIGMAPS}/cm`, `{"data":{"a":"b"},"x":${deep}}`, MERGE);
    await refused(400, 'PATCH', `${CONFIGMAPS}/cm`, `[{"op":"add","path":"/x","value":${deep}}]`, JSONPATCH);
  });

  it('JSON nested just under the limit in a free-form field is created and replaced, never a 500', async () => {
    const deep = `${'{"a":'.repeat(495)}1${'}'.repeat(495)}`;
    const body = (name: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}","managedFields":[{"manager":"m","operation":"Update","fieldsV1":${deep}}]},"data":{"k":"v"}}`;
    const created = await s.request('POST', CONFIGMAPS, body('ff'));
    expect(created.status, created.text.slice(0, 300)).toBe(201);
    const replaced = await s.request('PUT', `${CONFIGMAPS}/ff`, body('ff').replace('"v"', '"w"'));
    expect(replaced.status, replaced.text.slice(0, 300)).toBe(200);
  });

  it('YAML nested too deep is a 400', async () => {
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deepy\ndata: ${'['.repeat(2000)}${']'.repeat(2000)}\n`;
    const st = await refused(400, 'POST', CONFIGMAPS, yaml, YAML);
    expect(st).toMatchObject({ reason: 'BadRequest', message: 'error converting YAML to JSON: yaml: exceeded max depth of 500' });
  });

  it('YAML aliases cannot nest deeper than the text shows', async () => {
    const anchors = ['a0: &a0 ' + '['.repeat(200) + ']'.repeat(200)];
    for (let i = 1; i < 6; i++) anchors.push(`a${i}: &a${i} ${'['.repeat(200)}*a${i - 1}${']'.repeat(200)}`);
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alias\nx:\n${anchors.map((l) => `  ${l}`).join('\n')}\n`;
    const st = await refused(400, 'POST', CONFIGMAPS, yaml, YAML);
    expect(st.message).toMatch(/exceeded max depth|Maximum call stack/);
  });

  it('a number as an annotation value: create and replace are 400, patch is 422', async () => {
    const bad = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', annotations: { n: 1 } } };
    const want = 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string';
    expect(await refused(400, 'POST', CONFIGMAPS, { ...bad, metadata: { ...bad.metadata, name: 'other' } })).toMatchObject({ reason: 'BadRequest', message: want });
    expect(await refused(400, 'PUT', `${CONFIGMAPS}/cm`, bad)).toMatchObject({ reason: 'BadRequest', message: want });
    const st = await refused(422, 'PATCH', `${CONFIGMAPS}/cm`, { metadata: { annotations: { n: 1 } } }, MERGE);
    expect(st.reason).toBe('Invalid');
    expect(st.message).toMatch(/^ "" is invalid: patch: Invalid value: ".*": json: cannot unmarshal number into Go struct field ObjectMeta\.metadata\.annotations of type string$/);
    expect(st.details?.causes?.[0]?.field).toBe('patch');
  });

  it('an object as a node address is refused on the status subresource too', async () => {
    const patch = { status: { addresses: [{ type: 'InternalIP', address: { evil: '1.2.3.4\n-A X' } }] } };
    const st = await refused(422, 'PATCH', `${NODES}/n1/status`, patch, SMP, NODES);
    expect(st.message).toContain('json: cannot unmarshal object into Go struct field NodeAddress.status.addresses.address of type string');
    const res = await s.request('GET', `${NODES}/n1`);
    expect(res.body['status']).toBeUndefined();
  });
});
