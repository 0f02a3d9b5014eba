/**
 * The scalar fields that are pointers in the Go types (`*int32`, `*int64`, `*bool`): gogo writes them
 * only when set, so a 0 or false on the wire is a value the client chose. Every other scalar is a plain
 * Go field that gogo writes even at its zero value, which the JSON form omits (`omitempty`) and
 * defaulting treats as unset (a probe's successThreshold 0 becomes 1). Keys are
 * `<group>.<version>.<Message>.<field>` (core is `core.v1`, meta is `meta.v1`), as in k8s.io/api.
 */
const POINTERS: Readonly<Record<string, readonly string[]>> = {
  'core.v1.PodSpec': ['terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'automountServiceAccountToken', 'shareProcessNamespace',
    'priority', 'enableServiceLinks', 'setHostnameAsFQDN', 'hostUsers'],
  'core.v1.PodSecurityContext': ['runAsUser', 'runAsGroup', 'runAsNonRoot', 'fsGroup'],
  'core.v1.SecurityContext': ['privileged', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation'],
  'core.v1.Probe': ['terminationGracePeriodSeconds'],
  'core.v1.SecretVolumeSource': ['defaultMode', 'optional'],
  'core.v1.ConfigMapVolumeSource': ['defaultMode', 'optional'],
  'core.v1.ProjectedVolumeSource': ['defaultMode'],
  'core.v1.DownwardAPIVolumeSource': ['defaultMode'],
  'core.v1.KeyToPath': ['mode'],
  'core.v1.DownwardAPIVolumeFile': ['mode'],
  'core.v1.ServiceAccountTokenProjection': ['expirationSeconds'],
  'core.v1.SecretProjection': ['optional'],
  'core.v1.ConfigMapProjection': ['optional'],
  'core.v1.ConfigMapKeySelector': ['optional'],
  'core.v1.SecretKeySelector': ['optional'],
  'core.v1.ConfigMapEnvSource': ['optional'],
  'core.v1.SecretEnvSource': ['optional'],
  'core.v1.Toleration': ['tolerationSeconds'],
  'core.v1.ServiceAccount': ['automountServiceAccountToken'],
  'core.v1.ServiceSpec': ['allocateLoadBalancerNodePorts'],
  'core.v1.ClientIPConfig': ['timeoutSeconds'],
  'core.v1.ReplicationControllerSpec': ['replicas'],
  'core.v1.Secret': ['immutable'],
  'core.v1.ConfigMap': ['immutable'],
  // fields without omitempty: JSON always carries them, zero included
  'core.v1.ContainerStatus': ['started', 'ready', 'restartCount'],
  'core.v1.ContainerStateTerminated': ['exitCode'],
  'apps.v1.ReplicaSetStatus': ['replicas'],
  'core.v1.ReplicationControllerStatus': ['replicas'],
  'apps.v1.DaemonSetStatus': ['collisionCount', 'currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
  'meta.v1.ObjectMeta': ['deletionGracePeriodSeconds'],
  'meta.v1.OwnerReference': ['controller', 'blockOwnerDeletion'],
  'meta.v1.DeleteOptions': ['gracePeriodSeconds', 'orphanDependents', 'ignoreStoreReadErrorWithClusterBreakingPotential'],
  'apps.v1.DeploymentSpec': ['replicas', 'revisionHistoryLimit', 'progressDeadlineSeconds'],
  'apps.v1.DeploymentStatus': ['collisionCount'],
  'apps.v1.ReplicaSetSpec': ['replicas'],
  'apps.v1.DaemonSetSpec': ['revisionHistoryLimit'],
  'batch.v1.JobSpec': ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'manualSelector',
    'suspend', 'backoffLimitPerIndex', 'maxFailedIndexes'],
  'batch.v1.JobStatus': ['ready', 'terminating'],
  'batch.v1.CronJobSpec': ['startingDeadlineSeconds', 'suspend', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'],
  'coordination.v1.LeaseSpec': ['leaseDurationSeconds', 'leaseTransitions'],
  'discovery.v1.EndpointConditions': ['ready', 'serving', 'terminating'],
  'discovery.v1.EndpointPort': ['port'],
  'certificates.v1.CertificateSigningRequestSpec': ['expirationSeconds'],
  'authentication.v1.TokenRequestSpec': ['expirationSeconds'],
  'apps.v1.StatefulSetSpec': ['replicas', 'revisionHistoryLimit'],
  'apps.v1.RollingUpdateStatefulSetStrategy': ['partition'],
  'apps.v1.StatefulSetStatus': ['replicas', 'availableReplicas', 'collisionCount'],
  'policy.v1.PodDisruptionBudgetStatus': ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'],
  'storage.v1.StorageClass': ['allowVolumeExpansion'],
  'core.v1.CSIPersistentVolumeSource': ['readOnly'],
  // not a Go pointer, but 0 is a scale to zero that the scale subresource must see as a number
  'autoscaling.v1.ScaleSpec': ['replicas'],
};

const POINTER_SET: ReadonlySet<string> = new Set(Object.entries(POINTERS).flatMap(([msg, fields]) => fields.map((f) => `${msg}.${f}`)));

/** `.k8s.io.api.core.v1.PodSpec` → `core.v1.PodSpec`; `.k8s.io.apimachinery.pkg.apis.meta.v1.X` → `meta.v1.X`. */
const shortName = (fullName: string): string =>
  fullName.replace(/^\.k8s\.io\.api\./, '').replace(/^\.k8s\.io\.apimachinery\.pkg\.apis\./, '');

/** Whether a scalar field of a message is a Go pointer (its zero value on the wire is meaningful). */
export const isPointerField = (messageFullName: string, field: string): boolean => POINTER_SET.has(`${shortName(messageFullName)}.${field}`);
