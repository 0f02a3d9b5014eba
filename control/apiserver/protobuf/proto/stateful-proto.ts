/**
 * The stateful-workload kinds, written for tinykube: core/v1 PersistentVolume and
 * PersistentVolumeClaim, apps/v1 StatefulSet and ControllerRevision, policy/v1 PodDisruptionBudget,
 * storage.k8s.io/v1 StorageClass. Field numbers and types follow upstream k8s.io/api generated.proto.
 * PersistentVolumeSource carries the hostPath, nfs, local and csi members only (the ones tinykube
 * validates); a typed client's other volume types are dropped when decoding.
 */
const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const QTY = '.k8s.io.apimachinery.pkg.api.resource.Quantity';
const INTSTR = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const RUNTIME = '.k8s.io.apimachinery.pkg.runtime';
const CORE = '.k8s.io.api.core.v1';

export const CORE_STORAGE_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;
message LocalVolumeSource {
  optional string path = 1;
  optional string fsType = 2;
}
message SecretReference {
  optional string name = 1;
  optional string namespace = 2;
}
message CSIPersistentVolumeSource {
  optional string driver = 1;
  optional string volumeHandle = 2;
  optional bool readOnly = 3;
  optional string fsType = 4;
  map<string, string> volumeAttributes = 5;
  optional SecretReference controllerPublishSecretRef = 6;
  optional SecretReference nodeStageSecretRef = 7;
  optional SecretReference nodePublishSecretRef = 8;
  optional SecretReference controllerExpandSecretRef = 9;
  optional SecretReference nodeExpandSecretRef = 10;
}
message PersistentVolumeSource {
  optional HostPathVolumeSource hostPath = 3;
  optional NFSVolumeSource nfs = 5;
  optional LocalVolumeSource local = 20;
  optional CSIPersistentVolumeSource csi = 22;
}
message VolumeNodeAffinity {
  optional NodeSelector required = 1;
}
message PersistentVolumeSpec {
  map<string, ${QTY}> capacity = 1;
  optional PersistentVolumeSource persistentVolumeSource = 2;
  repeated string accessModes = 3;
  optional ObjectReference claimRef = 4;
  optional string persistentVolumeReclaimPolicy = 5;
  optional string storageClassName = 6;
  repeated string mountOptions = 7;
  optional string volumeMode = 8;
  optional VolumeNodeAffinity nodeAffinity = 9;
  optional string volumeAttributesClassName = 10;
}
message PersistentVolumeStatus {
  optional string phase = 1;
  optional string message = 2;
  optional string reason = 3;
  optional ${META}.Time lastPhaseTransitionTime = 4;
}
message PersistentVolume {
  optional ${META}.ObjectMeta metadata = 1;
  optional PersistentVolumeSpec spec = 2;
  optional PersistentVolumeStatus status = 3;
}
message VolumeResourceRequirements {
  map<string, ${QTY}> limits = 1;
  map<string, ${QTY}> requests = 2;
}
message TypedLocalObjectReference {
  optional string apiGroup = 1;
  optional string kind = 2;
  optional string name = 3;
}
message TypedObjectReference {
  optional string apiGroup = 1;
  optional string kind = 2;
  optional string name = 3;
  optional string namespace = 4;
}
message PersistentVolumeClaimSpec {
  repeated string accessModes = 1;
  optional VolumeResourceRequirements resources = 2;
  optional string volumeName = 3;
  optional ${META}.LabelSelector selector = 4;
  optional string storageClassName = 5;
  optional string volumeMode = 6;
  optional TypedLocalObjectReference dataSource = 7;
  optional TypedObjectReference dataSourceRef = 8;
  optional string volumeAttributesClassName = 9;
}
message PersistentVolumeClaimCondition {
  optional string type = 1;
  optional string status = 2;
  optional ${META}.Time lastProbeTime = 3;
  optional ${META}.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}
message ModifyVolumeStatus {
  optional string targetVolumeAttributesClassName = 1;
  optional string status = 2;
}
message PersistentVolumeClaimStatus {
  optional string phase = 1;
  repeated string accessModes = 2;
  map<string, ${QTY}> capacity = 3;
  repeated PersistentVolumeClaimCondition conditions = 4;
  map<string, ${QTY}> allocatedResources = 5;
  map<string, string> allocatedResourceStatuses = 7;
  optional string currentVolumeAttributesClassName = 8;
  optional ModifyVolumeStatus modifyVolumeStatus = 9;
}
message PersistentVolumeClaim {
  optional ${META}.ObjectMeta metadata = 1;
  optional PersistentVolumeClaimSpec spec = 2;
  optional PersistentVolumeClaimStatus status = 3;
}
message TopologySelectorLabelRequirement {
  optional string key = 1;
  repeated string values = 2;
}
message TopologySelectorTerm {
  repeated TopologySelectorLabelRequirement matchLabelExpressions = 1;
}
`;

export const APPS_STATEFUL_PROTO = `
syntax = "proto2";
package k8s.io.api.apps.v1;
message RollingUpdateStatefulSetStrategy {
  optional int32 partition = 1;
  optional ${INTSTR} maxUnavailable = 2;
}
message StatefulSetUpdateStrategy {
  optional string type = 1;
  optional RollingUpdateStatefulSetStrategy rollingUpdate = 2;
}
message StatefulSetPersistentVolumeClaimRetentionPolicy {
  optional string whenDeleted = 1;
  optional string whenScaled = 2;
}
message StatefulSetOrdinals {
  optional int32 start = 1;
}
message StatefulSetSpec {
  optional int32 replicas = 1;
  optional ${META}.LabelSelector selector = 2;
  optional ${CORE}.PodTemplateSpec template = 3;
  repeated ${CORE}.PersistentVolumeClaim volumeClaimTemplates = 4;
  optional string serviceName = 5;
  optional string podManagementPolicy = 6;
  optional StatefulSetUpdateStrategy updateStrategy = 7;
  optional int32 revisionHistoryLimit = 8;
  optional int32 minReadySeconds = 9;
  optional StatefulSetPersistentVolumeClaimRetentionPolicy persistentVolumeClaimRetentionPolicy = 10;
  optional StatefulSetOrdinals ordinals = 11;
}
message StatefulSetCondition {
  optional string type = 1;
  optional string status = 2;
  optional ${META}.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}
message StatefulSetStatus {
  optional int64 observedGeneration = 1;
  optional int32 replicas = 2;
  optional int32 readyReplicas = 3;
  optional int32 currentReplicas = 4;
  optional int32 updatedReplicas = 5;
  optional string currentRevision = 6;
  optional string updateRevision = 7;
  optional int32 collisionCount = 9;
  repeated StatefulSetCondition conditions = 10;
  optional int32 availableReplicas = 11;
}
message StatefulSet {
  optional ${META}.ObjectMeta metadata = 1;
  optional StatefulSetSpec spec = 2;
  optional StatefulSetStatus status = 3;
}
message ControllerRevision {
  optional ${META}.ObjectMeta metadata = 1;
  optional ${RUNTIME}.RawExtension data = 2;
  optional int64 revision = 3;
}
`;

export const POLICY_PDB_PROTO = `
syntax = "proto2";
package k8s.io.api.policy.v1;
message PodDisruptionBudgetSpec {
  optional ${INTSTR} minAvailable = 1;
  optional ${META}.LabelSelector selector = 2;
  optional ${INTSTR} maxUnavailable = 3;
  optional string unhealthyPodEvictionPolicy = 4;
}
message PodDisruptionBudgetStatus {
  optional int64 observedGeneration = 1;
  map<string, ${META}.Time> disruptedPods = 2;
  optional int32 disruptionsAllowed = 3;
  optional int32 currentHealthy = 4;
  optional int32 desiredHealthy = 5;
  optional int32 expectedPods = 6;
  repeated ${META}.Condition conditions = 7;
}
message PodDisruptionBudget {
  optional ${META}.ObjectMeta metadata = 1;
  optional PodDisruptionBudgetSpec spec = 2;
  optional PodDisruptionBudgetStatus status = 3;
}
`;

export const STORAGE_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.storage.v1;
message StorageClass {
  optional ${META}.ObjectMeta metadata = 1;
  optional string provisioner = 2;
  map<string, string> parameters = 3;
  optional string reclaimPolicy = 4;
  repeated string mountOptions = 5;
  optional bool allowVolumeExpansion = 6;
  optional string volumeBindingMode = 7;
  repeated ${CORE}.TopologySelectorTerm allowedTopologies = 8;
}
`;
