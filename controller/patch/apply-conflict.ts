// The 409 a server-side apply conflict becomes, worded as Kubernetes words it so kubectl's
// "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1:
// .spec.replicas" reads the same.
import type { FieldCause } from "../resources/kube-object.js";

export interface FieldConflict {
  /** The other manager's name ("kubectl-client-side-apply"). */
  manager: string;
  /** The field as Kubernetes prints it (".spec.replicas", ".spec.containers[name=\"c\"].image"). */
  field: string;
  /** How that manager wrote the field; Update managers are printed with their apiVersion. */
  operation?: "Apply" | "Update";
  apiVersion?: string;
  subresource?: string;
}

/** `"kubectl-client-side-apply" using apps/v1`, `"kubectl"`, `"x" with subresource "status"…` */
export function describeConflictManager(conflict: FieldConflict): string {
  let text = JSON.stringify(conflict.manager);
  if (conflict.subresource) text += ` with subresource ${JSON.stringify(conflict.subresource)}`;
  if (conflict.operation === "Update") text += ` using ${conflict.apiVersion ?? ""}`;
  return text;
}

/** The Status message and details.causes (reason FieldManagerConflict) of a conflicted apply. */
export function applyConflictStatus(conflicts: FieldConflict[]): {
  message: string;
  causes: FieldCause[];
} {
  const causes = conflicts.map((conflict) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${describeConflictManager(conflict)}`,
    field: conflict.field,
  }));
  let detail: string;
  if (conflicts.length === 1) {
    detail = `conflict with ${describeConflictManager(conflicts[0])}: ${conflicts[0].field}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const conflict of conflicts) {
      const manager = describeConflictManager(conflict);
      byManager.set(manager, [...(byManager.get(manager) ?? []), conflict.field]);
    }
    detail = [...byManager.keys()]
      .sort()
      .flatMap((manager) => [
        `conflicts with ${manager}:`,
        ...(byManager.get(manager) as string[]).map((field) => `- ${field}`),
      ])
      .join("\n");
  }
  const plural = conflicts.length === 1 ? "" : "s";
  return { message: `Apply failed with ${conflicts.length} conflict${plural}: ${detail}`, causes };
}
