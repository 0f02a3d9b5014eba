/**
 * Admission as the generic handler sees it: defaulting, validation and strict field checking,
 * and the admission steps that read other objects (the ServiceAccount step for pods).
 * The per-kind rules live in control/api/defaults, control/api/validation and the OpenAPI module.
 */
import type { FieldError } from '../../api/status.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';

/** What an admission step knows of the request, and how it reads stored objects (upstream's admission.Attributes and listers). */
export interface AdmissionAttributes {
  operation: 'CREATE';
  ri: ResourceInfo;
  namespace?: string;
  /** The name the request asked for; undefined when it asked only for generateName. */
  name?: string;
  dryRun: boolean;
  /** A stored object, or undefined when there is none. */
  get(ri: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  /** Every stored object of a resource in a namespace, read from storage (never a cache); absent in bare test attributes. */
  list?(ri: ResourceInfo, namespace: string): Promise<KubeObject[]>;
  /** Compare-and-swap write of a stored object on its metadata.resourceVersion (ApiError Conflict when it moved). */
  update?(ri: ResourceInfo, obj: KubeObject): Promise<KubeObject>;
}

export interface Admission {
  applyDefaults(kind: string, obj: KubeObject): void;
  /**
   * Mutating admission that may read other objects, after defaulting and before the kind's
   * strategy and validation (upstream's order). Throws ApiError to refuse.
   */
  admit?(obj: KubeObject, attrs: AdmissionAttributes): Promise<void>;
  validate(kind: string, obj: KubeObject, old?: KubeObject): FieldError[];
  /** Paths of fields the schema does not declare, e.g. `spec.containers[0].foo`. */
  unknownFields(apiVersion: string, kind: string, obj: unknown): string[];
}
