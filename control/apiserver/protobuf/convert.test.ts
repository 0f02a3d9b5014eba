import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from './decode.js';
import { convertMessage } from './convert.js';
import { UNKNOWN_TYPE, k8sRoot } from './schema.js';

const enc = new TextEncoder();

/** Encodes `obj` as `kind` and wraps it the way client-go does: "k8s\0" + runtime.Unknown. */
function wrap(typeName: string, apiVersion: string, kind: string, obj: Record<string, unknown>, extra: number[] = []): Uint8Array {
  const type = k8sRoot().lookupType(typeName);
  const raw = Uint8Array.from([...type.encode(type.fromObject(obj)).finish(), ...extra]);
  const unknown = k8sRoot().lookupType(UNKNOWN_TYPE);
  const env = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...env]);
}

describe('convertMessage', () => {
  const pod = {
    metadata: {
      name: 'p', namespace: 'ns', creationTimestamp: { seconds: 1735689600 }, deletionGracePeriodSeconds: 30,
      annotations: {}, finalizers: [],
      managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { Raw: enc.encode('{"f:spec":{}}') } }],
    },
    spec: {
      terminationGracePeriodSeconds: 0,
      volumes: [
        { name: 'scratch', volumeSource: { emptyDir: {} } },
        { name: 'cfg', volumeSource: { configMap: { localObjectReference: { name: 'c' }, defaultMode: 420 } } },
      ],
      containers: [{
        name: 'c', image: 'x', workingDir: '',
        env: [{ name: 'K', valueFrom: { secretKeyRef: { localObjectReference: { name: 's' }, key: 'p' } } }],
        resources: { limits: { cpu: { string: '500m' } }, requests: { memory: { string: '64Mi' } } },
        livenessProbe: { handler: { httpGet: { path: '/healthz', port: { type: 1, strVal: 'http' } } }, periodSeconds: 5 },
        readinessProbe: { handler: { tcpSocket: { port: { type: 0, intVal: 8080 } } } },
        volumeMounts: [{ name: 'scratch', mountPath: '/tmp', readOnly: false }],
      }],
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 300 }],
    },
  };

  it('converts a Pod to its JSON form', () => {
    const { object } = decodeProtobufObject(wrap('k8s.io.api.core.v1.Pod', 'v1', 'Pod', pod));
    expect(object['metadata']).toEqual({
      name: 'p', namespace: 'ns', creationTimestamp: '2025-01-01T00:00:00Z', deletionGracePeriodSeconds: 30,
      managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }],
    });
    expect(object).toHaveProperty('spec.terminationGracePeriodSeconds', 0);
    expect(object).toHaveProperty('spec.volumes', [
      { name: 'scratch', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
    ]);
    expect(object).toHaveProperty('spec.containers.0', {
      name: 'c', image: 'x',
      env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } }],
      resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
      readinessProbe: { tcpSocket: { port: 8080 } },
      volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }],
    });
    expect(object).toHaveProperty('spec.tolerations', [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 300 }]);
  });

  it('drops the zero values gogo writes for plain Go scalars and keeps those of pointer fields', () => {
    const p = {
      metadata: { name: 'p', generation: 0 },
      spec: {
        activeDeadlineSeconds: 0, enableServiceLinks: false, automountServiceAccountToken: false,
        containers: [{ name: 'c', stdin: false, tty: false, livenessProbe: { successThreshold: 0, failureThreshold: 3 }, ports: [{ containerPort: 80, hostPort: 0 }] }],
      },
    };
    const { object } = decodeProtobufObject(wrap('k8s.io.api.core.v1.Pod', 'v1', 'Pod', p));
    expect(object['metadata']).toEqual({ name: 'p' });
    expect(object['spec']).toEqual({
      activeDeadlineSeconds: 0, enableServiceLinks: false, automountServiceAccountToken: false,
      containers: [{ name: 'c', livenessProbe: { failureThreshold: 3 }, ports: [{ containerPort: 80 }] }],
    });
  });

  it('skips unknown fields from newer clients', () => {
    // field 99 (varint 1) and field 100 (string "x") are not in our schema.
    const extra = [0x98, 0x06, 0x01, 0xa2, 0x06, 0x01, 0x78];
    const { object } = decodeProtobufObject(wrap('k8s.io.api.core.v1.ConfigMap', 'v1', 'ConfigMap', { metadata: { name: 'c' } }, extra));
    expect(object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  });

  it('keeps Deployment rolling-update IntOrStrings as number or string', () => {
    const dep = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: { type: 1, strVal: '25%' }, maxUnavailable: { type: 0, intVal: 0 } } } } };
    const { object } = decodeProtobufObject(wrap('k8s.io.api.apps.v1.Deployment', 'apps/v1', 'Deployment', dep));
    expect(object).toHaveProperty('spec.strategy', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  });

  it('formats MicroTime with microseconds and treats a zero Time as unset', () => {
    const micro = k8sRoot().lookupType('k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime');
    expect(convertMessage(micro, { seconds: 1735689600, nanos: 123456789 })).toBe('2025-01-01T00:00:00.123456Z');
    const time = k8sRoot().lookupType('k8s.io.apimachinery.pkg.apis.meta.v1.Time');
    expect(convertMessage(time, {})).toBeUndefined();
  });
});
