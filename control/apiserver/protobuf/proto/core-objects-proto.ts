/**
 * core/v1 Namespace, ConfigMap, Secret, Service, ServiceAccount and ObjectReference, written for
 * tinykube. Field numbers and types follow upstream k8s.io/api core/v1 generated.proto exactly.
 */
const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const INTSTR = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';

export const CORE_OBJECTS_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;
message NamespaceSpec {
  repeated string finalizers = 1;
}
message NamespaceCondition {
  optional string type = 1;
  optional string status = 2;
  optional ${META}.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}
message NamespaceStatus {
  optional string phase = 1;
  repeated NamespaceCondition conditions = 2;
}
message Namespace {
  optional ${META}.ObjectMeta metadata = 1;
  optional NamespaceSpec spec = 2;
  optional NamespaceStatus status = 3;
}
message ConfigMap {
  optional ${META}.ObjectMeta metadata = 1;
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
  optional bool immutable = 4;
}
message Secret {
  optional ${META}.ObjectMeta metadata = 1;
  map<string, bytes> data = 2;
  optional string type = 3;
  map<string, string> stringData = 4;
  optional bool immutable = 5;
}
message ObjectReference {
  optional string kind = 1;
  optional string namespace = 2;
  optional string name = 3;
  optional string uid = 4;
  optional string apiVersion = 5;
  optional string resourceVersion = 6;
  optional string fieldPath = 7;
}
message ServiceAccount {
  optional ${META}.ObjectMeta metadata = 1;
  repeated ObjectReference secrets = 2;
  repeated LocalObjectReference imagePullSecrets = 3;
  optional bool automountServiceAccountToken = 4;
}
message ServicePort {
  optional string name = 1;
  optional string protocol = 2;
  optional int32 port = 3;
  optional ${INTSTR} targetPort = 4;
  optional int32 nodePort = 5;
  optional string appProtocol = 6;
}
message ClientIPConfig {
  optional int32 timeoutSeconds = 1;
}
message SessionAffinityConfig {
  optional ClientIPConfig clientIP = 1;
}
message ServiceSpec {
  repeated ServicePort ports = 1;
  map<string, string> selector = 2;
  optional string clusterIP = 3;
  optional string type = 4;
  repeated string externalIPs = 5;
  optional string sessionAffinity = 7;
  optional string loadBalancerIP = 8;
  repeated string loadBalancerSourceRanges = 9;
  optional string externalName = 10;
  optional string externalTrafficPolicy = 11;
  optional int32 healthCheckNodePort = 12;
  optional bool publishNotReadyAddresses = 13;
  optional SessionAffinityConfig sessionAffinityConfig = 14;
  optional string ipFamilyPolicy = 17;
  repeated string clusterIPs = 18;
  repeated string ipFamilies = 19;
  optional bool allocateLoadBalancerNodePorts = 20;
  optional string loadBalancerClass = 21;
  optional string internalTrafficPolicy = 22;
  optional string trafficDistribution = 23;
}
message PortStatus {
  optional int32 port = 1;
  optional string protocol = 2;
  optional string error = 3;
}
message LoadBalancerIngress {
  optional string ip = 1;
  optional string hostname = 2;
  optional string ipMode = 3;
  repeated PortStatus ports = 4;
}
message LoadBalancerStatus {
  repeated LoadBalancerIngress ingress = 1;
}
message ServiceStatus {
  optional LoadBalancerStatus loadBalancer = 1;
  repeated ${META}.Condition conditions = 2;
}
message Service {
  optional ${META}.ObjectMeta metadata = 1;
  optional ServiceSpec spec = 2;
  optional ServiceStatus status = 3;
}
`;
