import type { FieldCause, KubeObject } from "../kube-object.js";
import { listAt, objectAt, objectsAt, textAt } from "../json-access.js";
import { nodeSchema } from "../schema/node-schema.js";
import { nodeTable } from "../tables/nodes-table.js";
import { duplicate, forbidden, invalid, required } from "../validation/field-causes.js";
import { GoSyntax, goQuote } from "../validation/go-values.js";
import { validateLabelName } from "../validation/labels.js";
import { isLabelValue } from "../validation/name-formats.js";
import { validateQuantityValue } from "../validation/resource-requirements.js";
import { validateTaintEffect } from "../validation/scheduling.js";
import { defineKind } from "./define-kind.js";

export const nodeResource = defineKind({
  group: "",
  version: "v1",
  kind: "Node",
  plural: "nodes",
  singular: "node",
  namespaced: false,
  shortNames: ["no"],
  subresources: ["status"],
  statusSubresource: true,
  schema: nodeSchema,
  nameRule: "dns1123Subdomain",
  table: nodeTable,
  applyDefaults: applyNodeDefaults,
  validate: validateNode,
  validateUpdate: validateNodeUpdate,
  fieldLabels: (obj) => ({
    "spec.unschedulable": String(objectAt(obj.spec)?.unschedulable === true),
  }),
});

/** A node reporting capacity but no allocatable has all of it allocatable. */
function applyNodeDefaults(obj: KubeObject): void {
  const status = objectAt(obj.status);
  if (status && objectAt(status.capacity) && status.allocatable === undefined) {
    status.allocatable = { ...objectAt(status.capacity) };
  }
}

function validateNode(obj: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  objectsAt(objectAt(obj.spec)?.taints).forEach((taint, i) => {
    const path = `spec.taints[${i}]`;
    const key = textAt(taint.key);
    causes.push(...validateLabelName(key, `${path}.key`));
    const valueErrors = isLabelValue(textAt(taint.value));
    if (valueErrors.length > 0)
      causes.push(invalid(`${path}.value`, textAt(taint.value), valueErrors.join(";")));
    if (!taint.effect) causes.push(required(`${path}.effect`));
    else causes.push(...validateTaintEffect(taint.effect, `${path}.effect`));
    const pair = `${key}\u0000${textAt(taint.effect)}`;
    if (seen.has(pair)) {
      const shown = new GoSyntax(
        `core.Taint{Key:${goQuote(key)}, Value:${goQuote(textAt(taint.value))}, Effect:${goQuote(textAt(taint.effect))}, TimeAdded:<nil>}`,
      );
      const cause = duplicate(path, shown);
      causes.push({
        ...cause,
        message: `${cause.message}: taints must be unique by key and effect pair`,
      });
    }
    seen.add(pair);
  });
  const status = objectAt(obj.status) ?? {};
  for (const list of ["capacity", "allocatable"]) {
    for (const [name, value] of Object.entries(objectAt(status[list]) ?? {})) {
      validateQuantityValue(name, value, `status.${list}.${name}`, causes);
    }
  }
  return causes;
}

function podCidrs(spec: Record<string, unknown>): string[] {
  const list = listAt(spec.podCIDRs).map(textAt);
  return list.length > 0 ? list : textAt(spec.podCIDR) ? [textAt(spec.podCIDR)] : [];
}

/** Pod CIDRs and the provider ID may go from unset to set, never change after. */
function validateNodeUpdate(obj: KubeObject, old: KubeObject): FieldCause[] {
  const spec = objectAt(obj.spec) ?? {};
  const oldSpec = objectAt(old.spec) ?? {};
  const causes: FieldCause[] = [];
  const before = podCidrs(oldSpec);
  const after = podCidrs(spec);
  if (
    before.length > 0 &&
    (before.length !== after.length || before.some((c, i) => c !== after[i]))
  ) {
    causes.push(
      forbidden("spec.podCIDRs", 'node updates may not change podCIDR except from "" to valid'),
    );
  }
  const providerID = textAt(oldSpec.providerID);
  if (providerID && providerID !== textAt(spec.providerID)) {
    causes.push(
      forbidden(
        "spec.providerID",
        'node updates may not change providerID except from "" to valid',
      ),
    );
  }
  return causes;
}
