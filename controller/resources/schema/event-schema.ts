import { int, kindSchema, obj, str, time } from "./builders.js";
import { objectMetaSchema } from "./object-meta-schema.js";
import { objectReferenceSchema } from "./reference-schemas.js";

/** core/v1 Event, both the legacy fields and the ones events.k8s.io/v1 writers fill. */
export const eventSchema = kindSchema(objectMetaSchema, {
  involvedObject: objectReferenceSchema,
  reason: str,
  message: str,
  source: obj({ component: str, host: str }),
  firstTimestamp: time,
  lastTimestamp: time,
  count: int,
  type: str,
  eventTime: time,
  series: obj({ count: int, lastObservedTime: time }),
  action: str,
  related: objectReferenceSchema,
  reportingComponent: str,
  reportingInstance: str,
});
