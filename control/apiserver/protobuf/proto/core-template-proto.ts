/**
 * core/v1 PodTemplate, written for tinykube. Field numbers follow upstream k8s.io/api core/v1
 * generated.proto exactly (PodTemplateSpec is in core-podspec-proto.ts).
 */
const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';

export const CORE_TEMPLATE_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;
message PodTemplate {
  optional ${META}.ObjectMeta metadata = 1;
  optional PodTemplateSpec template = 2;
}
`;
