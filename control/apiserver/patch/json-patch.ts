/**
 * JSON Patch (RFC 6902, `application/json-patch+json`), as the apiserver applies it:
 * a body that is not a list of operation objects is 400 BadRequest; an operation that cannot be
 * applied (failed `test`, missing path, unknown op…) is 422 Invalid; more than 10000 operations is 413.
 * The `copy` operations of one patch may add at most JSON_PATCH_MAX_COPY_BYTES of encoded JSON
 * between them (upstream's AccumulatedCopySizeLimit), so a short patch cannot double a document
 * again and again. The input document is never mutated.
 */
import { badRequest } from '../../api/status.js';
import { cloneJson, goJsonType, hasOwn, isObject, jsonEqual, setKey, type JsonObject } from './json-value.js';
import { JSON_PATCH_MAX_COPY_BYTES, MAX_JSON_PATCH_OPERATIONS, patchRejected, tooManyPatchOperations } from './patch-errors.js';

/** Raised inside this module for an operation that does not apply; becomes a 422 at the boundary. */
class OpFailure extends Error {}

type Container = JsonObject | unknown[];

/** Apply `ops` (the decoded request body) to a copy of `doc` and return the result. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const list = decodeOperations(ops);
  if (list.length > MAX_JSON_PATCH_OPERATIONS) throw tooManyPatchOperations(list.length);
  let result = cloneJson(doc);
  const copied = { bytes: 0 };
  for (const op of list) {
    try {
      result = applyOperation(result, op, copied);
    } catch (err) {
      if (err instanceof OpFailure) throw patchRejected(err.message);
      throw err;
    }
  }
  return result;
}

function decodeOperations(ops: unknown): JsonObject[] {
  if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${goJsonType(ops)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) {
    if (!isObject(op) && op !== null) {
      throw badRequest(`json: cannot unmarshal ${goJsonType(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return ops.map((op) => (isObject(op) ? op : {}));
}

function stringField(op: JsonObject, name: 'path' | 'from'): string {
  const v = op[name];
  if (typeof v !== 'string') throw new OpFailure(`operation missing ${name} string`);
  return v;
}

function valueField(op: JsonObject): unknown {
  if (!hasOwn(op, 'value')) throw new OpFailure(`operation ${String(op.op)} missing value`);
  return cloneJson(op.value);
}

function applyOperation(doc: unknown, op: JsonObject, copied: { bytes: number }): unknown {
  switch (op.op) {
    case 'add': return add(doc, parsePointer(stringField(op, 'path')), valueField(op));
    case 'remove': return remove(doc, parsePointer(stringField(op, 'path')));
    case 'replace': return replace(doc, parsePointer(stringField(op, 'path')), valueField(op));
    case 'move': {
      const from = stringField(op, 'from');
      const path = stringField(op, 'path');
      if (path.startsWith(`${from}/`)) throw new OpFailure(`cannot move ${from} into its own child ${path}`);
      const tokens = parsePointer(from);
      const value = get(doc, tokens);
      return add(remove(doc, tokens), parsePointer(path), value);
    }
    case 'copy': {
      const source = get(doc, parsePointer(stringField(op, 'from')));
      const path = parsePointer(stringField(op, 'path'));
      copied.bytes += encodedSize(source);
      if (copied.bytes > JSON_PATCH_MAX_COPY_BYTES) {
        throw new OpFailure(`Unable to complete the copy, the accumulated size increase of copy is ${copied.bytes}, exceeding the limit ${JSON_PATCH_MAX_COPY_BYTES}`);
      }
      return add(doc, path, cloneJson(source));
    }
    case 'test': {
      const path = stringField(op, 'path');
      if (!jsonEqual(get(doc, parsePointer(path)), hasOwn(op, 'value') ? op.value : null)) {
        throw new OpFailure(`testing value ${path} failed`);
      }
      return doc;
    }
    default:
      throw new OpFailure(`Unexpected kind: ${typeof op.op === 'string' ? op.op : 'unknown'}`);
  }
}

/** Bytes of `v` encoded as JSON (what a copy of it adds to the document). */
const encodedSize = (v: unknown): number => Buffer.byteLength(JSON.stringify(v) ?? 'null');

/** RFC 6901: "" is the whole document; "/a~1b/~0c" is ["a/b", "~c"]. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new OpFailure(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, max: number, path: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new OpFailure(`invalid array index ${JSON.stringify(token)} in ${path}`);
  const i = Number(token);
  if (i > max) throw new OpFailure(`array index ${i} out of bounds in ${path}`);
  return i;
}

function child(node: unknown, token: string, path: string): unknown {
  if (Array.isArray(node)) return node[arrayIndex(token, node.length - 1, path)];
  if (isObject(node) && hasOwn(node, token)) return node[token];
  throw new OpFailure(`doc is missing path: ${path}`);
}

function get(doc: unknown, tokens: readonly string[]): unknown {
  let node = doc;
  tokens.forEach((t, i) => { node = child(node, t, pointerOf(tokens.slice(0, i + 1))); });
  return node;
}

function parentOf(doc: unknown, tokens: readonly string[]): { parent: Container; last: string } {
  const parent = get(doc, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (last === undefined || !(Array.isArray(parent) || isObject(parent))) {
    throw new OpFailure(`doc is missing path: ${pointerOf(tokens)}`);
  }
  return { parent, last };
}

function add(doc: unknown, tokens: readonly string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : arrayIndex(last, parent.length, pointerOf(tokens));
    parent.splice(i, 0, value);
  } else {
    setKey(parent, last, value);
  }
  return doc;
}

function remove(doc: unknown, tokens: readonly string[]): unknown {
  if (tokens.length === 0) throw new OpFailure('cannot remove the whole document');
  const { parent, last } = parentOf(doc, tokens);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length - 1, pointerOf(tokens)), 1);
  } else if (hasOwn(parent, last)) {
    delete parent[last];
  } else {
    throw new OpFailure(`unable to remove nonexistent key: ${last}: missing value`);
  }
  return doc;
}

function replace(doc: unknown, tokens: readonly string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens);
  if (Array.isArray(parent)) {
    parent[arrayIndex(last, parent.length - 1, pointerOf(tokens))] = value;
  } else if (hasOwn(parent, last)) {
    setKey(parent, last, value);
  } else {
    throw new OpFailure(`replace operation does not apply: doc is missing key: ${pointerOf(tokens)}: missing value`);
  }
  return doc;
}

const pointerOf = (tokens: readonly string[]): string =>
  tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
