/**
 * Field selectors (`?fieldSelector=`), as k8s.io/apimachinery/pkg/fields parses them: terms
 * `field=value`, `field==value`, `field!=value` joined by commas (AND); in values `\,` `\=` `\\`
 * escape. A missing field reads as ''. Which fields each kind supports follows the upstream field
 * label conversion functions; `validateFieldSelector` rejects others with the upstream message.
 */
import { badRequest } from './status.js';

export interface FieldRequirement { readonly field: string; readonly operator: '=' | '!='; readonly value: string }

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  /** True when the selector does not restrict anything. */
  readonly empty: boolean;
  /** `get` returns a field's value; undefined is treated as ''. */
  matches(get: (field: string) => string | undefined): boolean;
  /** The value `field` must equal, when the selector pins it with `=` (e.g. metadata.name). */
  requiresExactMatch(field: string): string | undefined;
  toString(): string;
}

const escapeValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');

function unescapeValue(s: string): string {
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0) ?? 0}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Split on commas that are not escaped. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') { terms.push(s.slice(start, i)); start = i + 1; }
  }
  terms.push(s.slice(start));
  return terms;
}

function makeFieldSelector(requirements: FieldRequirement[]): FieldSelector {
  return {
    requirements,
    empty: requirements.length === 0,
    matches: (get) => requirements.every((r) => ((get(r.field) ?? '') === r.value) === (r.operator === '=')),
    requiresExactMatch: (field) => requirements.find((r) => r.field === field && r.operator === '=')?.value,
    toString: () => requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(','),
  };
}

/** Parse a field selector; '' matches everything. Throws ApiError 400 with upstream wording. */
export function parseFieldSelector(s: string): FieldSelector {
  if (s === '') return makeFieldSelector([]);
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(s).sort()) {
    if (term === '') continue;
    const at = term.search(/!=|==|=/);
    if (at < 0) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    const op = term.startsWith('!=', at) ? '!=' : term.startsWith('==', at) ? '==' : '=';
    requirements.push({
      field: term.slice(0, at),
      operator: op === '!=' ? '!=' : '=',
      value: unescapeValue(term.slice(at + op.length)),
    });
  }
  return makeFieldSelector(requirements);
}

// ---- which fields each kind can be selected by ----
type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const at = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => asObj(v)[k], o);
type Getters = Readonly<Record<string, (o: unknown) => string>>;

const META: Getters = {
  'metadata.name': (o) => str(at(o, 'metadata', 'name')),
  'metadata.namespace': (o) => str(at(o, 'metadata', 'namespace')),
};
const podIP = (o: unknown): string => {
  const ips = at(o, 'status', 'podIPs');
  return Array.isArray(ips) && ips.length > 0 ? str(at(ips[0], 'ip')) : str(at(o, 'status', 'podIP'));
};

/** kind → field → getter, for kinds with fields beyond metadata (upstream AddFieldLabelConversionFunc). */
const KIND_FIELDS: Readonly<Record<string, Getters>> = {
  Pod: {
    ...META,
    'spec.nodeName': (o) => str(at(o, 'spec', 'nodeName')),
    'spec.host': (o) => str(at(o, 'spec', 'nodeName')), // legacy alias upstream still accepts
    'spec.restartPolicy': (o) => str(at(o, 'spec', 'restartPolicy')),
    'spec.schedulerName': (o) => str(at(o, 'spec', 'schedulerName')),
    'spec.serviceAccountName': (o) => str(at(o, 'spec', 'serviceAccountName')),
    'spec.hostNetwork': (o) => String(at(o, 'spec', 'hostNetwork') === true),
    'status.phase': (o) => str(at(o, 'status', 'phase')),
    'status.podIP': podIP,
    'status.nominatedNodeName': (o) => str(at(o, 'status', 'nominatedNodeName')),
  },
  Event: {
    ...META,
    ...Object.fromEntries(['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']
      .map((f) => [`involvedObject.${f}`, (o: unknown) => str(at(o, 'involvedObject', f))])),
    reason: (o) => str(at(o, 'reason')),
    reportingComponent: (o) => str(at(o, 'reportingComponent')),
    // upstream: the source component, or the reporting controller when there is none
    source: (o) => str(at(o, 'source', 'component')) || str(at(o, 'reportingComponent')),
    type: (o) => str(at(o, 'type')),
  },
  Node: { 'metadata.name': META['metadata.name']!, 'spec.unschedulable': (o) => String(at(o, 'spec', 'unschedulable') === true) },
  Namespace: { 'metadata.name': META['metadata.name']!, 'status.phase': (o) => str(at(o, 'status', 'phase')) },
  Secret: { ...META, type: (o) => str(at(o, 'type')) },
  ReplicaSet: { ...META, 'status.replicas': (o) => String(Number(at(o, 'status', 'replicas') ?? 0)) },
  ReplicationController: { ...META, 'status.replicas': (o) => String(Number(at(o, 'status', 'replicas') ?? 0)) },
  Job: { ...META, 'status.successful': (o) => String(Number(at(o, 'status', 'succeeded') ?? 0)) },
  CertificateSigningRequest: { ...META, 'spec.signerName': (o) => str(at(o, 'spec', 'signerName')) },
};

const fieldsOf = (kind: string): Getters => KIND_FIELDS[kind] ?? META;

/** Reader of the selectable fields of `obj` (a `kind`); undefined for a field the kind does not support. */
export function fieldGetter(kind: string, obj: unknown): (field: string) => string | undefined {
  const getters = fieldsOf(kind);
  return (field) => (Object.prototype.hasOwnProperty.call(getters, field) ? getters[field]?.(obj) : undefined);
}

/** Throw ApiError 400 when `sel` names a field `kind` cannot be selected by (upstream wording). */
export function validateFieldSelector(kind: string, sel: FieldSelector): void {
  const getters = fieldsOf(kind);
  for (const { field } of sel.requirements) {
    if (Object.prototype.hasOwnProperty.call(getters, field)) continue;
    throw badRequest(KIND_FIELDS[kind]
      ? `field label not supported: ${field}`
      : `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
  }
}
