import { describe, expect, it } from 'vitest';
import {
  isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isLabelValue, isQualifiedName,
  isValidPortName, nameIsDNSSubdomain,
} from './names.js';

const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QNAME = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('name formats', () => {
  it.each([
    ['subdomain ok', isDNS1123Subdomain, 'web.example-1', []],
    ['subdomain upper', isDNS1123Subdomain, 'Foo', [SUBDOMAIN]],
    ['subdomain too long', isDNS1123Subdomain, 'a'.repeat(254), ['must be no more than 253 characters']],
    ['label ok', isDNS1123Label, 'web-1', []],
    ['label with dot', isDNS1123Label, 'a.b', ['must not contain dots']],
    ['label underscore', isDNS1123Label, 'a_b', [LABEL]],
    ['1035 leading digit', isDNS1035Label, '1web', [DNS1035]],
    ['qualified ok', isQualifiedName, 'app.kubernetes.io/name', []],
    ['qualified bad name', isQualifiedName, 'bad key!', [QNAME]],
    ['qualified empty prefix', isQualifiedName, '/x', ['prefix part must be non-empty']],
    ['label value ok', isLabelValue, '', []],
    ['label value bad', isLabelValue, '-x', [LABEL_VALUE]],
    ['configmap key', isConfigMapKey, 'a b', ["a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]],
    ['configmap key dotdot', isConfigMapKey, '..x', ["must not start with '..'"]],
    ['port name', isValidPortName, 'HTTP', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']],
    ['env name', isEnvVarName, 'A=B', ["a valid environment variable name must consist only of printable ASCII characters other than '='"]],
  ] as const)('%s', (_name, fn, input, want) => {
    expect(fn(input)).toEqual(want);
  });

  it('allows a trailing dash in generateName prefixes', () => {
    expect(nameIsDNSSubdomain('web-', true)).toEqual([]);
    expect(nameIsDNSSubdomain('web-', false)).toEqual([SUBDOMAIN]);
  });
});
