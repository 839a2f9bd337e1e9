import type { FieldCause } from "../kube-object.js";
import { objectAt, objectsAt, textAt } from "../json-access.js";
import { invalid, notSupported, required } from "./field-causes.js";
import { isConfigMapKey, isDns1123Subdomain, isEnvVarName } from "./name-formats.js";

const downwardApiEnvFields = [
  "metadata.annotations",
  "metadata.labels",
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.serviceAccountName",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
];

const sources = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"];

export function validateEnv(env: unknown, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  objectsAt(env).forEach((ev, i) => {
    const path = `${field}[${i}]`;
    const name = textAt(ev.name);
    if (!name) causes.push(required(`${path}.name`));
    else causes.push(...isEnvVarName(name).map((m) => invalid(`${path}.name`, name, m)));
    causes.push(...validateValueFrom(ev, `${path}.valueFrom`));
  });
  return causes;
}

function validateValueFrom(ev: Record<string, unknown>, field: string): FieldCause[] {
  const from = objectAt(ev.valueFrom);
  if (!from) return [];
  const causes: FieldCause[] = [];
  const present = sources.filter((s) => objectAt(from[s]) !== undefined);
  for (const source of present) {
    const ref = objectAt(from[source]) ?? {};
    const path = `${field}.${source}`;
    if (source === "fieldRef") causes.push(...validateFieldRef(ref, path));
    if (source === "resourceFieldRef" && !textAt(ref.resource)) {
      causes.push(required(`${path}.resource`));
    }
    if (source === "configMapKeyRef" || source === "secretKeyRef") {
      causes.push(...validateKeySelector(ref, path));
    }
  }
  if (present.length === 0) {
    causes.push(
      invalid(
        field,
        "",
        "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
      ),
    );
  } else if (textAt(ev.value)) {
    causes.push(invalid(field, "", "may not be specified when `value` is not empty"));
  } else if (present.length > 1) {
    causes.push(invalid(field, "", "may not have more than one field specified at a time"));
  }
  return causes;
}

function validateFieldRef(ref: Record<string, unknown>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!textAt(ref.apiVersion)) causes.push(required(`${path}.apiVersion`));
  const fieldPath = textAt(ref.fieldPath);
  if (!fieldPath) return [...causes, required(`${path}.fieldPath`)];
  const base = fieldPath.replace(/\[.*\]$/, "");
  const subscripted = base !== fieldPath;
  const ok = subscripted
    ? base === "metadata.labels" || base === "metadata.annotations"
    : downwardApiEnvFields.includes(fieldPath) &&
      fieldPath !== "metadata.labels" &&
      fieldPath !== "metadata.annotations";
  if (!ok) causes.push(notSupported(`${path}.fieldPath`, fieldPath, downwardApiEnvFields));
  return causes;
}

function validateKeySelector(ref: Record<string, unknown>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  causes.push(...validateRefName(textAt(ref.name), `${path}.name`));
  const key = textAt(ref.key);
  if (!key) causes.push(required(`${path}.key`));
  else causes.push(...isConfigMapKey(key).map((m) => invalid(`${path}.key`, key, m)));
  return causes;
}

export function validateEnvFrom(envFrom: unknown, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  objectsAt(envFrom).forEach((ef, i) => {
    const path = `${field}[${i}]`;
    const refs = ["configMapRef", "secretRef"].filter((k) => objectAt(ef[k]) !== undefined);
    if (refs.length === 0) {
      causes.push(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
    } else if (refs.length > 1) {
      causes.push(invalid(path, "", "may not have more than one field specified at a time"));
    }
    for (const key of refs) {
      causes.push(...validateRefName(textAt(objectAt(ef[key])?.name), `${path}.${key}.name`));
    }
  });
  return causes;
}

function validateRefName(name: string, field: string): FieldCause[] {
  if (!name) return [required(field)];
  return isDns1123Subdomain(name).map((m) => invalid(field, name, m));
}
