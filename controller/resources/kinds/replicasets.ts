import { objectAt } from "../json-access.js";
import { applyReplicaSetDefaults } from "../defaults/workload-defaults.js";
import { replicaSetSchema } from "../schema/workload-schemas.js";
import { replicaSetTable } from "../tables/replicasets-table.js";
import { validateReplicatedSpec, validateSelectorUnchanged } from "../validation/workload.js";
import { defineKind } from "./define-kind.js";

export const replicaSetResource = defineKind({
  group: "apps",
  version: "v1",
  kind: "ReplicaSet",
  plural: "replicasets",
  singular: "replicaset",
  namespaced: true,
  shortNames: ["rs"],
  categories: ["all"],
  subresources: ["status", "scale"],
  statusSubresource: true,
  schema: replicaSetSchema,
  nameRule: "dns1123Subdomain",
  table: replicaSetTable,
  applyDefaults: applyReplicaSetDefaults,
  validate: (obj) => validateReplicatedSpec(obj.spec),
  validateUpdate: (obj, old) => validateSelectorUnchanged(obj.spec, old.spec),
  fieldLabels: (obj) => {
    const replicas = objectAt(obj.status)?.replicas;
    return { "status.replicas": String(typeof replicas === "number" ? replicas : 0) };
  },
});
