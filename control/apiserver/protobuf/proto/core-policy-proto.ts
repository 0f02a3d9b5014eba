/**
 * core/v1 ResourceQuota and LimitRange, written for tinykube. Field numbers and types follow
 * upstream k8s.io/api core/v1 generated.proto exactly.
 */
const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const QTY = '.k8s.io.apimachinery.pkg.api.resource.Quantity';

export const CORE_POLICY_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;
message ScopedResourceSelectorRequirement {
  optional string scopeName = 1;
  optional string operator = 2;
  repeated string values = 3;
}
message ScopeSelector {
  repeated ScopedResourceSelectorRequirement matchExpressions = 1;
}
message ResourceQuotaSpec {
  map<string, ${QTY}> hard = 1;
  repeated string scopes = 2;
  optional ScopeSelector scopeSelector = 3;
}
message ResourceQuotaStatus {
  map<string, ${QTY}> hard = 1;
  map<string, ${QTY}> used = 2;
}
message ResourceQuota {
  optional ${META}.ObjectMeta metadata = 1;
  optional ResourceQuotaSpec spec = 2;
  optional ResourceQuotaStatus status = 3;
}
message LimitRangeItem {
  optional string type = 1;
  map<string, ${QTY}> max = 2;
  map<string, ${QTY}> min = 3;
  map<string, ${QTY}> default = 4;
  map<string, ${QTY}> defaultRequest = 5;
  map<string, ${QTY}> maxLimitRequestRatio = 6;
}
message LimitRangeSpec {
  repeated LimitRangeItem limits = 1;
}
message LimitRange {
  optional ${META}.ObjectMeta metadata = 1;
  optional LimitRangeSpec spec = 2;
}
`;
