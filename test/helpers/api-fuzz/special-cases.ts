/**
 * The fixed cases every run sends first: bodies over the size limit (413), nesting 10,000 levels
 * deep in every body format (4xx, never a stack overflow), a YAML alias bomb, empty and non-object
 * bodies, and content types that do not match the body.
 */
import type { FuzzRequest } from './cases.js';
import { PATCH_TYPES, PROTOBUF } from './encode.js';

export interface SpecialCase extends FuzzRequest { /** The exact code expected, or undefined for any 4xx. */ expect?: number }

const MIB = 1024 * 1024;
const DEEP = 10_000;

export function specialCases(opts: { collection: string; objectPath: string; protobufConfigMap: Buffer }): SpecialCase[] {
  const { collection, objectPath } = opts;
  const create = { type: 'create', collection } as const;
  const write = { type: 'write', objectPath } as const;
  const cm = (name: string, data: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":${data}}`;
  const huge = 'x'.repeat(4 * MIB);
  const deepArray = '['.repeat(DEEP) + ']'.repeat(DEEP);
  const deepObject = '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP);
  const deepFlowYaml = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep-yaml}\ndata: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`;
  const deepBlockYaml = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep-block}\ndata:\n  x: ${'- '.repeat(DEEP)}x\n`;
  const deepMapYaml = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep-map}\ndata:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`;
  const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb}', 'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
    ...Array.from({ length: 9 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`), 'data: {k: v}'].join('\n');
  // nested protobuf groups (field 99, start-group ... end-group) ten thousand deep after the envelope's magic
  const groups = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(Array(DEEP).fill([0x9b, 0x06]).flat()), Buffer.from(Array(DEEP).fill([0x9c, 0x06]).flat())]);
  const s = (label: string, method: FuzzRequest['method'], path: string, contentType: string | undefined, body: string | Buffer | undefined,
    effect: FuzzRequest['effect'], expect?: number): SpecialCase =>
    ({ label, method, path, contentType, body: body === undefined ? undefined : Buffer.from(body), effect, expect });
  return [
    s('huge JSON create', 'POST', collection, 'application/json', cm('huge', `{"a":"${huge}"}`), create, 413),
    s('huge YAML create', 'POST', collection, 'application/yaml', `kind: ConfigMap\napiVersion: v1\nmetadata: {name: huge-yaml}\ndata: {a: ${huge}}\n`, create, 413),
    s('huge protobuf create', 'POST', collection, PROTOBUF, Buffer.concat([opts.protobufConfigMap, Buffer.alloc(4 * MIB, 0x20)]), create, 413),
    s('huge update', 'PUT', objectPath, 'application/json', cm('fuzz-cm', `{"a":"${huge}"}`), write, 413),
    ...Object.entries(PATCH_TYPES).map(([t, ct]) => s(`huge ${t} patch`, 'PATCH', `${objectPath}?fieldManager=fuzz`, ct,
      t === 'json' ? `[{"op":"add","path":"/data/a","value":"${huge}"}]` : `{"data":{"a":"${huge}"}}`, write, 413)),
    s('deep JSON array create', 'POST', collection, 'application/json', cm('deep-a', `{"a":${deepArray}}`), create),
    s('deep JSON object create', 'POST', collection, 'application/json', cm('deep-o', deepObject), create),
    s('deep JSON update', 'PUT', objectPath, 'application/json', cm('fuzz-cm', deepObject), write),
    s('deep JSON top level', 'POST', collection, 'application/json', deepArray, create),
    s('deep flow YAML create', 'POST', collection, 'application/yaml', deepFlowYaml, create),
    s('deep block YAML create', 'POST', collection, 'application/yaml', deepBlockYaml, create),
    s('deep indented YAML create', 'POST', collection, 'application/yaml', deepMapYaml, create),
    s('deep JSON patch value', 'PATCH', objectPath, PATCH_TYPES.json, `[{"op":"add","path":"/metadata/annotations/x","value":${deepArray}}]`, write),
    s('deep merge patch', 'PATCH', objectPath, PATCH_TYPES.merge, `{"metadata":{"labels":${deepObject}}}`, write),
    s('deep strategic patch', 'PATCH', objectPath, PATCH_TYPES.strategic, `{"data":${deepObject}}`, write),
    s('deep apply patch', 'PATCH', `${objectPath}?fieldManager=fuzz`, PATCH_TYPES.apply, deepFlowYaml.replace('deep-yaml', 'fuzz-cm'), write),
    s('deep protobuf groups', 'POST', collection, PROTOBUF, groups, create),
    s('YAML alias bomb create', 'POST', collection, 'application/yaml', bomb, create),
    s('YAML alias bomb apply', 'PATCH', `${objectPath}?fieldManager=fuzz`, PATCH_TYPES.apply, bomb.replace('bomb', 'fuzz-cm'), write),
    s('empty create', 'POST', collection, 'application/json', '', create, 400),
    s('no body update', 'PUT', objectPath, 'application/json', undefined, write, 400),
    ...Object.entries(PATCH_TYPES).map(([t, ct]) => s(`empty ${t} patch`, 'PATCH', `${objectPath}?fieldManager=fuzz`, ct, '', write, 400)),
    ...['null', '[]', '42', '"text"', 'true', '{}'].map((b) => s(`create ${b}`, 'POST', collection, 'application/json', b, create)),
    ...['null', '42', '"text"', '{}', '[{}]', '[null]'].map((b) => s(`json patch ${b}`, 'PATCH', objectPath, PATCH_TYPES.json, b, write)),
    s('JSON body sent as protobuf', 'POST', collection, PROTOBUF, cm('ct-1', '{}'), create, 400),
    s('protobuf body sent as JSON', 'POST', collection, 'application/json', opts.protobufConfigMap, create, 400),
    s('protobuf body sent as YAML', 'POST', collection, 'application/yaml', opts.protobufConfigMap, create),
    s('patch type on create', 'POST', collection, PATCH_TYPES.merge, cm('ct-2', '{}'), create, 415),
    s('patch type on update', 'PUT', objectPath, PATCH_TYPES.json, cm('fuzz-cm', '{}'), write, 415),
    s('object type on patch', 'PATCH', objectPath, 'application/json', '{"data":{"a":"b"}}', write, 415),
    s('YAML type on patch', 'PATCH', objectPath, 'application/yaml', '{"data":{"a":"b"}}', write, 415),
    s('protobuf type on patch', 'PATCH', objectPath, PROTOBUF, opts.protobufConfigMap, write, 415),
    s('form type on create', 'POST', collection, 'application/x-www-form-urlencoded', 'a=b', create, 415),
    s('multipart type on update', 'PUT', objectPath, 'multipart/form-data; boundary=x', '--x\r\n\r\n{}\r\n--x--', write, 415),
    s('JSON patch body as merge patch', 'PATCH', objectPath, PATCH_TYPES.merge, '[{"op":"add","path":"/data/z","value":"1"}]', write),
    s('merge patch body as JSON patch', 'PATCH', objectPath, PATCH_TYPES.json, '{"data":{"z":"1"}}', write),
    s('YAML body as JSON', 'PUT', objectPath, 'application/json', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fuzz-cm}\n', write, 400),
    s('invalid UTF-8 in JSON', 'POST', collection, 'application/json', Buffer.concat([Buffer.from(cm('utf', '{"a":"')), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from('"}}')]), create),
    s('garbage DeleteOptions', 'DELETE', objectPath, 'application/json', '{"gracePeriodSeconds":"soon"', write, 400),
    s('protobuf DeleteOptions garbage', 'DELETE', objectPath, PROTOBUF, 'k8s\0\xff\xff\xff', write, 400),
  ];
}
