/**
 * node.k8s.io/v1 RuntimeClass, written for tinykube. Field numbers and types follow upstream
 * k8s.io/api node/v1 generated.proto exactly.
 */
const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const CORE = '.k8s.io.api.core.v1';
const RESOURCE = '.k8s.io.apimachinery.pkg.api.resource';

export const NODE_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.node.v1;
message Overhead {
  map<string, ${RESOURCE}.Quantity> podFixed = 1;
}
message Scheduling {
  map<string, string> nodeSelector = 1;
  repeated ${CORE}.Toleration tolerations = 2;
}
message RuntimeClass {
  optional ${META}.ObjectMeta metadata = 1;
  optional string handler = 2;
  optional Overhead overhead = 3;
  optional Scheduling scheduling = 4;
}
`;
