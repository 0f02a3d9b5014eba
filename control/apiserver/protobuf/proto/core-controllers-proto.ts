/**
 * core/v1 ReplicationController, Endpoints, Event and Binding, written for tinykube. Field
 * numbers and types follow upstream k8s.io/api core/v1 generated.proto exactly.
 */
const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';

export const CORE_CONTROLLERS_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;
message ReplicationControllerSpec {
  optional int32 replicas = 1;
  map<string, string> selector = 2;
  optional PodTemplateSpec template = 3;
  optional int32 minReadySeconds = 4;
}
message ReplicationControllerCondition {
  optional string type = 1;
  optional string status = 2;
  optional ${META}.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}
message ReplicationControllerStatus {
  optional int32 replicas = 1;
  optional int32 fullyLabeledReplicas = 2;
  optional int64 observedGeneration = 3;
  optional int32 readyReplicas = 4;
  optional int32 availableReplicas = 5;
  repeated ReplicationControllerCondition conditions = 6;
}
message ReplicationController {
  optional ${META}.ObjectMeta metadata = 1;
  optional ReplicationControllerSpec spec = 2;
  optional ReplicationControllerStatus status = 3;
}
message EndpointAddress {
  optional string ip = 1;
  optional ObjectReference targetRef = 2;
  optional string hostname = 3;
  optional string nodeName = 4;
}
message EndpointPort {
  optional string name = 1;
  optional int32 port = 2;
  optional string protocol = 3;
  optional string appProtocol = 4;
}
message EndpointSubset {
  repeated EndpointAddress addresses = 1;
  repeated EndpointAddress notReadyAddresses = 2;
  repeated EndpointPort ports = 3;
}
message Endpoints {
  optional ${META}.ObjectMeta metadata = 1;
  repeated EndpointSubset subsets = 2;
}
message EventSource {
  optional string component = 1;
  optional string host = 2;
}
message EventSeries {
  optional int32 count = 1;
  optional ${META}.MicroTime lastObservedTime = 2;
}
message Event {
  optional ${META}.ObjectMeta metadata = 1;
  optional ObjectReference involvedObject = 2;
  optional string reason = 3;
  optional string message = 4;
  optional EventSource source = 5;
  optional ${META}.Time firstTimestamp = 6;
  optional ${META}.Time lastTimestamp = 7;
  optional int32 count = 8;
  optional string type = 9;
  optional ${META}.MicroTime eventTime = 10;
  optional EventSeries series = 11;
  optional string action = 12;
  optional ObjectReference related = 13;
  optional string reportingComponent = 14;
  optional string reportingInstance = 15;
}
message Binding {
  optional ${META}.ObjectMeta metadata = 1;
  optional ObjectReference target = 2;
}
`;
