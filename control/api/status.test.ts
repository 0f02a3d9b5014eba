import { describe, expect, it } from 'vitest';
import { genericFailure, notFoundMessage, rejectedRequest, success, tooLarge, unsupportedMediaType } from './status.js';

const FAILURE = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' };

describe('Status factories', () => {
  it.each([
    ['unsupportedMediaType', unsupportedMediaType(), 415, 'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf'],
    ['tooLarge', tooLarge(), 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'],
    ['tooLarge with a message', tooLarge('Request entity too large: x'), 413, 'RequestEntityTooLarge', 'Request entity too large: x'],
    ['genericFailure', genericFailure(502, 'GET /x: unexpected answer 502: '), 502, 'InternalError', 'GET /x: unexpected answer 502: '],
    ['notFoundMessage', notFoundMessage('container not found ("c") in pod "ns/p"'), 404, 'NotFound', 'container not found ("c") in pod "ns/p"'],
  ])('%s builds the whole Failure body', (_name, err, code, reason, message) => {
    expect(err.status).toStrictEqual({ ...FAILURE, code, reason, message });
    expect(err.code).toBe(code);
  });

  it('rejectedRequest is 422 Invalid with empty details and keeps its cause', () => {
    const cause = new Error('test failed at /spec');
    const err = rejectedRequest({ cause });
    expect(err.status).toStrictEqual({
      ...FAILURE, code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request', details: {},
    });
    expect(err.cause).toBe(cause);
  });

  it('success carries only what it is given', () => {
    expect(success({ code: 201 })).toStrictEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    expect(success({ details: { name: 'a', kind: 'configmaps', uid: 'u' } }))
      .toStrictEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'a', kind: 'configmaps', uid: 'u' } });
  });
});
