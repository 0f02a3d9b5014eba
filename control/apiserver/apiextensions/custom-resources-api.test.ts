import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headerAuth } from '../testing/header-auth.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';

function widgetCrd(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] },
      versions: [{
        name: 'v1', served: true, storage: true, subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        additionalPrinterColumns: [{ name: 'Size', type: 'string', jsonPath: '.spec.size' }, { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }],
        schema: { openAPIV3Schema: { type: 'object', properties: {
          spec: { type: 'object', required: ['size'], properties: {
            size: { type: 'string', enum: ['small', 'large'] }, replicas: { type: 'integer', minimum: 0, default: 1 },
            color: { type: 'string', default: 'blue' }, labels: { type: 'object', additionalProperties: { type: 'string' } },
            free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          } },
          status: { type: 'object', properties: { replicas: { type: 'integer' } } },
        } } },
      }],
      ...extra,
    },
  };
}

const widget = (name: string, spec: Record<string, unknown>, more: Record<string, unknown> = {}) =>
  ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec, ...more });

async function established(s: TestServer, name: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const r = await s.request('GET', `${CRDS}/${name}`);
    const conds = ((r.body['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []);
    if (conds.some((c) => c.type === 'Established' && c.status === 'True')) return r.body;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`CRD ${name} never became Established`);
}

describe('CustomResourceDefinitions', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  it('defaults names, becomes Established with accepted names and stored versions', async () => {
    const r = await s.request('POST', CRDS, widgetCrd());
    expect(r.status).toBe(201);
    const spec = r.body['spec'] as { names: Record<string, unknown>; conversion: unknown };
    expect(spec.names).toMatchObject({ singular: 'widget', listKind: 'WidgetList' });
    expect(spec.conversion).toEqual({ strategy: 'None' });
    const crd = await established(s, 'widgets.example.com');
    const status = crd['status'] as { acceptedNames: Record<string, unknown>; storedVersions: string[]; conditions: Array<{ type: string; status: string }> };
    expect(status.acceptedNames).toMatchObject({ plural: 'widgets', kind: 'Widget' });
    expect(status.storedVersions).toEqual(['v1']);
    expect(status.conditions.find((c) => c.type === 'NamesAccepted')?.status).toBe('True');
  });

  it('refuses bad names, versions and non-structural schemas with 422 causes', async () => {
    const bad = widgetCrd();
    (bad['metadata'] as Record<string, unknown>)['name'] = 'gadgets.example.com';
    const spec = bad['spec'] as Record<string, unknown>;
    spec['versions'] = [{ name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { properties: {} } } } } }];
    spec['scope'] = 'Galaxy';
    const r = await s.request('POST', CRDS, bad);
    expect(r.status).toBe(422);
    const fields = ((r.body['details'] as { causes: Array<{ field: string }> }).causes).map((c) => c.field);
    expect(fields).toEqual(expect.arrayContaining([
      'metadata.name', 'spec.scope', 'spec.versions', 'spec.versions[0].schema.openAPIV3Schema.properties[spec].type',
    ]));
    const noSchema = widgetCrd();
    ((noSchema['spec'] as { versions: Array<Record<string, unknown>> }).versions[0] as Record<string, unknown>)['schema'] = undefined;
    const r2 = await s.request('POST', CRDS, noSchema);
    expect(r2.status).toBe(422);
    expect(r2.text).toContain('spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required');
    expect((await s.request('GET', CRDS)).body['items']).toEqual([]);
  });

  it('serves custom resources: schema validation, pruning, defaulting, status, scale, discovery, table', async () => {
    await s.request('POST', CRDS, widgetCrd());
    await established(s, 'widgets.example.com');

    const bad = await s.request('POST', WIDGETS, widget('w0', { size: 'huge', replicas: 'two' }));
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('spec.size: Unsupported value: \\"huge\\": supported values: \\"small\\", \\"large\\"');
    expect(bad.text).toContain('spec.replicas in body must be of type integer');

    const created = await s.request('POST', WIDGETS, widget('w1', { size: 'small', junk: 1, free: { any: { thing: true } } }, { status: { replicas: 9 } }));
    expect(created.status).toBe(201);
    expect(created.body['spec']).toEqual({ size: 'small', replicas: 1, color: 'blue', free: { any: { thing: true } } });
    expect(created.body['status']).toBeUndefined(); // the status subresource owns it
    expect(created.body['metadata']?.['generation']).toBe(1);

    const strict = await s.request('POST', `${WIDGETS}?fieldValidation=Strict`, widget('w2', { size: 'small', junk: 1 }));
    expect(strict.status).toBe(400);
    expect(strict.text).toContain('unknown field \\"spec.junk\\"');

    const st = await s.request('PUT', `${WIDGETS}/w1/status`, { ...created.body, spec: { size: 'large' }, status: { replicas: 3 } });
    expect(st.status).toBe(200);
    expect(st.body['status']).toEqual({ replicas: 3 });
    expect((st.body['spec'] as Record<string, unknown>)['size']).toBe('small');

    const patched = await s.request('PATCH', `${WIDGETS}/w1`, { spec: { size: 'large' }, status: { replicas: 0 } }, { 'content-type': 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    expect(patched.body['metadata']?.['generation']).toBe(2);
    expect(patched.body['status']).toEqual({ replicas: 3 });
    const smp = await s.request('PATCH', `${WIDGETS}/w1`, { spec: { size: 'small' } }, { 'content-type': 'application/strategic-merge-patch+json' });
    expect(smp.status).toBe(415);

    const scale = await s.request('GET', `${WIDGETS}/w1/scale`);
    expect(scale.body).toMatchObject({ kind: 'Scale', spec: { replicas: 1 }, status: { replicas: 3 } });
    const scaled = await s.request('PATCH', `${WIDGETS}/w1/scale`, { spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
    expect(scaled.body).toMatchObject({ spec: { replicas: 5 } });
    expect(((await s.request('GET', `${WIDGETS}/w1`)).body['spec'] as Record<string, unknown>)['replicas']).toBe(5);

    const stale = await s.request('PUT', `${WIDGETS}/w1`, { ...created.body });
    expect(stale.status).toBe(409);

    const disc = await s.request('GET', '/apis/example.com/v1');
    expect(disc.body['resources']).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'widgets', kind: 'Widget', namespaced: true, shortNames: ['wd'] }),
      expect.objectContaining({ name: 'widgets/status' }), expect.objectContaining({ name: 'widgets/scale' }),
    ]));
    const table = await s.request('GET', WIDGETS, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect((table.body['columnDefinitions'] as Array<{ name: string }>).map((c) => c.name)).toEqual(['Name', 'Size', 'Replicas']);
    expect((table.body['rows'] as Array<{ cells: unknown[] }>)[0]?.cells).toEqual(['w1', 'large', 5]);

    const sel = await s.request('GET', `${WIDGETS}?fieldSelector=metadata.name%3Dw9`);
    expect(sel.body['items']).toEqual([]);
    await s.request('POST', WIDGETS, { ...widget('w3', { size: 'small' }), metadata: { name: 'w3', labels: { drop: 'yes' } } });
    const dc = await s.request('DELETE', `${WIDGETS}?labelSelector=drop%3Dyes`);
    expect(dc.status).toBe(200);
    expect(((dc.body['items'] as Array<{ metadata: { name: string } }>)).map((i) => i.metadata.name)).toEqual(['w3']);
    expect(((await s.request('GET', WIDGETS)).body['items'] as unknown[]).length).toBe(1);
    expect((await s.request('DELETE', `${WIDGETS}/w1`)).status).toBe(200);
    expect((await s.request('GET', `${WIDGETS}/w1`)).status).toBe(404);
  });

  it('deleting the CRD deletes its custom resources and stops serving them', async () => {
    await s.request('POST', CRDS, widgetCrd());
    await established(s, 'widgets.example.com');
    expect((await s.request('POST', WIDGETS, widget('w1', { size: 'small' }))).status).toBe(201);
    const del = await s.request('DELETE', `${CRDS}/widgets.example.com`);
    expect(del.status).toBeLessThan(300);
    for (let i = 0; i < 200 && (await s.request('GET', `${CRDS}/widgets.example.com`)).status !== 404; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await s.request('GET', `${CRDS}/widgets.example.com`)).status).toBe(404);
    expect((await s.request('GET', '/apis/example.com/v1')).status).toBe(404);
    expect((await s.store.list('/registry/example.com/widgets/')).items).toEqual([]);
  });
});

describe('OpenAPI v3 of apiextensions and custom resources', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  it('indexes both and has the PATCH operation kubectl looks for, with fieldValidation and no requestBody', async () => {
    await s.request('POST', CRDS, widgetCrd());
    await established(s, 'widgets.example.com');
    const index = (await s.request('GET', '/openapi/v3')).body['paths'] as Record<string, { serverRelativeURL: string }>;
    expect(Object.keys(index)).toEqual(expect.arrayContaining(['apis/apiextensions.k8s.io/v1', 'apis/example.com/v1', 'api/v1']));
    for (const [path, kind] of [['/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}', 'CustomResourceDefinition'], ['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}', 'Widget']] as const) {
      const url = index[path.startsWith('/apis/example') ? 'apis/example.com/v1' : 'apis/apiextensions.k8s.io/v1']?.serverRelativeURL ?? '';
      const doc = (await s.request('GET', url)).body as { paths: Record<string, { patch?: { parameters: Array<{ name: string }>; requestBody?: unknown; 'x-kubernetes-group-version-kind': unknown } }> };
      const patch = doc.paths[path]?.patch;
      expect(patch?.['x-kubernetes-group-version-kind']).toMatchObject({ kind });
      expect(patch?.parameters.map((p) => p.name)).toContain('fieldValidation');
      expect(patch?.requestBody).toBeUndefined();
    }
  });
});

describe('CustomResourceDefinitions with the namespace controller', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer({ controllers: true }); });
  afterEach(async () => { await s.close(); });

  it('deleting a namespace deletes its custom resources', async () => {
    await s.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crs' } });
    await s.request('POST', CRDS, widgetCrd());
    await established(s, 'widgets.example.com');
    expect((await s.request('POST', '/apis/example.com/v1/namespaces/crs/widgets', widget('w1', { size: 'small' }))).status).toBe(201);
    await s.request('DELETE', '/api/v1/namespaces/crs');
    for (let i = 0; i < 300 && (await s.request('GET', '/api/v1/namespaces/crs')).status !== 404; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await s.request('GET', '/api/v1/namespaces/crs')).status).toBe(404);
    expect((await s.store.list('/registry/example.com/widgets/crs/')).items).toEqual([]);
  });
});

describe('custom resources and the garbage collector', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer({ controllers: true }); });
  afterEach(async () => { await s.close(); });

  it('keeps what a custom resource owns while it lives and collects it after', async () => {
    await s.request('POST', CRDS, widgetCrd());
    await established(s, 'widgets.example.com');
    const owner = await s.request('POST', WIDGETS, widget('w1', { size: 'small' }));
    const ref = { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w1', uid: owner.body['metadata']?.['uid'] };
    const cm = await s.request('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned', ownerReferences: [ref] } });
    expect(cm.status).toBe(201);
    await new Promise((r) => setTimeout(r, 300)); // the collector has seen both by now
    expect((await s.request('GET', '/api/v1/namespaces/default/configmaps/owned')).status).toBe(200);
    await s.request('DELETE', `${WIDGETS}/w1`);
    for (let i = 0; i < 300 && (await s.request('GET', '/api/v1/namespaces/default/configmaps/owned')).status !== 404; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await s.request('GET', '/api/v1/namespaces/default/configmaps/owned')).status).toBe(404);
  });
});

describe('RBAC for custom resources', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer({ authenticator: headerAuth }); });
  afterEach(async () => { await s.close(); });

  it('authorizes a custom resource by its group and plural like any resource', async () => {
    await s.request('POST', CRDS, widgetCrd());
    await established(s, 'widgets.example.com');
    await s.request('POST', WIDGETS, widget('w1', { size: 'small' }));
    await s.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'widget-reader' },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] }],
    });
    await s.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'alice-reads' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'widget-reader' }, subjects: [{ kind: 'User', name: 'alice' }],
    });
    const alice = { 'x-user': 'alice|system:authenticated' };
    let list = await s.request('GET', WIDGETS, undefined, alice);
    for (let i = 0; i < 100 && list.status !== 200; i++) { await new Promise((r) => setTimeout(r, 10)); list = await s.request('GET', WIDGETS, undefined, alice); }
    expect(list.status).toBe(200);
    expect((list.body['items'] as unknown[]).length).toBe(1);
    const create = await s.request('POST', WIDGETS, widget('w2', { size: 'small' }), alice);
    expect(create.status).toBe(403);
    expect(create.text).toContain('widgets.example.com is forbidden: User \\"alice\\" cannot create resource \\"widgets\\" in API group \\"example.com\\"');
    expect((await s.request('GET', '/apis/example.com/v1/namespaces/other/widgets', undefined, alice)).status).toBe(403);
  });
});

describe('CustomResourceDefinition rules', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  it('protected groups need the api-approved annotation', async () => {
    const crd = widgetCrd({ group: 'things.k8s.io' });
    (crd['metadata'] as Record<string, unknown>)['name'] = 'widgets.things.k8s.io';
    const r = await s.request('POST', CRDS, crd);
    expect(r.status).toBe(422);
    expect(r.text).toContain('metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation');
    (crd['metadata'] as Record<string, unknown>)['annotations'] = { 'api-approved.kubernetes.io': 'unapproved, testing only' };
    expect((await s.request('POST', CRDS, crd)).status).toBe(201);
  });

  it('a second CRD claiming a kind already in use in its group is not established', async () => {
    await s.request('POST', CRDS, widgetCrd());
    await established(s, 'widgets.example.com');
    const other = widgetCrd({ names: { plural: 'gadgets', singular: 'gadget', kind: 'Widget' } });
    (other['metadata'] as Record<string, unknown>)['name'] = 'gadgets.example.com';
    expect((await s.request('POST', CRDS, other)).status).toBe(201);
    let conds: Array<{ type: string; status: string; reason: string }> = [];
    for (let i = 0; i < 200 && !conds.some((c) => c.type === 'NamesAccepted'); i++) {
      conds = ((await s.request('GET', `${CRDS}/gadgets.example.com`)).body['status'] as { conditions?: typeof conds }).conditions ?? [];
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(conds.find((c) => c.type === 'NamesAccepted')).toMatchObject({ status: 'False', reason: 'KindConflict' });
    expect(conds.find((c) => c.type === 'Established')).toMatchObject({ status: 'False' });
    expect((await s.request('GET', '/apis/example.com/v1/namespaces/default/gadgets')).status).toBe(404);
  });

  it('never serves a custom resource over a built-in kind', async () => {
    const crd = widgetCrd({ group: 'storage.k8s.io', names: { plural: 'otherclasses', kind: 'StorageClass' } });
    (crd['metadata'] as Record<string, unknown>)['name'] = 'otherclasses.storage.k8s.io';
    (crd['metadata'] as Record<string, unknown>)['annotations'] = { 'api-approved.kubernetes.io': 'unapproved, testing only' };
    expect((await s.request('POST', CRDS, crd)).status).toBe(201);
    await established(s, 'otherclasses.storage.k8s.io');
    expect((await s.request('GET', '/apis/storage.k8s.io/v1/otherclasses')).status).toBe(404);
    const sc = await s.request('POST', '/apis/storage.k8s.io/v1/storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'x' }, provisioner: 'p' });
    expect(sc.status).toBe(201); // validated as the built-in kind, not by the CRD's schema (which requires spec.size)
  });

  it('lists the versions in discovery by version priority, GA first', async () => {
    const crd = widgetCrd();
    const v = ((crd['spec'] as { versions: Array<Record<string, unknown>> }).versions[0]) as Record<string, unknown>;
    (crd['spec'] as Record<string, unknown>)['versions'] = [{ ...v, name: 'v1alpha1', storage: false }, { ...v, name: 'v1beta1', storage: false }, v];
    expect((await s.request('POST', CRDS, crd)).status).toBe(201);
    await established(s, 'widgets.example.com');
    const group = (await s.request('GET', '/apis/example.com')).body as { versions: Array<{ version: string }>; preferredVersion: { version: string } };
    expect(group.versions.map((x) => x.version)).toEqual(['v1', 'v1beta1', 'v1alpha1']);
    expect(group.preferredVersion.version).toBe('v1');
  });
});
