import { objectAt, textAt } from "../json-access.js";
import { applyServiceDefaults } from "../defaults/service-defaults.js";
import { serviceSchema } from "../schema/service-schema.js";
import { serviceTable } from "../tables/services-table.js";
import { validateServiceSpec, validateServiceUpdate } from "../validation/service.js";
import { defineKind } from "./define-kind.js";

export const serviceResource = defineKind({
  group: "",
  version: "v1",
  kind: "Service",
  plural: "services",
  singular: "service",
  namespaced: true,
  shortNames: ["svc"],
  categories: ["all"],
  subresources: ["status"],
  statusSubresource: true,
  schema: serviceSchema,
  // Service names become DNS labels that must start with a letter.
  nameRule: "dns1035Label",
  table: serviceTable,
  applyDefaults: applyServiceDefaults,
  validate: (obj) => validateServiceSpec(obj.spec),
  validateUpdate: (obj, old) => validateServiceUpdate(obj.spec, old.spec),
  fieldLabels(obj) {
    const spec = objectAt(obj.spec) ?? {};
    return { "spec.clusterIP": textAt(spec.clusterIP), "spec.type": textAt(spec.type) };
  },
});
