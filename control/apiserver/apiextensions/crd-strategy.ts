/**
 * The CustomResourceDefinition kind's REST rules (upstream customresourcedefinition strategy):
 * status starts empty with the storage version as stored, generation follows the spec, a delete
 * keeps the CRD (condition Terminating) until its custom resources are gone (crd-controller.ts).
 */
import type { CustomResourceDefinition, CustomResourceDefinitionCondition } from 'kubernetes-types/apiextensions/v1.js';
import type { KubeObject } from '../../api/object.js';
import { rfc3339 } from '../../util/clock.js';
import type { Strategy } from '../registry/strategy.js';
import { crdCondition } from './crd-resource.js';

export const TERMINATING = 'Terminating';
export const INSTANCE_DELETION_COMPLETED = 'InstanceDeletionCompleted';

const storageVersion = (crd: CustomResourceDefinition): string | undefined => (crd.spec?.versions ?? []).find((v) => v.storage === true)?.name;

/** `conditions` with `c` set by type; the transition time moves only when the status changes. */
export function setCondition(conditions: readonly CustomResourceDefinitionCondition[] | undefined, c: CustomResourceDefinitionCondition, now: Date): CustomResourceDefinitionCondition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? list[i] : undefined;
  const next = { ...c, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now) };
  if (i >= 0) list[i] = next; else list.push(next);
  return list;
}

export function crdStrategy(): Strategy {
  return {
    tracksGeneration: true,
    prepareForCreate(obj) {
      const crd = obj as unknown as CustomResourceDefinition;
      const sv = storageVersion(crd);
      crd.status = { acceptedNames: { plural: '', kind: '' }, storedVersions: sv ? [sv] : [] };
    },
    prepareForUpdate(obj) {
      const crd = obj as unknown as CustomResourceDefinition;
      const sv = storageVersion(crd);
      const status = crd.status ?? { acceptedNames: { plural: '', kind: '' } };
      const stored = status.storedVersions ?? [];
      if (sv && !stored.includes(sv)) status.storedVersions = [...stored, sv];
      crd.status = status;
    },
    // always a mutation, so a second DELETE cannot remove the CRD before its custom resources are gone
    beforeDelete() {
      return (cur: KubeObject) => {
        const crd = structuredClone(cur) as unknown as CustomResourceDefinition;
        const status = crd.status ?? { acceptedNames: { plural: '', kind: '' } };
        if (crdCondition(crd, TERMINATING)?.status === 'True') return crd as unknown as KubeObject;
        status.conditions = setCondition(status.conditions, {
          type: TERMINATING, status: 'True', reason: 'InstanceDeletionPending',
          message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
        }, new Date());
        crd.status = status;
        return crd as unknown as KubeObject;
      };
    },
    // kept until the controller has deleted every custom resource of it
    holdsDeletion(obj) {
      return crdCondition(obj as unknown as CustomResourceDefinition, TERMINATING)?.reason !== INSTANCE_DELETION_COMPLETED;
    },
  };
}
