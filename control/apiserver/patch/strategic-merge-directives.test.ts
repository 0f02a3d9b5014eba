import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { at, deepFreeze, statusOf } from './test-helpers.js';

const pod = (original: unknown, patch: unknown): unknown =>
  applyStrategicMergePatch('Pod', 'v1', deepFreeze(original), deepFreeze(patch));
const names = (list: unknown) => (list as Array<{ name: string }>).map((c) => c.name);
const containers = (...n: string[]) => ({ spec: { containers: n.map((name) => ({ name })) } });

describe('applyStrategicMergePatch: maps and nulls', () => {
  it.each([
    ['merges nested maps', { a: { b: 1, c: 1 } }, { a: { c: 2, d: 3 } }, { a: { b: 1, c: 2, d: 3 } }],
    ['null deletes a key', { a: 1, b: 2 }, { a: null }, { b: 2 }],
    ['null for an absent key adds nothing', { a: 1 }, { z: null }, { a: 1 }],
    ['nested nulls in a new map are dropped', { a: 1 }, { n: { x: null, y: 1 } }, { a: 1, n: { y: 1 } }],
    ['a map replaces a scalar', { a: 1 }, { a: { b: 1 } }, { a: { b: 1 } }],
    ['a scalar replaces a map', { a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
    ['$patch: replace on a map', { a: { b: 1, c: 2 } }, { a: { $patch: 'replace', d: 4 } }, { a: { d: 4 } }],
    ['$patch: delete on a map empties it', { a: { b: 1 }, k: 1 }, { a: { $patch: 'delete' } }, { a: {}, k: 1 }],
    ['$patch: merge on a map merges', { a: { b: 1 } }, { a: { $patch: 'merge', c: 2 } }, { a: { b: 1, c: 2 } }],
    ['$retainKeys clears unlisted keys', { s: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
      { s: { $retainKeys: ['type'], type: 'Recreate' } }, { s: { type: 'Recreate' } }],
    ['$retainKeys ignores null patch keys', { s: { type: 'A', x: 1 } }, { s: { $retainKeys: ['type'], type: 'B', x: null } }, { s: { type: 'B' } }],
  ])('%s', (_name, original, patch, want) => {
    expect(pod(original, patch)).toEqual(want);
  });

  it('Deployment strategy $retainKeys as kubectl apply sends it', () => {
    const out = applyStrategicMergePatch('Deployment', 'apps/v1',
      { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } } },
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    expect(at(out, 'spec.strategy')).toEqual({ type: 'Recreate' });
  });

  it('volumes $retainKeys inside a merged list element', () => {
    const out = pod({ spec: { volumes: [{ name: 'v', emptyDir: {} }] } },
      { spec: { volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, name: 'v' }] } });
    expect(at(out, 'spec.volumes')).toEqual([{ name: 'v', configMap: { name: 'cm' } }]);
  });

  it('does not mutate its inputs and never shares structure with them', () => {
    const original = { spec: { containers: [{ name: 'a', env: [{ name: 'X', value: '1' }] }] }, keep: { x: 1 } };
    const patch = { spec: { containers: [{ name: 'a', image: 'i' }] } };
    const out = applyStrategicMergePatch('Pod', 'v1', deepFreeze(original), deepFreeze(patch));
    (at(out, 'keep') as { x: number }).x = 2;
    (at(out, 'spec.containers.0.env.0') as { value: string }).value = '2';
    expect(original.keep.x).toBe(1);
    expect(original.spec.containers[0]!.env[0]!.value).toBe('1');
  });

  it('treats __proto__ as an ordinary key', () => {
    const out = pod({}, JSON.parse('{"metadata":{"__proto__":{"polluted":true}}}'));
    expect(Object.getPrototypeOf(at(out, 'metadata'))).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('a null patch changes nothing', () => {
    expect(pod({ a: 1 }, null)).toEqual({ a: 1 });
  });
});

describe('applyStrategicMergePatch: lists', () => {
  it.each([
    ['merge by key keeps live order', containers('a', 'b', 'c'), containers('b'), ['a', 'b', 'c']],
    ['new elements come before server-only ones (upstream order)', containers('a', 'b'), containers('n'), ['n', 'a', 'b']],
    ['patch order wins among patch items', containers('a', 'b'), containers('b', 'a'), ['b', 'a']],
    ['$patch: delete removes by key', containers('a', 'b'), { spec: { containers: [{ $patch: 'delete', name: 'a' }] } }, ['b']],
    ['$patch: delete of an absent key is a no-op', containers('a'), { spec: { containers: [{ $patch: 'delete', name: 'z' }] } }, ['a']],
    ['$patch: replace replaces the list', containers('a', 'b'), { spec: { containers: [{ name: 'c' }, { $patch: 'replace' }] } }, ['c']],
    ['$setElementOrder reorders', containers('a', 'b', 'c'), { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }, { name: 'a' }] } }, ['c', 'b', 'a']],
    ['$setElementOrder with server-only items after', containers('a', 'b', 's'),
      { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } }, ['b', 'a', 's']],
    ['$setElementOrder with server-only items in front', containers('s', 'a', 'b'),
      { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } }, ['s', 'b', 'a']],
    ['$setElementOrder places a new item', containers('a', 'b'),
      { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'n' }, { name: 'b' }], containers: [{ name: 'n' }] } }, ['a', 'n', 'b']],
    ['$setElementOrder on a list that did not exist', { spec: {} },
      { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a' }, { name: 'b' }] } }, ['b', 'a']],
  ])('%s', (_name, original, patch, want) => {
    expect(names(at(pod(original, patch), 'spec.containers'))).toEqual(want);
  });

  it.each([
    ['union keeps live items', ['a', 'b'], { finalizers: ['b', 'c'] }, ['a', 'b', 'c']],
    ['a new value comes first (upstream order)', ['a', 'b'], { finalizers: ['c'] }, ['c', 'a', 'b']],
    ['$deleteFromPrimitiveList removes', ['a', 'b', 'c'], { '$deleteFromPrimitiveList/finalizers': ['b'] }, ['a', 'c']],
    ['delete and add together', ['a', 'b'], { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['z'] }, ['z', 'b']],
    ['$setElementOrder for primitives', ['a', 'b'], { '$setElementOrder/finalizers': ['b', 'a'] }, ['b', 'a']],
    ['null deletes the list', ['a'], { finalizers: null }, undefined],
  ])('finalizers: %s', (_name, live, metaPatch, want) => {
    const out = pod({ metadata: { finalizers: live } }, { metadata: metaPatch });
    expect(at(out, 'metadata.finalizers')).toEqual(want);
  });

  it('directive-only elements never leak into replaced or new lists', () => {
    const out = pod({ spec: {} }, {
      spec: {
        tolerations: [{ key: 'a' }, { $patch: 'replace' }],
        containers: [{ name: 'a', env: [{ $patch: 'delete', name: 'X' }, { name: 'Y', value: null }] }, { $patch: 'delete', name: 'b' }],
      },
    });
    expect(at(out, 'spec')).toEqual({ tolerations: [{ key: 'a' }], containers: [{ name: 'a', env: [{ name: 'Y' }] }] });
  });

  it('merges nested lists inside merged elements with their own keys', () => {
    const out = pod({ spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }] } },
      { spec: { containers: [{ name: 'a', ports: [{ containerPort: 81 }], env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'x' } }, value: null }] }] } });
    expect(at(out, 'spec.containers.0')).toEqual({
      name: 'a', ports: [{ containerPort: 81 }, { containerPort: 80 }], env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'x' } } }],
    });
  });
});

describe('applyStrategicMergePatch: errors', () => {
  it.each([
    ['a list body', [1], 400, 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['a string body', 'x', 400, 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
    ['$retainKeys not a list', { spec: { $retainKeys: 'x' } }, 400, 'invalid patch format of retainKeys'],
    ['a patch key missing from $retainKeys', { spec: { $retainKeys: ['a'], b: 1 } }, 400, 'invalid patch format of retainKeys'],
    ['$setElementOrder not a list', { spec: { '$setElementOrder/containers': 'x' } }, 400, 'invalid patch format of setElementOrder list'],
    ['$deleteFromPrimitiveList not a list', { metadata: { '$deleteFromPrimitiveList/finalizers': 'x' } }, 400, 'invalid patch format of primitive list'],
    ['a merged element without its merge key', { spec: { containers: [{ image: 'x' }] } }, 400, 'map: {"image":"x"} does not contain declared merge key: name'],
    ['an unknown $patch directive', { spec: { $patch: 'frob' } }, 400, 'Unknown patch type: frob in map: {}'],
    ['an unknown $patch directive in a list element', { spec: { containers: [{ name: 'a', $patch: null }] } }, 400, 'Unknown patch type: null in map: {"name":"a","$patch":null}'],
    ['a list mixing elements and scalars', { spec: { containers: [{ name: 'a' }, 'x'] } }, 400, undefined],
    ['a list of lists in a primitive set', { metadata: { finalizers: [['x']] } }, 422, 'the server rejected our request due to an error in our request'],
  ])('%s', (_name, patch, code, message) => {
    const s = statusOf(() => applyStrategicMergePatch('Pod', 'v1', { metadata: { finalizers: ['a'] }, spec: { containers: [{ name: 'a' }] } }, patch));
    expect(s.code).toBe(code);
    if (message) expect(s.message).toBe(message);
  });
});
