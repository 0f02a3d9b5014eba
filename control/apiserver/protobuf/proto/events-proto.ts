/**
 * events.k8s.io/v1 Event, written for tinykube. Field numbers and types follow upstream
 * k8s.io/api events/v1 generated.proto exactly.
 */
const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const CORE = '.k8s.io.api.core.v1';

export const EVENTS_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.events.v1;
message EventSeries {
  optional int32 count = 1;
  optional ${META}.MicroTime lastObservedTime = 2;
}
message Event {
  optional ${META}.ObjectMeta metadata = 1;
  optional ${META}.MicroTime eventTime = 2;
  optional EventSeries series = 3;
  optional string reportingController = 4;
  optional string reportingInstance = 5;
  optional string action = 6;
  optional string reason = 7;
  optional ${CORE}.ObjectReference regarding = 8;
  optional ${CORE}.ObjectReference related = 9;
  optional string note = 10;
  optional string type = 11;
  optional ${CORE}.EventSource deprecatedSource = 12;
  optional ${META}.Time deprecatedFirstTimestamp = 13;
  optional ${META}.Time deprecatedLastTimestamp = 14;
  optional int32 deprecatedCount = 15;
}
`;
