import type { FieldCause, KubeObject } from "../kube-object.js";
import { numberAt, objectAt, textAt } from "../json-access.js";
import { int, kindSchema, obj, str, time } from "../schema/builders.js";
import { objectMetaSchema } from "../schema/object-meta-schema.js";
import { leaseTable } from "../tables/leases-table.js";
import { forbidden, invalid, notSupported } from "../validation/field-causes.js";
import { nonNegativeError } from "../validation/name-formats.js";
import { defineKind } from "./define-kind.js";

export const leaseResource = defineKind({
  group: "coordination.k8s.io",
  version: "v1",
  kind: "Lease",
  plural: "leases",
  singular: "lease",
  namespaced: true,
  statusSubresource: false,
  schema: kindSchema(objectMetaSchema, {
    spec: obj({
      holderIdentity: str,
      leaseDurationSeconds: int,
      acquireTime: time,
      renewTime: time,
      leaseTransitions: int,
      strategy: str,
      preferredHolder: str,
    }),
  }),
  nameRule: "dns1123Subdomain",
  table: leaseTable,
  validate: validateLease,
});

// RFC 3339 with optional fractional seconds, as metav1.Time and MicroTime serialize.
const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function validateLease(lease: KubeObject): FieldCause[] {
  const spec = objectAt(lease.spec) ?? {};
  const causes: FieldCause[] = [];
  const duration = numberAt(spec.leaseDurationSeconds);
  if (duration !== undefined && duration <= 0) {
    causes.push(invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"));
  }
  const transitions = numberAt(spec.leaseTransitions);
  if (transitions !== undefined && transitions < 0) {
    causes.push(invalid("spec.leaseTransitions", transitions, nonNegativeError));
  }
  for (const key of ["acquireTime", "renewTime"]) {
    const value = spec[key];
    if (typeof value === "string" && !timestamp.test(value)) {
      causes.push(invalid(`spec.${key}`, value, "must be an RFC 3339 timestamp"));
    }
  }
  const strategy = textAt(spec.strategy);
  if (strategy && strategy !== "OldestEmulationVersion") {
    causes.push(notSupported("spec.strategy", strategy, ["OldestEmulationVersion"]));
  }
  if (textAt(spec.preferredHolder) && !strategy) {
    causes.push(
      forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined"),
    );
  }
  return causes;
}
