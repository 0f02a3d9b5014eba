import { describe, expect, it } from 'vitest';
import { fieldGetter, parseFieldSelector, validateFieldSelector } from './fields.js';
import { isApiError } from './status.js';

function errorOf(fn: () => unknown): { code: number; reason?: string; message?: string } {
  try { fn(); } catch (err) { if (isApiError(err)) return err.status; throw err; }
  throw new Error('expected an ApiError');
}

const pod = {
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { nodeName: 'node1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'sa' },
  status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], nominatedNodeName: 'node2' },
};

describe('parseFieldSelector', () => {
  const get = (f: string) => ({ 'metadata.name': 'a,b=c\\d', 'status.phase': 'Running' } as Record<string, string>)[f];
  it.each([
    ['', true],
    ['status.phase=Running', true],
    ['status.phase==Running', true],
    ['status.phase!=Running', false],
    ['status.phase=Pending', false],
    ['status.phase!=Pending', true],
    ['spec.nodeName=', true],
    ['spec.nodeName!=', false],
    ['status.phase=Running,spec.nodeName!=x', true],
    ['status.phase=Running,', true],
    ['metadata.name=a\\,b\\=c\\\\d', true],
    ['metadata.name=a', false],
  ])('%j matches: %s', (s, want) => {
    expect(parseFieldSelector(s).matches(get)).toBe(want);
  });

  it.each([
    ['b=2,a==1', 'a=1,b=2'],
    ['a!=x', 'a!=x'],
    ['a=x\\,y', 'a=x\\,y'],
    ['', ''],
  ])('%j prints as %j', (s, want) => {
    expect(parseFieldSelector(s).toString()).toBe(want);
  });

  it('reports the exact match on a field', () => {
    const sel = parseFieldSelector('metadata.name=web,spec.nodeName!=x');
    expect(sel.requiresExactMatch('metadata.name')).toBe('web');
    expect(sel.requiresExactMatch('spec.nodeName')).toBeUndefined();
    expect(sel.empty).toBe(false);
    expect(parseFieldSelector('').empty).toBe(true);
  });

  it.each([
    ['nonsense', "invalid selector: 'nonsense'; can't understand 'nonsense'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
  ])('%j is 400 BadRequest', (s, message) => {
    expect(errorOf(() => parseFieldSelector(s))).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });
});

describe('fieldGetter', () => {
  it.each([
    ['Pod', pod, 'metadata.name', 'web-1'],
    ['Pod', pod, 'metadata.namespace', 'default'],
    ['Pod', pod, 'spec.nodeName', 'node1'],
    ['Pod', pod, 'spec.host', 'node1'],
    ['Pod', pod, 'spec.restartPolicy', 'Always'],
    ['Pod', pod, 'spec.schedulerName', 'default-scheduler'],
    ['Pod', pod, 'spec.serviceAccountName', 'sa'],
    ['Pod', pod, 'spec.hostNetwork', 'false'],
    ['Pod', pod, 'status.phase', 'Running'],
    ['Pod', pod, 'status.podIP', '10.0.0.5'],
    ['Pod', pod, 'status.nominatedNodeName', 'node2'],
    ['Pod', { metadata: { name: 'p' } }, 'spec.nodeName', ''],
    ['Pod', pod, 'spec.bogus', undefined],
    ['Event', { involvedObject: { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec' } }, 'involvedObject.uid', 'u'],
    ['Event', { involvedObject: { kind: 'Pod' } }, 'involvedObject.kind', 'Pod'],
    ['Event', { involvedObject: { fieldPath: 'spec.containers{c}' } }, 'involvedObject.fieldPath', 'spec.containers{c}'],
    ['Event', { reason: 'Scheduled' }, 'reason', 'Scheduled'],
    ['Event', { source: { component: 'scheduler' } }, 'source', 'scheduler'],
    ['Event', { reportingComponent: 'test-controller' }, 'source', 'test-controller'],
    ['Event', { type: 'Normal' }, 'type', 'Normal'],
    ['Event', { reportingComponent: 'kubelet' }, 'reportingComponent', 'kubelet'],
    ['Node', { spec: { unschedulable: true } }, 'spec.unschedulable', 'true'],
    ['Node', { spec: {} }, 'spec.unschedulable', 'false'],
    ['Secret', { type: 'Opaque' }, 'type', 'Opaque'],
    ['Namespace', { status: { phase: 'Active' } }, 'status.phase', 'Active'],
    ['ReplicaSet', { status: { replicas: 3 } }, 'status.replicas', '3'],
    ['ReplicationController', { status: {} }, 'status.replicas', '0'],
    ['Job', { status: { succeeded: 2 } }, 'status.successful', '2'],
    ['Deployment', { metadata: { name: 'd', namespace: 'ns' } }, 'metadata.namespace', 'ns'],
    ['ConfigMap', { metadata: { name: 'c' } }, 'metadata.name', 'c'],
  ])('%s %j: %s = %j', (kind, obj, field, want) => {
    expect(fieldGetter(kind, obj)(field)).toBe(want);
  });

  it('drives the kubectl describe events selector', () => {
    const event = { metadata: { name: 'e', namespace: 'default' }, involvedObject: { name: 'web-1', namespace: 'default', uid: 'u1' } };
    const sel = parseFieldSelector('involvedObject.name=web-1,involvedObject.namespace=default,involvedObject.uid=u1');
    expect(sel.matches(fieldGetter('Event', event))).toBe(true);
    expect(sel.matches(fieldGetter('Event', { ...event, involvedObject: { ...event.involvedObject, uid: 'u2' } }))).toBe(false);
  });

  it('drives kubectl drain and delete selectors', () => {
    expect(parseFieldSelector('spec.nodeName=node1').matches(fieldGetter('Pod', pod))).toBe(true);
    expect(parseFieldSelector('metadata.name=web-1').matches(fieldGetter('Pod', pod))).toBe(true);
  });
});

describe('validateFieldSelector', () => {
  it.each([
    ['Pod', 'spec.nodeName=a,status.phase!=Failed,metadata.namespace=x'],
    ['Event', 'involvedObject.name=a,involvedObject.namespace=b,involvedObject.uid=c,reason=x,source=s,type=Normal'],
    ['Node', 'metadata.name=n,spec.unschedulable=false'],
    ['Secret', 'type=Opaque'],
    ['Namespace', 'status.phase=Active'],
    ['ReplicaSet', 'status.replicas=0'],
    ['Job', 'status.successful=1'],
    ['Deployment', 'metadata.name=d,metadata.namespace=ns'],
    ['Pod', ''],
  ])('%s accepts %j', (kind, s) => {
    expect(() => validateFieldSelector(kind, parseFieldSelector(s))).not.toThrow();
  });

  it.each([
    ['Pod', 'spec.bogus=1', 'field label not supported: spec.bogus'],
    ['Node', 'metadata.namespace=x', 'field label not supported: metadata.namespace'],
    ['Event', 'involvedObject.bogus=1', 'field label not supported: involvedObject.bogus'],
    ['Deployment', 'spec.replicas=1', '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'],
  ])('%s rejects %j', (kind, s, message) => {
    expect(errorOf(() => validateFieldSelector(kind, parseFieldSelector(s)))).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });
});
