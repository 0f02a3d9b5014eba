import { describe, expect, it } from 'vitest';
import { GRPCOutOfRangeError, GRPCUnavailableError } from 'etcd3';
import { StoreError } from '../types.js';
import { isCompactedError, isFutureRevisionError, translateEtcdError } from './errors.js';

const compacted = new GRPCOutOfRangeError('11 OUT_OF_RANGE: etcdserver: mvcc: required revision has been compacted');
const future = new GRPCOutOfRangeError('11 OUT_OF_RANGE: etcdserver: mvcc: required revision is a future revision');

describe('etcd error translation', () => {
  it('recognises compaction and future revisions', () => {
    expect([isCompactedError(compacted), isFutureRevisionError(compacted)]).toEqual([true, false]);
    expect([isCompactedError(future), isFutureRevisionError(future)]).toEqual([false, true]);
  });

  it.each([
    ['compaction', compacted, 'Compacted'],
    ['an unreachable cluster', new GRPCUnavailableError('14 UNAVAILABLE: No connection established'), 'Unavailable'],
    ['a future revision', future, 'Unavailable'],
    ['anything else', new Error('boom'), 'Unavailable'],
  ])('turns %s into %s, keeping the cause', (_, err, code) => {
    const got = translateEtcdError(err, 'get /a');
    expect(got).toBeInstanceOf(StoreError);
    expect(got).toMatchObject({ code, cause: err });
    expect(got.message.startsWith('get /a: ')).toBe(true);
  });

  it('passes StoreErrors through', () => {
    const e = new StoreError('KeyExists', 'create /a: key exists');
    expect(translateEtcdError(e, 'x')).toBe(e);
  });
});
