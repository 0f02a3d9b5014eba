/**
 * The small API groups tinykube serves, written for tinykube: autoscaling/v1 Scale, policy/v1 and
 * policy/v1beta1 Eviction, coordination.k8s.io/v1 Lease and discovery.k8s.io/v1 EndpointSlice.
 * Field numbers and types follow the upstream k8s.io/api generated.proto files exactly.
 */
const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const CORE = '.k8s.io.api.core.v1';

export const AUTOSCALING_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.autoscaling.v1;
message ScaleSpec {
  optional int32 replicas = 1;
}
message ScaleStatus {
  optional int32 replicas = 1;
  optional string selector = 2;
}
message Scale {
  optional ${META}.ObjectMeta metadata = 1;
  optional ScaleSpec spec = 2;
  optional ScaleStatus status = 3;
}
`;

const eviction = (version: string): string => `
syntax = "proto2";
package k8s.io.api.policy.${version};
message Eviction {
  optional ${META}.ObjectMeta metadata = 1;
  optional ${META}.DeleteOptions deleteOptions = 2;
}
`;
export const POLICY_V1_PROTO = eviction('v1');
export const POLICY_V1BETA1_PROTO = eviction('v1beta1');

export const COORDINATION_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.coordination.v1;
message LeaseSpec {
  optional string holderIdentity = 1;
  optional int32 leaseDurationSeconds = 2;
  optional ${META}.MicroTime acquireTime = 3;
  optional ${META}.MicroTime renewTime = 4;
  optional int32 leaseTransitions = 5;
  optional string strategy = 6;
  optional string preferredHolder = 7;
}
message Lease {
  optional ${META}.ObjectMeta metadata = 1;
  optional LeaseSpec spec = 2;
}
`;

export const DISCOVERY_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.discovery.v1;
message EndpointConditions {
  optional bool ready = 1;
  optional bool serving = 2;
  optional bool terminating = 3;
}
message ForZone {
  optional string name = 1;
}
message ForNode {
  optional string name = 1;
}
message EndpointHints {
  repeated ForZone forZones = 1;
  repeated ForNode forNodes = 2;
}
message Endpoint {
  repeated string addresses = 1;
  optional EndpointConditions conditions = 2;
  optional string hostname = 3;
  optional ${CORE}.ObjectReference targetRef = 4;
  map<string, string> deprecatedTopology = 5;
  optional string nodeName = 6;
  optional string zone = 7;
  optional EndpointHints hints = 8;
}
message EndpointPort {
  optional string name = 1;
  optional string protocol = 2;
  optional int32 port = 3;
  optional string appProtocol = 4;
}
message EndpointSlice {
  optional ${META}.ObjectMeta metadata = 1;
  repeated Endpoint endpoints = 2;
  repeated EndpointPort ports = 3;
  optional string addressType = 4;
}
`;
