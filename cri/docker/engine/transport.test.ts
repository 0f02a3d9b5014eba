import { describe, expect, it } from 'vitest';
import { errorFromReply } from './errors.js';
import { nameSegment, requestPath } from './transport.js';

describe('requestPath', () => {
  it('prefixes the version and leaves undefined parameters out', () => {
    expect(requestPath('1.41', '/containers/json', { all: true, filters: '{"a":["b"]}', limit: undefined }))
      .toBe('/v1.41/containers/json?all=true&filters=%7B%22a%22%3A%5B%22b%22%5D%7D');
    expect(requestPath('1.41', '/version')).toBe('/v1.41/version');
  });
  it('keeps slashes of image names', () => {
    expect(nameSegment('reg:5000/a/b:1')).toBe('reg%3A5000/a/b%3A1');
  });
});

describe('errorFromReply', () => {
  it.each([
    [404, '{"message":"No such image: x"}', 'No such image: x'],
    [500, 'plain text\n', 'plain text'],
    [304, '', 'HTTP 304'],
  ])('%d %s', (status, body, message) => expect(errorFromReply(status, body)).toMatchObject({ statusCode: status, message }));
});
