/** One resource served as another's objects (see stored-view.ts). */
import type { KubeObject } from '../object.js';
import type { FieldError } from '../status.js';

export interface StoredView {
  /** group/version/resource served, and the one whose objects it shows. */
  external: { group: string; version: string; resource: string };
  internal: { group: string; version: string; resource: string };
  toInternal(obj: KubeObject): KubeObject;
  toExternal(obj: KubeObject): KubeObject;
  /** The internal field selector label for an external one. */
  fieldLabel(label: string): string;
  /** Checks this version adds to the internal kind's own, on the converted object (old on update). */
  validate?(obj: KubeObject, old?: KubeObject): FieldError[];
}
