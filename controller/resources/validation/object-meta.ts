import type { FieldCause, KubeObject } from "../kube-object.js";
import { listAt, numberAt, objectAt, objectsAt, textAt } from "../json-access.js";
import { semanticallyEqual } from "../semantic-equal.js";
import { forbidden, invalid, required } from "./field-causes.js";
import { GoSyntax, goQuote } from "./go-values.js";
import { validateAnnotations, validateLabels } from "./labels.js";
import {
  immutableError,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  nonNegativeError,
} from "./name-formats.js";

/** Which format a kind's metadata.name must have. */
export type NameRule = "dns1123Subdomain" | "dns1123Label" | "dns1035Label";

const nameChecks: Record<NameRule, (name: string) => string[]> = {
  dns1123Subdomain: isDns1123Subdomain,
  dns1123Label: isDns1123Label,
  dns1035Label: isDns1035Label,
};

/**
 * The messages for a name under a rule. A generateName prefix may end in "-" (Kubernetes checks it
 * with that dash replaced by a letter).
 */
export function nameMessages(rule: NameRule, name: string, prefix = false): string[] {
  const checked = prefix && name.length > 1 && name.endsWith("-") ? `${name.slice(0, -1)}a` : name;
  return nameChecks[rule](checked);
}

/** ValidateObjectMeta on create: name/generateName, namespace, labels, annotations, owners… */
export function validateObjectMeta(
  obj: KubeObject,
  namespaced: boolean,
  nameRule: NameRule,
): FieldCause[] {
  const meta = objectAt(obj.metadata) ?? {};
  const causes: FieldCause[] = [];
  const generateName = textAt(meta.generateName);
  if (generateName) {
    for (const msg of nameMessages(nameRule, generateName, true)) {
      causes.push(invalid("metadata.generateName", generateName, msg));
    }
  }
  const name = textAt(meta.name);
  // A missing name is the server's to fill from generateName before validation.
  if (!name && !generateName) {
    causes.push(required("metadata.name", "name or generateName is required"));
  } else if (name) {
    for (const msg of nameMessages(nameRule, name))
      causes.push(invalid("metadata.name", name, msg));
  }
  causes.push(...validateCommonMeta(meta, namespaced));
  return causes;
}

/** ValidateObjectMetaUpdate: identity fields are immutable, the rest is checked as on create. */
export function validateObjectMetaUpdate(
  obj: KubeObject,
  old: KubeObject,
  namespaced: boolean,
): FieldCause[] {
  const meta = objectAt(obj.metadata) ?? {};
  const oldMeta = objectAt(old.metadata) ?? {};
  const causes: FieldCause[] = [];
  if (oldMeta.deletionTimestamp) {
    const added = listAt(meta.finalizers)
      .map(textAt)
      .filter((f) => !listAt(oldMeta.finalizers).includes(f));
    if (added.length > 0) {
      const list = `[]string{${[...new Set(added)].sort().map(goQuote).join(", ")}}`;
      causes.push(
        forbidden(
          "metadata.finalizers",
          `no new finalizers can be added if the object is being deleted, found new finalizers ${list}`,
        ),
      );
    }
  }
  const generation = numberAt(meta.generation);
  const oldGeneration = numberAt(oldMeta.generation);
  if (generation !== undefined && oldGeneration !== undefined && generation < oldGeneration) {
    causes.push(invalid("metadata.generation", generation, "must not be decremented"));
  }
  for (const key of ["name", "namespace", "uid", "creationTimestamp"] as const) {
    if (meta[key] !== undefined && !semanticallyEqual(meta[key], oldMeta[key])) {
      causes.push(invalid(`metadata.${key}`, meta[key], immutableError));
    }
  }
  causes.push(...validateCommonMeta(meta, namespaced, false));
  return causes;
}

function validateCommonMeta(
  meta: Record<string, unknown>,
  namespaced: boolean,
  checkNamespace = true,
): FieldCause[] {
  const causes: FieldCause[] = [];
  const namespace = textAt(meta.namespace);
  if (checkNamespace && namespaced) {
    if (!namespace) causes.push(required("metadata.namespace"));
    else {
      for (const msg of isDns1123Label(namespace)) {
        causes.push(invalid("metadata.namespace", namespace, msg));
      }
    }
  } else if (checkNamespace && namespace) {
    causes.push(forbidden("metadata.namespace", "not allowed on this type"));
  }
  const generation = numberAt(meta.generation);
  if (generation !== undefined && generation < 0) {
    causes.push(invalid("metadata.generation", generation, nonNegativeError));
  }
  causes.push(...validateLabels(meta.labels, "metadata.labels"));
  causes.push(...validateAnnotations(meta.annotations, "metadata.annotations"));
  causes.push(...validateOwnerReferences(meta.ownerReferences));
  causes.push(...validateFinalizers(meta.finalizers));
  causes.push(...validateManagedFields(meta.managedFields));
  return causes;
}

function validateOwnerReferences(refs: unknown): FieldCause[] {
  const field = "metadata.ownerReferences";
  const causes: FieldCause[] = [];
  let firstController = "";
  for (const ref of objectsAt(refs)) {
    const apiVersion = textAt(ref.apiVersion);
    const version = apiVersion.includes("/") ? apiVersion.split("/")[1] : apiVersion;
    if (!version)
      causes.push(invalid(`${field}.apiVersion`, apiVersion, "version must not be empty"));
    for (const key of ["kind", "name", "uid"]) {
      if (!textAt(ref[key]))
        causes.push(invalid(`${field}.${key}`, textAt(ref[key]), "must not be empty"));
    }
    if (apiVersion === "v1" && ref.kind === "Event") {
      causes.push(
        invalid(
          field,
          new GoSyntax(ownerRefText(ref)),
          "/v1, Kind=Event is disallowed from being an owner",
        ),
      );
    }
    if (ref.controller === true) {
      const current = `${textAt(ref.kind)}/${textAt(ref.name)}`;
      if (firstController) {
        causes.push(
          invalid(
            field,
            new GoSyntax(`[]v1.OwnerReference{${objectsAt(refs).map(ownerRefText).join(", ")}}`),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else firstController = current;
    }
  }
  return causes;
}

function ownerRefText(ref: Record<string, unknown>): string {
  return `v1.OwnerReference{APIVersion:${goQuote(textAt(ref.apiVersion))}, Kind:${goQuote(textAt(ref.kind))}, Name:${goQuote(textAt(ref.name))}, UID:${goQuote(textAt(ref.uid))}}`;
}

function validateFinalizers(finalizers: unknown): FieldCause[] {
  const field = "metadata.finalizers";
  const names = listAt(finalizers).map(textAt);
  const causes = names.flatMap((f) => isQualifiedName(f).map((msg) => invalid(field, f, msg)));
  if (names.includes("orphan") && names.includes("foregroundDeletion")) {
    causes.push(
      invalid(
        field,
        new GoSyntax(`[]string{${names.map(goQuote).join(", ")}}`),
        "finalizer orphan and foregroundDeletion cannot be both set",
      ),
    );
  }
  return causes;
}

function validateManagedFields(entries: unknown): FieldCause[] {
  const causes: FieldCause[] = [];
  objectsAt(entries).forEach((entry, i) => {
    const path = `metadata.managedFields[${i}]`;
    if (entry.operation !== "Apply" && entry.operation !== "Update") {
      causes.push(
        invalid(`${path}.operation`, textAt(entry.operation), "must be `Apply` or `Update`"),
      );
    }
    if (entry.fieldsType !== undefined && entry.fieldsType !== "FieldsV1") {
      causes.push(invalid(`${path}.fieldsType`, textAt(entry.fieldsType), "must be `FieldsV1`"));
    }
  });
  return causes;
}
