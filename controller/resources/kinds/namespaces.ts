import type { KubeObject } from "../kube-object.js";
import {
  childObject,
  listAt,
  objectAt,
  setDefault,
  setDefaultText,
  textAt,
} from "../json-access.js";
import { arr, kindSchema, obj, str, strings, time } from "../schema/builders.js";
import { objectMetaSchema } from "../schema/object-meta-schema.js";
import { namespaceTable } from "../tables/namespaces-table.js";
import { invalid } from "../validation/field-causes.js";
import { isQualifiedName } from "../validation/name-formats.js";
import { defineKind } from "./define-kind.js";

const standardFinalizers = new Set(["kubernetes", "orphan", "foregroundDeletion"]);

export const namespaceResource = defineKind({
  group: "",
  version: "v1",
  kind: "Namespace",
  plural: "namespaces",
  singular: "namespace",
  namespaced: false,
  shortNames: ["ns"],
  subresources: ["status", "finalize"],
  statusSubresource: true,
  schema: kindSchema(objectMetaSchema, {
    spec: obj({ finalizers: strings }),
    status: obj({
      phase: str,
      conditions: arr(
        obj({ type: str, status: str, lastTransitionTime: time, reason: str, message: str }),
      ),
    }),
  }),
  nameRule: "dns1123Label",
  table: namespaceTable,
  applyDefaults: applyNamespaceDefaults,
  validate: (obj) => validateSpecFinalizers(objectAt(obj.spec)?.finalizers),
  fieldLabels: (obj) => ({ "status.phase": textAt(objectAt(obj.status)?.phase) }),
});

/** The "kubernetes" finalizer, phase Active, and the kubernetes.io/metadata.name label. */
function applyNamespaceDefaults(obj: KubeObject): void {
  const spec = childObject(obj, "spec");
  if (spec) setDefault(spec, "finalizers", ["kubernetes"]);
  const status = childObject(obj, "status");
  if (status) setDefaultText(status, "phase", "Active");
  const meta = childObject(obj, "metadata");
  const name = textAt(meta?.name);
  const labels = meta && name ? childObject(meta, "labels") : undefined;
  if (labels) labels["kubernetes.io/metadata.name"] = name;
}

function validateSpecFinalizers(finalizers: unknown) {
  const field = "spec.finalizers";
  return listAt(finalizers).flatMap((value) => {
    const name = textAt(value);
    const causes = isQualifiedName(name).map((m) => invalid(field, name, m));
    if (!name.includes("/") && !standardFinalizers.has(name)) {
      causes.push(
        invalid(field, name, "name is neither a standard finalizer name nor is it fully qualified"),
      );
    }
    return causes;
  });
}
