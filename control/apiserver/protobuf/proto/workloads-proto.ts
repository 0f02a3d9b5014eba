/**
 * apps/v1 Deployment, ReplicaSet and DaemonSet, batch/v1 Job and CronJob, written for tinykube. Field
 * numbers and types follow upstream k8s.io/api apps/v1 and batch/v1 generated.proto exactly.
 */
const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const INTSTR = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const CORE = '.k8s.io.api.core.v1';

export const APPS_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.apps.v1;
message RollingUpdateDeployment {
  optional ${INTSTR} maxUnavailable = 1;
  optional ${INTSTR} maxSurge = 2;
}
message DeploymentStrategy {
  optional string type = 1;
  optional RollingUpdateDeployment rollingUpdate = 2;
}
message DeploymentSpec {
  optional int32 replicas = 1;
  optional ${META}.LabelSelector selector = 2;
  optional ${CORE}.PodTemplateSpec template = 3;
  optional DeploymentStrategy strategy = 4;
  optional int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6;
  optional bool paused = 7;
  optional int32 progressDeadlineSeconds = 9;
  optional string podReplacementPolicy = 10;
}
message DeploymentCondition {
  optional string type = 1;
  optional string status = 2;
  optional string reason = 4;
  optional string message = 5;
  optional ${META}.Time lastUpdateTime = 6;
  optional ${META}.Time lastTransitionTime = 7;
}
message DeploymentStatus {
  optional int64 observedGeneration = 1;
  optional int32 replicas = 2;
  optional int32 updatedReplicas = 3;
  optional int32 availableReplicas = 4;
  optional int32 unavailableReplicas = 5;
  repeated DeploymentCondition conditions = 6;
  optional int32 readyReplicas = 7;
  optional int32 collisionCount = 8;
  optional int32 terminatingReplicas = 9;
}
message Deployment {
  optional ${META}.ObjectMeta metadata = 1;
  optional DeploymentSpec spec = 2;
  optional DeploymentStatus status = 3;
}
message ReplicaSetSpec {
  optional int32 replicas = 1;
  optional ${META}.LabelSelector selector = 2;
  optional ${CORE}.PodTemplateSpec template = 3;
  optional int32 minReadySeconds = 4;
}
message ReplicaSetCondition {
  optional string type = 1;
  optional string status = 2;
  optional ${META}.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}
message ReplicaSetStatus {
  optional int32 replicas = 1;
  optional int32 fullyLabeledReplicas = 2;
  optional int64 observedGeneration = 3;
  optional int32 readyReplicas = 4;
  optional int32 availableReplicas = 5;
  repeated ReplicaSetCondition conditions = 6;
  optional int32 terminatingReplicas = 7;
}
message ReplicaSet {
  optional ${META}.ObjectMeta metadata = 1;
  optional ReplicaSetSpec spec = 2;
  optional ReplicaSetStatus status = 3;
}
message RollingUpdateDaemonSet {
  optional ${INTSTR} maxUnavailable = 1;
  optional ${INTSTR} maxSurge = 2;
}
message DaemonSetUpdateStrategy {
  optional string type = 1;
  optional RollingUpdateDaemonSet rollingUpdate = 2;
}
message DaemonSetSpec {
  optional ${META}.LabelSelector selector = 1;
  optional ${CORE}.PodTemplateSpec template = 2;
  optional DaemonSetUpdateStrategy updateStrategy = 3;
  optional int32 minReadySeconds = 4;
  optional int32 revisionHistoryLimit = 6;
}
message DaemonSetCondition {
  optional string type = 1;
  optional string status = 2;
  optional ${META}.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}
message DaemonSetStatus {
  optional int32 currentNumberScheduled = 1;
  optional int32 numberMisscheduled = 2;
  optional int32 desiredNumberScheduled = 3;
  optional int32 numberReady = 4;
  optional int64 observedGeneration = 5;
  optional int32 updatedNumberScheduled = 6;
  optional int32 numberAvailable = 7;
  optional int32 numberUnavailable = 8;
  optional int32 collisionCount = 9;
  repeated DaemonSetCondition conditions = 10;
}
message DaemonSet {
  optional ${META}.ObjectMeta metadata = 1;
  optional DaemonSetSpec spec = 2;
  optional DaemonSetStatus status = 3;
}
`;

export const BATCH_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.batch.v1;
message JobSpec {
  optional int32 parallelism = 1;
  optional int32 completions = 2;
  optional int64 activeDeadlineSeconds = 3;
  optional ${META}.LabelSelector selector = 4;
  optional bool manualSelector = 5;
  optional ${CORE}.PodTemplateSpec template = 6;
  optional int32 backoffLimit = 7;
  optional int32 ttlSecondsAfterFinished = 8;
  optional string completionMode = 9;
  optional bool suspend = 10;
  optional int32 backoffLimitPerIndex = 12;
  optional int32 maxFailedIndexes = 13;
  optional string podReplacementPolicy = 14;
  optional string managedBy = 15;
}
message JobCondition {
  optional string type = 1;
  optional string status = 2;
  optional ${META}.Time lastProbeTime = 3;
  optional ${META}.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}
message UncountedTerminatedPods {
  repeated string succeeded = 1;
  repeated string failed = 2;
}
message JobStatus {
  repeated JobCondition conditions = 1;
  optional ${META}.Time startTime = 2;
  optional ${META}.Time completionTime = 3;
  optional int32 active = 4;
  optional int32 succeeded = 5;
  optional int32 failed = 6;
  optional string completedIndexes = 7;
  optional UncountedTerminatedPods uncountedTerminatedPods = 8;
  optional int32 ready = 9;
  optional string failedIndexes = 10;
  optional int32 terminating = 11;
}
message Job {
  optional ${META}.ObjectMeta metadata = 1;
  optional JobSpec spec = 2;
  optional JobStatus status = 3;
}
message JobTemplateSpec {
  optional ${META}.ObjectMeta metadata = 1;
  optional JobSpec spec = 2;
}
message CronJobSpec {
  optional string schedule = 1;
  optional int64 startingDeadlineSeconds = 2;
  optional string concurrencyPolicy = 3;
  optional bool suspend = 4;
  optional JobTemplateSpec jobTemplate = 5;
  optional int32 successfulJobsHistoryLimit = 6;
  optional int32 failedJobsHistoryLimit = 7;
  optional string timeZone = 8;
}
message CronJobStatus {
  repeated ${CORE}.ObjectReference active = 1;
  optional ${META}.Time lastScheduleTime = 4;
  optional ${META}.Time lastSuccessfulTime = 5;
}
message CronJob {
  optional ${META}.ObjectMeta metadata = 1;
  optional CronJobSpec spec = 2;
  optional CronJobStatus status = 3;
}
`;
