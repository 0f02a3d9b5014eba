/**
 * admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration and MutatingWebhookConfiguration,
 * written for tinykube. Field numbers and types follow upstream k8s.io/api admissionregistration/v1
 * generated.proto; RuleWithOperations embeds Rule (inlined in JSON, see convert.ts).
 */
const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';

export const ADMISSIONREGISTRATION_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.admissionregistration.v1;
message Rule {
  repeated string apiGroups = 1;
  repeated string apiVersions = 2;
  repeated string resources = 3;
  optional string scope = 4;
}
message RuleWithOperations {
  repeated string operations = 1;
  optional Rule rule = 2;
}
message ServiceReference {
  optional string namespace = 1;
  optional string name = 2;
  optional string path = 3;
  optional int32 port = 4;
}
message WebhookClientConfig {
  optional string url = 3;
  optional ServiceReference service = 1;
  optional bytes caBundle = 2;
}
message MatchCondition {
  optional string name = 1;
  optional string expression = 2;
}
message ValidatingWebhook {
  optional string name = 1;
  optional WebhookClientConfig clientConfig = 2;
  repeated RuleWithOperations rules = 3;
  optional string failurePolicy = 4;
  optional string matchPolicy = 9;
  optional ${META}.LabelSelector namespaceSelector = 5;
  optional ${META}.LabelSelector objectSelector = 10;
  optional string sideEffects = 6;
  optional int32 timeoutSeconds = 7;
  repeated string admissionReviewVersions = 8;
  repeated MatchCondition matchConditions = 11;
}
message MutatingWebhook {
  optional string name = 1;
  optional WebhookClientConfig clientConfig = 2;
  repeated RuleWithOperations rules = 3;
  optional string failurePolicy = 4;
  optional string matchPolicy = 9;
  optional ${META}.LabelSelector namespaceSelector = 5;
  optional ${META}.LabelSelector objectSelector = 11;
  optional string sideEffects = 6;
  optional int32 timeoutSeconds = 7;
  repeated string admissionReviewVersions = 8;
  optional string reinvocationPolicy = 10;
  repeated MatchCondition matchConditions = 12;
}
message ValidatingWebhookConfiguration {
  optional ${META}.ObjectMeta metadata = 1;
  repeated ValidatingWebhook webhooks = 2;
}
message MutatingWebhookConfiguration {
  optional ${META}.ObjectMeta metadata = 1;
  repeated MutatingWebhook webhooks = 2;
}
`;
