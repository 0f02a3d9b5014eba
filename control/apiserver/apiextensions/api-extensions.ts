/**
 * apiextensions-apiserver inside the API server: the CustomResourceDefinition kind's strategy and
 * admission, the registry of served custom resources, the CRD controller, and the hooks the
 * generic routes, discovery and OpenAPI use to serve custom resources like built-in ones.
 */
import type { Logger } from 'pino';
import type { ResourceInfo } from '../../api/resources.js';
import { groupVersion } from '../../api/resources.js';
import type { Admission } from '../registry/admission.js';
import type { ObjectStore } from '../registry/object-store.js';
import type { ResourceHandler } from '../registry/resource-handler.js';
import type { Strategy } from '../registry/strategy.js';
import type { SerializedDocument } from '../openapi/openapi-v3.js';
import type { Printer } from '../printers/printer.js';
import type { DynamicResources } from '../routes/resources.js';
import { withApiExtensions } from './cr-admission.js';
import { customResourceEdge } from './cr-edge.js';
import { buildCustomDocument } from './cr-openapi.js';
import type { KindSchema } from './cr-openapi.js';
import { customResourcePrinter } from './cr-printer.js';
import { customScaleOf, updateCustomScale } from './cr-scale.js';
import { customResourceStrategy } from './cr-strategy.js';
import { CrdController, storageResource } from './crd-controller.js';
import { CRDS, CustomResourceRegistry } from './custom-resource-registry.js';

export class ApiExtensions {
  readonly registry: CustomResourceRegistry;
  private docs: Map<string, SerializedDocument> | undefined;

  constructor(private readonly opts: { objects: ObjectStore; log: Logger }) {
    this.registry = new CustomResourceRegistry({ objects: opts.objects, log: opts.log });
    this.registry.onChange(() => { this.docs = undefined; });
  }

  /** Follows the CRDs and runs the CRD controller until the signal aborts. */
  start(handler: ResourceHandler, signal: AbortSignal): void {
    void this.registry.start(signal);
    const controller = new CrdController({ handler, log: this.opts.log.child({ controller: 'customresourcedefinition' }) });
    void controller.run(signal).catch((err: unknown) => this.opts.log.error({ err }, 'CustomResourceDefinition controller stopped'));
  }

  admission(base: Admission): Admission { return withApiExtensions(base, this.registry); }

  strategyFor(ri: ResourceInfo): Strategy | undefined {
    const cr = this.registry.forResource(ri);
    return cr ? customResourceStrategy(cr) : undefined;
  }

  /** Where each CRD's objects are stored (one resource per CRD, served or not), for the namespace controller. */
  storageResources(): ResourceInfo[] {
    return this.registry.definitions().map(storageResource).filter((ri): ri is ResourceInfo => ri !== undefined);
  }

  /** The served custom resources, for discovery. */
  resources(): ResourceInfo[] { return this.registry.all().map((c) => c.ri); }

  /** The route hooks (routes/resources.ts DynamicResources). */
  dynamic(): DynamicResources {
    const reg = this.registry;
    return {
      find: async (group, version, resource) => (await reg.resolve(group, version, resource))?.ri,
      edge: (ri, query) => { const cr = reg.forResource(ri); return cr ? customResourceEdge(cr, query) : undefined; },
      printer: (ri): Printer | undefined => { const cr = reg.forResource(ri); return cr ? customResourcePrinter(cr.columns) : undefined; },
      scale: (ri) => {
        const paths = reg.forResource(ri)?.scale;
        if (!paths) return undefined;
        return { get: (obj) => customScaleOf(obj, paths), update: (h, scope, next) => updateCustomScale(h, scope, paths, next) };
      },
    };
  }

  /** OpenAPI v3 documents of apiextensions.k8s.io/v1 and of every custom resource group-version. */
  openapiDocuments(): Map<string, SerializedDocument> {
    if (this.docs) return this.docs;
    const byGv = new Map<string, KindSchema[]>([[groupVersion(CRDS), [{ ri: CRDS, schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }]]]);
    for (const cr of this.registry.all()) {
      const gv = groupVersion(cr.ri);
      byGv.set(gv, [...(byGv.get(gv) ?? []), { ri: cr.ri, schema: cr.schema }]);
    }
    this.docs = new Map([...byGv].map(([gv, kinds]) => [gv, buildCustomDocument(kinds)]));
    return this.docs;
  }
}
