/**
 * CustomResourceDefinitions with the real kubectl against the real `tinykube server` (dist/): apply
 * a CRD, wait for Established, apply, list (additionalPrinterColumns, short name), scale, patch and
 * delete custom resources; the schema refuses bad objects (422 causes, strict unknown fields, 415 for
 * a strategic merge patch); deleting the CRD deletes its objects and the resource type goes away.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';

const kubectlAvailable = (() => { try { execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' }); return true; } catch { return false; } })(); // absent: the suite skips
if (!kubectlAvailable) console.log('crd-kubectl: skipped, no kubectl on PATH');

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gizmos.tinykube.example.com
spec:
  group: tinykube.example.com
  scope: Namespaced
  names: { plural: gizmos, kind: Gizmo, shortNames: [gz] }
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: { specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas }
    additionalPrinterColumns:
    - { name: Size, type: string, jsonPath: .spec.size }
    - { name: Replicas, type: integer, jsonPath: .spec.replicas }
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: { type: string, enum: [small, large] }
              replicas: { type: integer, minimum: 0, default: 1 }
          status:
            type: object
            properties:
              replicas: { type: integer }
`;
const gizmo = (name: string, spec: string) => `apiVersion: tinykube.example.com/v1\nkind: Gizmo\nmetadata:\n  name: ${name}\n  namespace: default\nspec: ${spec}\n`;

describe.skipIf(!kubectlAvailable)('CustomResourceDefinitions with kubectl', () => {
  const cp = new TestControlPlane();
  beforeAll(async () => { await cp.start(); }, 40_000);
  afterAll(async () => { await cp.destroy(); });

  it('applies a CRD, serves its custom resources and removes them with it', async () => {
    const applied = await cp.kubectl(['apply', '-f', '-'], { input: CRD });
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/gizmos.tinykube.example.com created');
    await cp.k('wait', '--for=condition=Established', 'crd/gizmos.tinykube.example.com', '--timeout=30s');
    expect(await cp.k('get', 'crd')).toMatch(/NAME\s+CREATED AT\n.*gizmos\.tinykube\.example\.com\s+\d{4}-\d\d-\d\dT/);

    // the new type is in discovery: kubectl finds it by plural and short name
    await eventually(async () => expect((await cp.kubectl(['apply', '-f', '-'], { input: gizmo('g1', '{ size: small }') })).stdout).toContain('gizmo.tinykube.example.com/g1 created'), { timeoutMs: 20_000 });
    expect(await cp.k('get', 'gz')).toMatch(/NAME\s+SIZE\s+REPLICAS\ng1\s+small\s+1\n/);
    expect(await cp.k('get', 'gizmo', 'g1', '-o', 'jsonpath={.spec.replicas}/{.metadata.generation}')).toBe('1/1');
    // kubectl explain reads the CRD's schema from /openapi/v3
    expect(await cp.k('explain', 'gizmo.spec')).toMatch(/KIND:\s+Gizmo[\s\S]*FIELDS:[\s\S]*replicas\s+<integer>[\s\S]*size\s+<string> -required-/);

    // apply again: a JSON merge patch computed by kubectl
    const again = await cp.kubectl(['apply', '-f', '-'], { input: gizmo('g1', '{ size: large }') });
    expect(again.stdout).toContain('gizmo.tinykube.example.com/g1 configured');
    expect(await cp.k('get', 'gizmo', 'g1', '-o', 'jsonpath={.spec.size}/{.metadata.generation}')).toBe('large/2');

    // the schema refuses bad objects; kubectl validates strictly on the server
    const badEnum = await cp.kubectl(['apply', '-f', '-'], { input: gizmo('g2', '{ size: huge }') });
    expect(badEnum.code).not.toBe(0);
    expect(badEnum.stderr).toContain('spec.size: Unsupported value: "huge": supported values: "small", "large"');
    const unknown = await cp.kubectl(['apply', '-f', '-'], { input: gizmo('g2', '{ size: small, colour: red }') });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('unknown field "spec.colour"');
    const smp = await cp.kubectl(['patch', 'gizmo', 'g1', '--type=strategic', '-p', '{"spec":{"size":"small"}}']);
    expect(smp.code).not.toBe(0);
    expect(smp.stderr).toContain('the body of the request was in an unknown format');
    expect((await cp.kubectl(['get', 'gizmo', 'g2'])).stderr).toContain('not found');

    // server-side apply creates and updates a custom resource too
    expect((await cp.kubectl(['apply', '--server-side', '-f', '-'], { input: gizmo('g3', '{ size: small }') })).stdout).toContain('gizmo.tinykube.example.com/g3 serverside-applied');
    expect(await cp.k('get', 'gizmo', 'g3', '-o', 'jsonpath={.spec.size}/{.spec.replicas}')).toBe('small/1');

    // scale through /scale, merge patch of the main resource
    expect(await cp.k('scale', 'gizmo', 'g1', '--replicas=3')).toContain('scaled');
    await cp.k('patch', 'gizmo', 'g1', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"x"}}}');
    expect(await cp.k('get', 'gizmos', '-l', 'tier=x', '-o', 'jsonpath={.items[*].spec.replicas}')).toBe('3');

    // delete the CRD: its objects go with it, and so does the resource type
    expect(await cp.k('delete', 'crd', 'gizmos.tinykube.example.com')).toContain('deleted');
    expect((await cp.kubectl(['get', 'crd', 'gizmos.tinykube.example.com'])).stderr).toContain('not found');
    // (kubectl's discovery cache may still name the type: then the list itself is the 404)
    await eventually(async () => expect((await cp.kubectl(['get', 'gizmos'])).stderr)
      .toMatch(/the server doesn't have a resource type "gizmos"|Unable to list "tinykube.example.com\/v1, Resource=gizmos": the server could not find the requested resource/), { timeoutMs: 20_000 });
  }, 120_000);
});
