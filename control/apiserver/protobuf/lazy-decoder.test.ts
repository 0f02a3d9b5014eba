import { describe, expect, it } from 'vitest';
import { lazyProtobufDecoder } from './lazy-decoder.js';
import { encodeProtobufBody } from './testing/encode-object.js';

describe('lazyProtobufDecoder', () => {
  it('decodes only once ready() has loaded the codec', async () => {
    const decode = lazyProtobufDecoder();
    const body = encodeProtobufBody('v1', 'ConfigMap', { metadata: { name: 'cm' }, data: { a: 'b' } });
    expect(() => decode(body)).toThrow(/before ready/);
    await decode.ready?.();
    await decode.ready?.();
    expect(decode(body)).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } });
  });
});
