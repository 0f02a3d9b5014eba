/**
 * certificates.k8s.io/v1 CertificateSigningRequest, written for tinykube (`kubectl certificate
 * approve|deny` sends it to /approval). Field numbers and types follow upstream k8s.io/api
 * certificates/v1 generated.proto exactly.
 */
const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';

export const CERTIFICATES_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.certificates.v1;
message ExtraValue {
  repeated string items = 1;
}
message CertificateSigningRequestSpec {
  optional bytes request = 1;
  optional string username = 2;
  optional string uid = 3;
  repeated string groups = 4;
  repeated string usages = 5;
  map<string, ExtraValue> extra = 6;
  optional string signerName = 7;
  optional int32 expirationSeconds = 8;
}
message CertificateSigningRequestCondition {
  optional string type = 1;
  optional string reason = 2;
  optional string message = 3;
  optional ${META}.Time lastUpdateTime = 4;
  optional ${META}.Time lastTransitionTime = 5;
  optional string status = 6;
}
message CertificateSigningRequestStatus {
  repeated CertificateSigningRequestCondition conditions = 1;
  optional bytes certificate = 2;
}
message CertificateSigningRequest {
  optional ${META}.ObjectMeta metadata = 1;
  optional CertificateSigningRequestSpec spec = 2;
  optional CertificateSigningRequestStatus status = 3;
}
`;
