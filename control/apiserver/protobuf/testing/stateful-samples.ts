/**
 * Samples (see samples.ts for the rules they follow) for PersistentVolume, PersistentVolumeClaim,
 * StatefulSet, ControllerRevision, PodDisruptionBudget and StorageClass.
 */
type Plain = Record<string, unknown>;

const meta = (name: string, namespace?: string): Plain => ({
  name, ...(namespace ? { namespace } : {}), uid: '6f1c3f0e-0000-4000-8000-000000000003', resourceVersion: '44',
  creationTimestamp: '2024-01-01T00:00:00Z', labels: { app: name }, annotations: { note: 'z' },
});
const time = '2024-02-03T04:05:06Z';
const selector = { matchLabels: { app: 'db' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] };
const nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } };
const claimSpec: Plain = {
  accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' }, limits: { storage: '2Gi' } }, volumeName: 'pv1',
  selector, storageClassName: 'local-path', volumeMode: 'Filesystem',
  dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 's' },
  dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 's', namespace: 'ns' },
};

export const STATEFUL_SAMPLES: Readonly<Record<string, Plain>> = {
  'v1 PersistentVolume': {
    metadata: meta('pv1'),
    spec: {
      capacity: { storage: '1Gi' }, local: { path: '/mnt/disks/a', fsType: 'ext4' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'data', uid: 'u3', apiVersion: 'v1', resourceVersion: '9' },
      persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'local-path', mountOptions: ['ro'], volumeMode: 'Filesystem', nodeAffinity,
    },
    status: { phase: 'Bound', message: 'm', reason: 'r', lastPhaseTransitionTime: time },
  },
  'v1 PersistentVolumeClaim': {
    metadata: meta('data', 'ns'),
    spec: claimSpec,
    status: {
      phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, allocatedResources: { storage: '1Gi' },
      allocatedResourceStatuses: { storage: 'ControllerResizeInProgress' },
      conditions: [{ type: 'Resizing', status: 'True', lastProbeTime: time, lastTransitionTime: time, reason: 'r', message: 'm' }],
    },
  },
  'apps/v1 StatefulSet': {
    metadata: meta('db', 'ns'),
    spec: {
      replicas: 0, selector, serviceName: 'db', podManagementPolicy: 'Parallel', revisionHistoryLimit: 0, minReadySeconds: 5,
      template: { metadata: { labels: { app: 'db', tier: 'a' } }, spec: { containers: [{ name: 'c', image: 'tinykube/web:1' }], hostname: 'h', subdomain: 'db' } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '50%' } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' }, ordinals: { start: 2 },
    },
    status: {
      observedGeneration: 2, replicas: 0, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-2',
      collisionCount: 0, availableReplicas: 0, conditions: [{ type: 'X', status: 'True', lastTransitionTime: time, reason: 'r', message: 'm' }],
    },
  },
  'apps/v1 ControllerRevision': {
    metadata: meta('db-5d8c7b', 'ns'), data: { spec: { template: { metadata: { labels: { app: 'db' } } } } }, revision: 3,
  },
  'policy/v1 PodDisruptionBudget': {
    metadata: meta('db', 'ns'),
    spec: { minAvailable: '50%', selector, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    status: {
      observedGeneration: 1, disruptedPods: { 'db-0': time }, disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 1, expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, lastTransitionTime: time, reason: 'SufficientPods', message: 'm' }],
    },
  },
  'storage.k8s.io/v1 StorageClass': {
    metadata: meta('local-path'), provisioner: 'tinykube.io/local-path', parameters: { k: 'v' }, reclaimPolicy: 'Delete', mountOptions: ['ro'],
    allowVolumeExpansion: false, volumeBindingMode: 'WaitForFirstConsumer',
    allowedTopologies: [{ matchLabelExpressions: [{ key: 'kubernetes.io/hostname', values: ['n1'] }] }],
  },
};
