import type { FieldCause, KubeObject } from "../kube-object.js";
import { objectAt, textAt } from "../json-access.js";
import { eventSchema } from "../schema/event-schema.js";
import { eventTable } from "../tables/events-table.js";
import { invalid, required } from "../validation/field-causes.js";
import { isQualifiedName } from "../validation/name-formats.js";
import { defineKind } from "./define-kind.js";

export const eventResource = defineKind({
  group: "",
  version: "v1",
  kind: "Event",
  plural: "events",
  singular: "event",
  namespaced: true,
  shortNames: ["ev"],
  statusSubresource: false,
  schema: eventSchema,
  nameRule: "dns1123Subdomain",
  table: eventTable,
  validate: validateEvent,
  fieldLabels(obj) {
    const involved = objectAt(obj.involvedObject) ?? {};
    return {
      "involvedObject.kind": textAt(involved.kind),
      "involvedObject.namespace": textAt(involved.namespace),
      "involvedObject.name": textAt(involved.name),
      "involvedObject.uid": textAt(involved.uid),
      "involvedObject.apiVersion": textAt(involved.apiVersion),
      "involvedObject.resourceVersion": textAt(involved.resourceVersion),
      "involvedObject.fieldPath": textAt(involved.fieldPath),
      reason: textAt(obj.reason),
      reportingComponent: textAt(obj.reportingComponent),
      source: textAt(objectAt(obj.source)?.component),
      type: textAt(obj.type),
    };
  },
});

/** Kubernetes' legacy (core/v1) event rules; events with eventTime follow the newer ones. */
function validateEvent(obj: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const involved = objectAt(obj.involvedObject);
  if (!involved || Object.keys(involved).length === 0) causes.push(required("involvedObject"));
  const involvedNamespace = textAt(involved?.namespace);
  const namespace = textAt(objectAt(obj.metadata)?.namespace);
  const mismatch = () =>
    causes.push(
      invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"),
    );
  if (!textAt(obj.eventTime)) {
    // An event about a cluster-scoped object lives in "default" (or no namespace).
    if (
      involvedNamespace
        ? namespace !== involvedNamespace
        : namespace !== "" && namespace !== "default"
    ) {
      mismatch();
    }
    return causes;
  }
  if (!involvedNamespace && namespace !== "default" && namespace !== "kube-system") mismatch();
  const controller = textAt(obj.reportingComponent);
  if (!controller) causes.push(required("reportingComponent"));
  else
    causes.push(
      ...isQualifiedName(controller).map((m) => invalid("reportingComponent", controller, m)),
    );
  const instance = textAt(obj.reportingInstance);
  if (!instance) causes.push(required("reportingInstance"));
  if (instance.length > 128)
    causes.push(invalid("reportingInstance", "", "can have at most 128 characters"));
  if (!textAt(obj.action)) causes.push(required("action"));
  if (textAt(obj.action).length > 128)
    causes.push(invalid("action", "", "can have at most 128 characters"));
  if (!textAt(obj.reason)) causes.push(required("reason"));
  if (textAt(obj.reason).length > 128)
    causes.push(invalid("reason", "", "can have at most 128 characters"));
  if (textAt(obj.message).length > 4096)
    causes.push(invalid("message", "", "can have at most 4096 characters"));
  const type = textAt(obj.type);
  if (type !== "Normal" && type !== "Warning")
    causes.push(invalid("type", "", `has invalid value: ${type}`));
  return causes;
}
