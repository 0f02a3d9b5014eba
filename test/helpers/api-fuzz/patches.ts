/** Patch documents built from the current object: JSON patch operations, merge and strategic merge patches with directives, apply documents. */
import type { Json } from './mutate.js';
import { getAt, mutateObject, pathsOf, randomValue } from './mutate.js';
import type { Rng } from './rng.js';

type Obj = { [k: string]: Json };
const isObj = (v: Json | undefined): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const pointer = (path: Array<string | number>): string => path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

const ODD_POINTERS: readonly string[] = [
  '', '/', 'metadata', '/metadata/labels/-', '/spec/containers/-', '/spec/containers/999999999999', '/spec/containers/-1', '/spec/containers/01',
  '/~2', '/metadata/labels/a~1b', '/a/b/c/d', '/metadata/name/x', '/metadata/annotations/x~', '/status/conditions/0/type', '/spec/template/spec/containers/0/image',
  '/metadata/finalizers/0', '/data/%', '/spec/replicas', '/metadata/resourceVersion', '/metadata/uid', '/kind', '/apiVersion',
];
const OPS: readonly string[] = ['add', 'remove', 'replace', 'move', 'copy', 'test', 'add', 'replace', 'bogus', '', 'ADD'];

/** 1 to 5 JSON patch operations on real and odd paths; now and then not a list of operations at all. */
export function jsonPatchDoc(rng: Rng, cur: Json): Json {
  if (rng.chance(0.05)) return randomValue(rng);
  const paths = pathsOf(cur);
  const pick = () => (rng.chance(0.75) ? pointer(rng.pick(paths)) : rng.pick(ODD_POINTERS));
  const ops: Json[] = [];
  if (rng.chance(0.04)) { // growth by copying the whole object into itself
    for (let i = 0; i < 12; i++) ops.push({ op: 'copy', from: i === 0 ? '/spec' : '/metadata/annotations', path: `/metadata/annotations/g${i}` });
    return ops;
  }
  for (let n = 1 + rng.int(5); n > 0; n--) {
    const path = pick();
    const op: Obj = { op: rng.pick(OPS), path };
    const at = getAt(cur, path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')));
    if (rng.chance(0.8)) op['value'] = at !== undefined && rng.chance(0.6) ? mutateObject(rng, at) : randomValue(rng);
    if (op['op'] === 'move' || op['op'] === 'copy' || rng.chance(0.05)) op['from'] = rng.chance(0.2) ? path : pick();
    if (rng.chance(0.05)) delete op['path'];
    if (rng.chance(0.03)) op['path'] = randomValue(rng);
    ops.push(rng.chance(0.03) ? randomValue(rng) : op);
  }
  return ops;
}

/** A part of a mutated copy of the object: a few of its top-level fields, with nulls for deletions. */
export function mergePatchDoc(rng: Rng, cur: Json): Json {
  if (rng.chance(0.05)) return randomValue(rng);
  const m = mutateObject(rng, cur);
  if (!isObj(m)) return m;
  const keys = Object.keys(m);
  const out: Obj = {};
  for (let n = 1 + rng.int(3); n > 0 && keys.length > 0; n--) {
    const k = rng.pick(keys);
    out[k] = rng.chance(0.08) ? null : (m[k] as Json);
  }
  if (isObj(cur) && rng.chance(0.3)) out['metadata'] = { ...(isObj(out['metadata']) ? out['metadata'] : {}), resourceVersion: rng.pick<Json>([String((cur['metadata'] as Obj | undefined)?.['resourceVersion'] ?? ''), '1', 'abc', '', 0]) };
  return out;
}

const DIRECTIVES: ReadonlyArray<(rng: Rng, o: Obj) => void> = [
  (rng, o) => { o['$patch'] = rng.pick<Json>(['delete', 'replace', 'merge', 'bogus', 1, null, ['x']]); },
  (rng, o) => { o['$retainKeys'] = rng.chance(0.7) ? Object.keys(o).slice(0, 1 + rng.int(3)) : randomValue(rng); },
  (rng, o) => {
    const list = Object.keys(o).find((k) => Array.isArray(o[k])) ?? rng.pick(['containers', 'ports', 'finalizers', 'x']);
    o[`$setElementOrder/${list}`] = rng.chance(0.7) ? (Array.isArray(o[list]) ? (o[list] as Json[]).map((e) => (isObj(e) && 'name' in e ? { name: e['name'] as Json } : e)).reverse() : [{ name: 'c' }]) : randomValue(rng);
  },
  (rng, o) => { o[`$deleteFromPrimitiveList/${rng.pick(['finalizers', 'args', 'command', 'x'])}`] = rng.chance(0.7) ? ['kubernetes', 'x'] : randomValue(rng); },
  (rng, o) => { o[rng.pick(['$bogus', '$patch/x', '$setElementOrder', '$retainKeys/x'])] = randomValue(rng); },
];

/** A merge patch with strategic directives set at random objects inside it. */
export function strategicPatchDoc(rng: Rng, cur: Json): Json {
  const doc = mergePatchDoc(rng, cur);
  const objects = pathsOf(doc).map((p) => getAt(doc, p)).filter(isObj);
  for (let n = rng.int(4); n > 0 && objects.length > 0; n--) rng.pick(DIRECTIVES)(rng, rng.pick(objects));
  return doc;
}

/** A whole mutated object for server-side apply, without the fields apply refuses to own. */
export function applyDoc(rng: Rng, cur: Json): Json {
  const m = mutateObject(rng, cur);
  if (isObj(m) && isObj(m['metadata']) && rng.chance(0.7)) {
    const md = { ...m['metadata'] };
    for (const k of ['resourceVersion', 'uid', 'creationTimestamp', 'managedFields', 'generation']) delete md[k];
    m['metadata'] = md;
  }
  return m;
}
