/**
 * Mutations of JSON values and of encoded bodies: wrong types, odd strings and numbers, deleted
 * and unknown fields, truncated and corrupted bytes. Every draw comes from the Rng, so a seed
 * reproduces the same mutations of the same object.
 */
import type { Rng } from './rng.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

const STRINGS: readonly string[] = [
  '', ' ', '-', '.', '..', '../../etc/passwd', '/', 'a/b', 'UPPER', 'has space', 'tab\there', 'line\nbreak', '\u0000', 'nul\u0000inside',
  '\ud800', 'lone\udfffsurrogate', '🚀', 'ünïcødé', '\u202eRTL', 'zero\u200bwidth', 'e\u0301', '%2e%2e', '${HOME}', '$(rm -rf /)', '`id`',
  "'; DROP TABLE x; --", '<script>', '{"a":1}', '[1,2]', 'null', 'true', '-1', '0', '1e309', 'NaN', '0x10', '1.5', '100Mi', '-100m', '1Ei',
  '10000000000000000000000000Ki', '2024-13-45T99:99:99Z', '2024-01-01T00:00:00Z', '*', '* * * * *', '@every 1s', 'a'.repeat(64), 'a'.repeat(254),
  '127.0.0.1', '::1', '10.96.0.1', '0.0.0.0/0', '256.1.1.1', 'fe80::1%eth0', 'default', 'kube-system', 'kubernetes.io/x', 'app', 'TCP', 'SCTP',
  'Always', 'Never', 'IfNotPresent', 'Exists', 'In', 'NoSchedule', 'ClusterIP', 'LoadBalancer', 'ExternalName', 'Prefix', 'Exact',
];
const NUMBERS: readonly number[] = [0, -1, 1, 2, 65535, 65536, -65536, 2147483647, 2147483648, -2147483649, 9007199254740991, 1e21, 1e308, -1e308, 0.5, -0.0001, 3.14159, 1e-7];

/** A random scalar or small structure. */
export function randomValue(rng: Rng, depth = 0): Json {
  const k = rng.int(depth > 2 ? 6 : 9);
  switch (k) {
    case 0: return null;
    case 1: return rng.chance(0.5);
    case 2: return rng.pick(NUMBERS);
    case 3: case 4: return rng.pick(STRINGS);
    case 5: return randomString(rng);
    case 6: return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    case 7: case 8: {
      const o: { [k: string]: Json } = {};
      for (let i = rng.int(4); i > 0; i--) o[rng.pick(STRINGS.slice(0, 30)) || 'k'] = randomValue(rng, depth + 1);
      return o;
    }
    default: return 'x';
  }
}

/** Random code points, sometimes long, sometimes with control and surrogate characters. */
export function randomString(rng: Rng): string {
  const len = rng.weighted([[12, rng.int(20)], [2, 300 + rng.int(2000)], [1, 30_000 + rng.int(100_000)]] as const);
  if (len > 5000) return rng.pick(['x', 'é', '🚀', '\u0000', '"']).repeat(len);
  let s = '';
  for (let i = 0; i < len; i++) {
    s += rng.weighted([
      [6, () => String.fromCharCode(0x61 + rng.int(26))], [1, () => String.fromCharCode(rng.int(0x20))],
      [1, () => String.fromCharCode(0xd800 + rng.int(0x800))], [1, () => String.fromCodePoint(0x80 + rng.int(0x10ff7f - 0x800))],
      [1, () => rng.pick(['-', '.', '/', ':', '=', '"', '\\', '~', '%', ' '])],
    ] as const)();
  }
  return s;
}

/** Every path into a value (objects and arrays), the root included. */
export function pathsOf(v: Json, prefix: Path = [], out: Path[] = [], limit = 400): Path[] {
  if (out.length >= limit) return out;
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((e, i) => pathsOf(e, [...prefix, i], out, limit));
  else if (v && typeof v === 'object') for (const [k, e] of Object.entries(v)) pathsOf(e, [...prefix, k], out, limit);
  return out;
}

export function getAt(v: Json, path: Path): Json | undefined {
  let cur: Json | undefined = v;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, Json>)[p as string] : undefined;
  return cur;
}

function setAt(root: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(parent) && typeof last === 'number') {
    if (value === undefined) parent.splice(last, 1); else parent[last] = value;
  } else if (parent && typeof parent === 'object') {
    const o = parent as Record<string, Json>;
    if (value === undefined) delete o[last]; else o[last] = value;
  }
  return root;
}

/** One change of the value at a path: another type, an odd value, gone, or grown. */
function mutateOne(rng: Rng, v: Json, path: Path): Json {
  const cur = getAt(v, path);
  const op = rng.int(10);
  if (op === 0 && path.length > 0) return setAt(v, path, undefined);
  if (op === 1) return setAt(v, path, randomValue(rng));
  if (op === 2 && Array.isArray(cur)) { cur.push(cur.length > 0 && rng.chance(0.6) ? structuredClone(cur[rng.int(cur.length)] as Json) : randomValue(rng)); return v; }
  if (op === 3 && cur && typeof cur === 'object' && !Array.isArray(cur)) { cur[rng.chance(0.5) ? rng.pick(STRINGS) : randomString(rng).slice(0, 40)] = randomValue(rng); return v; }
  if (typeof cur === 'string') return setAt(v, path, rng.pick<() => Json>([
    () => rng.pick(STRINGS), () => randomString(rng), () => cur + rng.pick(STRINGS), () => cur.toUpperCase(), () => cur.repeat(2 + rng.int(100)),
    () => Number(cur) || rng.pick(NUMBERS), () => [cur], () => ({ value: cur }),
  ])());
  if (typeof cur === 'number') return setAt(v, path, rng.pick<() => Json>([() => rng.pick(NUMBERS), () => String(cur), () => -cur, () => cur + 0.5, () => cur * 1e12])());
  if (typeof cur === 'boolean') return setAt(v, path, rng.pick<Json>([!cur, String(cur), cur ? 1 : 0, null]));
  if (Array.isArray(cur)) return setAt(v, path, rng.pick<() => Json>([() => [], () => ({}), () => cur[0] ?? null, () => [...cur, ...cur], () => cur.slice().reverse()])());
  if (cur && typeof cur === 'object') return setAt(v, path, rng.pick<() => Json>([() => ({}), () => [cur], () => JSON.stringify(cur), () => Object.values(cur)])());
  return setAt(v, path, randomValue(rng));
}

/** Targeted changes of the fields every object has. */
const META_PATHS: ReadonlyArray<Path> = [['metadata', 'name'], ['metadata', 'namespace'], ['metadata', 'resourceVersion'], ['metadata', 'uid'],
  ['metadata', 'labels'], ['metadata', 'annotations'], ['metadata', 'finalizers'], ['metadata', 'ownerReferences'], ['metadata', 'generateName'],
  ['metadata', 'managedFields'], ['metadata', 'deletionTimestamp'], ['apiVersion'], ['kind'], ['metadata']];

/** 1 to `most` (default 4) mutations of a copy of `obj`. */
export function mutateObject(rng: Rng, obj: Json, most = 4): Json {
  let v = structuredClone(obj);
  for (let n = 1 + rng.int(most); n > 0; n--) {
    const path = rng.chance(0.25) ? rng.pick(META_PATHS) : rng.pick(pathsOf(v));
    v = mutateOne(rng, v, path);
  }
  return v;
}

/** Text-level damage of an encoded body. */
export function mutateText(rng: Rng, text: string): string {
  const at = rng.int(text.length + 1);
  switch (rng.int(7)) {
    case 0: return text.slice(0, at);
    case 1: return text.slice(0, at) + rng.pick(['{', '[', '"', '}', ']', ',', ':', '\\', '\u0000', '\ufeff', '\ud800', 'NaN', '-', '#', '&a', '*a', '!!binary', '\t']) + text.slice(at);
    case 2: return '\ufeff' + text;
    case 3: return text + rng.pick(['garbage', '}', '\n---\nkind: Pod\n', '\u0000', ' ']);
    case 4: return text.replace(/"([a-zA-Z]+)":/, '"$1":1,"$1":');
    case 5: return text.slice(0, at) + text.slice(at + 1 + rng.int(10));
    default: return text.replace(/[{}[\]]/g, (c) => (rng.chance(0.01) ? rng.pick(['{', '}', '[', ']']) : c));
  }
}

/** Byte-level damage: flipped bits, cut ends, bogus varints. */
export function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  const b = Buffer.from(bytes);
  switch (rng.int(5)) {
    case 0: return b.subarray(0, rng.int(b.length + 1));
    case 1: for (let n = 1 + rng.int(8); n > 0; n--) { const i = rng.int(b.length); b[i] = (b[i] as number) ^ (1 << rng.int(8)); } return b;
    case 2: { const i = 4 + rng.int(Math.max(1, b.length - 4)); return Buffer.concat([b.subarray(0, i), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), b.subarray(i)]); }
    case 3: { const junk = Buffer.alloc(1 + rng.int(64)); for (let i = 0; i < junk.length; i++) junk[i] = rng.int(256); return Buffer.concat([b, junk]); }
    default: { const i = rng.int(b.length); b[i] = rng.int(256); return b; }
  }
}
