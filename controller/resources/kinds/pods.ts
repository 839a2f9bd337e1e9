import type { KubeObject } from "../kube-object.js";
import { childObject, listAt, objectAt, setDefaultText, textAt } from "../json-access.js";
import { applyPodOnlyDefaults, applyPodSpecDefaults } from "../defaults/pod-spec-defaults.js";
import { podQosClass } from "../defaults/qos-class.js";
import { kindSchema } from "../schema/builders.js";
import { objectMetaSchema } from "../schema/object-meta-schema.js";
import { podSpecSchema } from "../schema/pod-spec-schema.js";
import { podStatusSchema } from "../schema/pod-status-schema.js";
import { podTable } from "../tables/pods-table.js";
import { validateImagesHaveNoSpaces } from "../validation/containers.js";
import { forbidden } from "../validation/field-causes.js";
import { validatePodSpec } from "../validation/pod-spec.js";
import { validatePodSpecUpdate } from "../validation/pod-update.js";
import { defineKind } from "./define-kind.js";

export const podResource = defineKind({
  group: "",
  version: "v1",
  kind: "Pod",
  plural: "pods",
  singular: "pod",
  namespaced: true,
  shortNames: ["po"],
  categories: ["all"],
  subresources: ["status", "binding", "eviction", "log", "exec", "attach", "portforward"],
  statusSubresource: true,
  schema: kindSchema(objectMetaSchema, { spec: podSpecSchema, status: podStatusSchema }),
  nameRule: "dns1123Subdomain",
  table: podTable,
  applyDefaults: applyPodDefaults,
  validate: (obj) => validatePodSpec(obj.spec, "spec"),
  validateCreateOnly(obj) {
    const spec = objectAt(obj.spec) ?? {};
    const causes = [];
    if (listAt(spec.ephemeralContainers).length > 0) {
      causes.push(forbidden("spec.ephemeralContainers", "cannot be set on create"));
    }
    if (textAt(spec.nodeName) && listAt(spec.schedulingGates).length > 0) {
      causes.push(
        forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"),
      );
    }
    causes.push(...validateImagesHaveNoSpaces(spec.containers, "spec.containers"));
    causes.push(...validateImagesHaveNoSpaces(spec.initContainers, "spec.initContainers"));
    return causes;
  },
  validateUpdate: (obj, old) => validatePodSpecUpdate(obj.spec, old.spec),
  fieldLabels(obj) {
    const spec = objectAt(obj.spec) ?? {};
    const status = objectAt(obj.status) ?? {};
    return {
      "spec.nodeName": textAt(spec.nodeName),
      "spec.restartPolicy": textAt(spec.restartPolicy),
      "spec.schedulerName": textAt(spec.schedulerName),
      "spec.serviceAccountName": textAt(spec.serviceAccountName),
      "spec.hostNetwork": String(spec.hostNetwork === true),
      "status.phase": textAt(status.phase),
      "status.podIP": textAt(status.podIP),
      "status.nominatedNodeName": textAt(status.nominatedNodeName),
    };
  },
});

/** Pod defaults; a pod without a phase is new, so it also gets Pending and its QoS class. */
function applyPodDefaults(obj: KubeObject): void {
  const spec = childObject(obj, "spec");
  if (!spec) return;
  applyPodSpecDefaults(spec);
  applyPodOnlyDefaults(spec);
  const status = childObject(obj, "status");
  if (!status) return;
  setDefaultText(status, "phase", "Pending");
  setDefaultText(status, "qosClass", podQosClass(spec));
}
