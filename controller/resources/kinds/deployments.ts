import { applyDeploymentDefaults } from "../defaults/workload-defaults.js";
import { deploymentSchema } from "../schema/workload-schemas.js";
import { deploymentTable } from "../tables/deployments-table.js";
import { validateDeploymentSettings } from "../validation/deployment-strategy.js";
import { validateReplicatedSpec, validateSelectorUnchanged } from "../validation/workload.js";
import { defineKind } from "./define-kind.js";

export const deploymentResource = defineKind({
  group: "apps",
  version: "v1",
  kind: "Deployment",
  plural: "deployments",
  singular: "deployment",
  namespaced: true,
  shortNames: ["deploy"],
  categories: ["all"],
  subresources: ["status", "scale"],
  statusSubresource: true,
  schema: deploymentSchema,
  nameRule: "dns1123Subdomain",
  table: deploymentTable,
  applyDefaults: applyDeploymentDefaults,
  validate: (obj) => [...validateReplicatedSpec(obj.spec), ...validateDeploymentSettings(obj.spec)],
  validateUpdate: (obj, old) => validateSelectorUnchanged(obj.spec, old.spec),
});
