import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults/apply-defaults.js';
import { applyJobSelector } from '../defaults/workloads.js';
import type { FieldError } from '../status.js';
import { validate } from './validate.js';

type O = Record<string, unknown>;

/** Defaulted copy, as the apiserver validates it. */
function prep(kind: string, obj: O): O {
  const o = structuredClone(obj);
  applyDefaults(kind, o);
  return o;
}
const lines = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);
const check = (kind: string, obj: O, old?: O): string[] => lines(validate(kind, prep(kind, obj), old ? prep(kind, old) : undefined));

const meta = (name: string, extra: O = {}): O => ({ name, namespace: 'default', ...extra });
const pod = (spec: O, m: O = meta('web')): O => ({ apiVersion: 'v1', kind: 'Pod', metadata: m, spec });
const ctr = (extra: O = {}): O => ({ name: 'web', image: 'nginx:1.25', ...extra });

const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('Pod', () => {
  it.each<[string, O, string[]]>([
    ['valid', pod({ containers: [ctr()] }), []],
    ['image required', pod({ containers: [{ name: 'web' }] }), ['spec.containers[0].image: Required value']],
    ['containers required', pod({ containers: [] }), ['spec.containers: Required value']],
    ['name required', pod({ containers: [ctr()] }, { namespace: 'default' }), ['metadata.name: Required value: name or generateName is required']],
    ['bad pod name', pod({ containers: [ctr()] }, meta('Foo')), [`metadata.name: Invalid value: "Foo": ${SUBDOMAIN}`]],
    ['bad container name', pod({ containers: [ctr({ name: 'Web_1' })] }), [`spec.containers[0].name: Invalid value: "Web_1": ${LABEL}`]],
    ['duplicate container', pod({ containers: [ctr(), ctr()] }), ['spec.containers[1].name: Duplicate value: "web"']],
    ['restartPolicy', pod({ containers: [ctr()], restartPolicy: 'Sometimes' }),
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    ['port range', pod({ containers: [ctr({ ports: [{ containerPort: 70000 }] })] }),
      ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['protocol', pod({ containers: [ctr({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })] }),
      ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    ['requests above limits', pod({ containers: [ctr({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] }),
      ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']],
    ['bad quantity', pod({ containers: [ctr({ resources: { limits: { memory: 'lots' } } })] }),
      ["spec.containers[0].resources.limits[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        "spec.containers[0].resources.requests[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]],
    ['unknown resource', pod({ containers: [ctr({ resources: { requests: { gpu: '1' } } })] }),
      ['spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers']],
    ['mount of missing volume', pod({ containers: [ctr({ volumeMounts: [{ name: 'data', mountPath: '/data' }] })] }),
      ['spec.containers[0].volumeMounts[0].name: Not found: "data"']],
    ['duplicate volume', pod({ containers: [ctr()], volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }] }),
      ['spec.volumes[1].name: Duplicate value: "v"']],
    ['env name', pod({ containers: [ctr({ env: [{ name: 'A=B', value: 'x' }, { value: 'y' }] })] }),
      ["spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
        'spec.containers[0].env[1].name: Required value']],
    ['liveness successThreshold', pod({ containers: [ctr({ livenessProbe: { httpGet: { port: 80 }, successThreshold: 2 } })] }),
      ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1']],
    ['probe without handler', pod({ containers: [ctr({ readinessProbe: { periodSeconds: 5 } })] }),
      ['spec.containers[0].readinessProbe: Required value: must specify a handler type']],
    ['bad label', pod({ containers: [ctr()] }, meta('web', { labels: { 'bad key!': 'ok' } })),
      ["metadata.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]],
    ['annotations too large', pod({ containers: [ctr()] }, meta('web', { annotations: { big: 'x'.repeat(262142) } })),
      ['metadata.annotations: Too long: must have at most 262144 bytes']],
  ])('%s', (_name, obj, want) => {
    expect(check('Pod', obj)).toEqual(want);
  });

  const UPDATE_PREFIX = 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';

  it('allows image updates', () => {
    const old = pod({ containers: [ctr()] }, meta('web', { resourceVersion: '5' }));
    const next = pod({ containers: [ctr({ image: 'nginx:1.26' })] }, meta('web', { resourceVersion: '5' }));
    expect(check('Pod', next, old)).toEqual([]);
  });

  it('forbids other spec changes', () => {
    const old = pod({ containers: [ctr()] });
    const next = pod({ containers: [ctr({ ports: [{ containerPort: 8080 }] })] });
    const [err, ...rest] = validate('Pod', prep('Pod', next), prep('Pod', old));
    expect(rest).toEqual([]);
    expect(err?.type).toBe('FieldValueForbidden');
    expect(`${err?.field}: ${err?.message}`.startsWith(UPDATE_PREFIX)).toBe(true);
  });

  it('forbids adding containers', () => {
    const old = pod({ containers: [ctr()] });
    const next = pod({ containers: [ctr(), ctr({ name: 'side' })] });
    expect(check('Pod', next, old)).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
  });
});

const svc = (spec: O, name = 'web'): O => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec });

describe('Service', () => {
  it.each<[string, O, string[]]>([
    ['valid', svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }), []],
    ['ports required', svc({ selector: { app: 'web' } }), ['spec.ports: Required value']],
    ['ExternalName needs no ports', svc({ type: 'ExternalName', externalName: 'example.com' }), []],
    ['type', svc({ type: 'Magic', ports: [{ port: 80 }] }),
      ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['port range', svc({ ports: [{ port: 0, targetPort: 80 }] }), ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['names needed for several ports', svc({ ports: [{ port: 80 }, { port: 443 }] }), ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']],
    ['duplicate port names', svc({ ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }), ['spec.ports[1].name: Duplicate value: "http"']],
    ['service name is DNS-1035', svc({ ports: [{ port: 80 }] }, '1web'),
      ["metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]],
    ['nodePort on ClusterIP', svc({ ports: [{ port: 80, nodePort: 30080 }] }), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
  ])('%s', (_name, obj, want) => {
    expect(check('Service', obj)).toEqual(want);
  });

  it('keeps an allocated clusterIP', () => {
    const old = svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
    const next = svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] });
    expect(check('Service', next, old)).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);
  });
});

const deploy = (labels: O, selector: O | undefined, extra: O = {}): O => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'),
  spec: { ...(selector ? { selector } : {}), template: { metadata: { labels }, spec: { containers: [ctr()] } }, ...extra },
});

describe('workloads', () => {
  it.each<[string, string, O, string[]]>([
    ['valid', 'Deployment', deploy({ app: 'web' }, { matchLabels: { app: 'web' } }), []],
    ['selector mismatch', 'Deployment', deploy({ app: 'x' }, { matchLabels: { app: 'web' } }),
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`']],
    ['selector missing', 'Deployment', deploy({ app: 'x' }, undefined),
      ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`']],
    ['negative replicas', 'ReplicaSet', { ...deploy({ app: 'web' }, { matchLabels: { app: 'web' } }, { replicas: -1 }), kind: 'ReplicaSet' },
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    ['template restartPolicy', 'DaemonSet', {
      ...deploy({ app: 'web' }, { matchLabels: { app: 'web' } }), kind: 'DaemonSet',
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [ctr()] } } },
    }, ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    ['template pod errors are prefixed', 'Deployment', {
      ...deploy({ app: 'web' }, { matchLabels: { app: 'web' } }),
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web' }] } } },
    }, ['spec.template.spec.containers[0].image: Required value']],
  ])('%s (%s)', (_name, kind, obj, want) => {
    expect(check(kind, obj)).toEqual(want);
  });

  it('keeps the apps/v1 selector immutable', () => {
    const old = deploy({ app: 'web', v: '1' }, { matchLabels: { app: 'web' } });
    const next = deploy({ app: 'web', v: '1' }, { matchLabels: { app: 'web', v: '1' } });
    expect(check('Deployment', next, old)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
});

describe('batch', () => {
  const job = (restartPolicy: string): O => ({
    apiVersion: 'batch/v1', kind: 'Job', metadata: meta('pi'),
    spec: { template: { spec: { restartPolicy, containers: [ctr()] } } },
  });

  it('accepts a job once the selector is generated', () => {
    const o = prep('Job', job('Never'));
    applyJobSelector(o, 'uid-1');
    expect(lines(validate('Job', o))).toEqual([]);
  });

  it('rejects restartPolicy Always', () => {
    const o = prep('Job', job('Always'));
    applyJobSelector(o, 'uid-1');
    expect(lines(validate('Job', o))).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
  });

  const cron = (schedule: string): O => ({
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('tick'),
    spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [ctr()] } } } } },
  });

  it.each<[string, string[]]>([
    ['*/5 * * * *', []],
    ['@hourly', []],
    ['@every 1h30m', []],
    ['0 9 * * mon-fri', []],
    ['* * * *', ['spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]']],
    ['61 * * * *', ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']],
    ['@sometimes', ['spec.schedule: Invalid value: "@sometimes": unrecognized descriptor: @sometimes']],
    ['x * * * *', ['spec.schedule: Invalid value: "x * * * *": failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax']],
    ['', ['spec.schedule: Required value']],
  ])('schedule %j', (schedule, want) => {
    expect(check('CronJob', cron(schedule))).toEqual(want);
  });
});

describe('other kinds', () => {
  it.each<[string, string, O, string[]]>([
    ['configmap key', 'ConfigMap', { metadata: meta('cfg'), data: { 'bad key': 'v', ok: 'v' } },
      ["data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]],
    ['secret tls keys', 'Secret', { metadata: meta('tls'), type: 'kubernetes.io/tls', data: {} },
      ['data[tls.crt]: Required value', 'data[tls.key]: Required value']],
    ['namespace name is a label', 'Namespace', { metadata: { name: 'a.b' } }, ['metadata.name: Invalid value: "a.b": must not contain dots']],
    ['namespace is cluster-scoped', 'Namespace', { metadata: { name: 'dev', namespace: 'x' } }, ['metadata.namespace: Forbidden: not allowed on this type']],
    ['node taint effect', 'Node', { metadata: { name: 'n1' }, spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } },
      ['metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']],
    ['endpoints address', 'Endpoints', { metadata: meta('web'), subsets: [{ addresses: [{ ip: 'nope' }], ports: [{ port: 80 }] }] },
      ['subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        'subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address']],
    ['lease duration', 'Lease', { metadata: meta('l'), spec: { leaseDurationSeconds: 0 } }, ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']],
    ['endpointslice addressType', 'EndpointSlice', { metadata: meta('s'), endpoints: [] }, ['addressType: Required value']],
  ])('%s', (_name, kind, obj, want) => {
    expect(check(kind, obj)).toEqual(want);
  });
});
