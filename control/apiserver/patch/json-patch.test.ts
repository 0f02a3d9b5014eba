import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from './json-patch.js';
import { at, deepFreeze, statusOf } from './test-helpers.js';

const doc = () => deepFreeze({
  metadata: { name: 'web', annotations: { 'a/b': '1', 'c~d': '2' } },
  spec: { list: [1, 2, 3], obj: { x: 1 } },
});

describe('applyJsonPatch', () => {
  it.each([
    ['add object member', [{ op: 'add', path: '/spec/obj/y', value: 2 }], (d: unknown) => at(d, 'spec.obj'), { x: 1, y: 2 }],
    ['add replaces existing member', [{ op: 'add', path: '/spec/obj/x', value: 9 }], (d: unknown) => at(d, 'spec.obj'), { x: 9 }],
    ['add into array', [{ op: 'add', path: '/spec/list/1', value: 9 }], (d: unknown) => at(d, 'spec.list'), [1, 9, 2, 3]],
    ['add at array end index', [{ op: 'add', path: '/spec/list/3', value: 4 }], (d: unknown) => at(d, 'spec.list'), [1, 2, 3, 4]],
    ['add with - appends', [{ op: 'add', path: '/spec/list/-', value: 4 }], (d: unknown) => at(d, 'spec.list'), [1, 2, 3, 4]],
    ['remove member', [{ op: 'remove', path: '/spec/obj/x' }], (d: unknown) => at(d, 'spec.obj'), {}],
    ['remove array element', [{ op: 'remove', path: '/spec/list/0' }], (d: unknown) => at(d, 'spec.list'), [2, 3]],
    ['replace member', [{ op: 'replace', path: '/metadata/name', value: 'x' }], (d: unknown) => at(d, 'metadata.name'), 'x'],
    ['replace array element', [{ op: 'replace', path: '/spec/list/2', value: 0 }], (d: unknown) => at(d, 'spec.list'), [1, 2, 0]],
    ['~1 escapes /', [{ op: 'replace', path: '/metadata/annotations/a~1b', value: 'z' }], (d: unknown) => at(d, ['metadata', 'annotations', 'a/b']), 'z'],
    ['~0 escapes ~', [{ op: 'remove', path: '/metadata/annotations/c~0d' }], (d: unknown) => at(d, 'metadata.annotations'), { 'a/b': '1' }],
    ['move', [{ op: 'move', from: '/spec/obj/x', path: '/spec/moved' }], (d: unknown) => [at(d, 'spec.obj'), at(d, 'spec.moved')], [{}, 1]],
    ['move within array', [{ op: 'move', from: '/spec/list/0', path: '/spec/list/-' }], (d: unknown) => at(d, 'spec.list'), [2, 3, 1]],
    ['copy', [{ op: 'copy', from: '/spec/obj', path: '/spec/copy' }], (d: unknown) => at(d, 'spec.copy'), { x: 1 }],
    ['test passes then replace', [{ op: 'test', path: '/spec/obj', value: { x: 1 } }, { op: 'replace', path: '/spec/obj/x', value: 2 }],
      (d: unknown) => at(d, 'spec.obj'), { x: 2 }],
    ['replace whole document', [{ op: 'replace', path: '', value: { a: 1 } }], (d: unknown) => d, { a: 1 }],
  ])('%s', (_name, ops, pick, want) => {
    expect(pick(applyJsonPatch(doc(), ops))).toEqual(want);
  });

  it('copies are independent of their source', () => {
    const out = applyJsonPatch(doc(), [{ op: 'copy', from: '/spec/obj', path: '/spec/copy' },
      { op: 'replace', path: '/spec/copy/x', value: 5 }]);
    expect(at(out, 'spec.obj.x')).toBe(1);
    expect(at(out, 'spec.copy.x')).toBe(5);
  });

  it.each([
    ['failed test', [{ op: 'test', path: '/metadata/name', value: 'other' }]],
    ['remove missing key', [{ op: 'remove', path: '/spec/nope' }]],
    ['replace missing key', [{ op: 'replace', path: '/spec/nope', value: 1 }]],
    ['add under missing parent', [{ op: 'add', path: '/spec/nope/x', value: 1 }]],
    ['array index out of range', [{ op: 'add', path: '/spec/list/9', value: 1 }]],
    ['non-numeric array index', [{ op: 'replace', path: '/spec/list/x', value: 1 }]],
    ['leading-zero array index', [{ op: 'replace', path: '/spec/list/01', value: 1 }]],
    ['unknown op', [{ op: 'frobnicate', path: '/spec' }]],
    ['missing op', [{ path: '/spec' }]],
    ['missing path', [{ op: 'remove' }]],
    ['missing value', [{ op: 'add', path: '/spec/z' }]],
    ['pointer without leading slash', [{ op: 'add', path: 'spec', value: 1 }]],
    ['move into own child', [{ op: 'move', from: '/spec', path: '/spec/obj/z' }]],
    ['copy from missing path', [{ op: 'copy', from: '/nope', path: '/x' }]],
  ])('422 Invalid: %s', (_name, ops) => {
    const s = statusOf(() => applyJsonPatch(doc(), ops));
    expect(s).toMatchObject({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });
  });

  it.each([
    ['an object', { op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['a string', 'x', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    ['a list of numbers', [1], 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
  ])('400 BadRequest when the body is %s', (_name, ops, message) => {
    expect(statusOf(() => applyJsonPatch(doc(), ops))).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });

  it('413 beyond 10000 operations', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '', value: null }));
    expect(statusOf(() => applyJsonPatch(null, ops))).toMatchObject({ code: 413, reason: 'RequestEntityTooLarge' });
  });

  it('422 once the copies of one patch add more than 3 MiB: a patch that doubles the annotations 40 times stops early', () => {
    const ops = Array.from({ length: 40 }, (_, i) => ({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/c${i}` }));
    let err: unknown;
    try { applyJsonPatch(doc(), ops); } catch (e) { err = e; }
    expect(statusOf(() => { throw err; })).toMatchObject({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });
    expect(String((err as Error).cause)).toMatch(/^Error: Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 3145728$/);
  });

  it('copies up to 3 MiB in total are applied', () => {
    const big = { metadata: { name: 'x' }, data: { a: 'x'.repeat(1024 * 1024) } };
    const out = applyJsonPatch(big, [{ op: 'copy', from: '/data/a', path: '/data/b' }, { op: 'copy', from: '/data/a', path: '/data/c' }]);
    expect(Object.keys(at(out, 'data') as object)).toEqual(['a', 'b', 'c']);
    expect(statusOf(() => applyJsonPatch(out, [{ op: 'copy', from: '/data', path: '/copy' }]))).toMatchObject({ code: 422 });
  });

  it('applies the kubectl rollout undo body (replace /spec/template and /metadata/annotations)', () => {
    const deploy = deepFreeze({
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'v2' } },
      spec: { replicas: 3, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'img:2' }] } } },
    });
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } };
    const annotations = { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'v1' };
    const out = applyJsonPatch(deploy, [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ]);
    expect(at(out, 'spec.template')).toEqual(template);
    expect(at(out, 'metadata.annotations')).toEqual(annotations);
    expect(at(out, 'spec.replicas')).toBe(3);
    expect(deploy.spec.template.spec.containers[0]!.image).toBe('img:2');
  });
});
