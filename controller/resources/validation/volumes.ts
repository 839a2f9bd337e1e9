import { isIP } from "node:net";
import type { FieldCause } from "../kube-object.js";
import { numberAt, objectAt, objectsAt, textAt } from "../json-access.js";
import { readQuantity } from "../quantity.js";
import { duplicate, forbidden, invalid, notSupported, required } from "./field-causes.js";
import { localDescendingPath } from "./containers.js";
import { isDns1123Label } from "./name-formats.js";

const volumeSources = [
  "hostPath",
  "emptyDir",
  "gitRepo",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "secret",
  "nfs",
  "iscsi",
  "glusterfs",
  "persistentVolumeClaim",
  "rbd",
  "flexVolume",
  "cinder",
  "cephfs",
  "flocker",
  "downwardAPI",
  "fc",
  "azureFile",
  "configMap",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "projected",
  "portworxVolume",
  "scaleIO",
  "storageos",
  "csi",
  "ephemeral",
  "image",
];

const hostPathTypes = [
  "",
  "BlockDevice",
  "CharDevice",
  "Directory",
  "DirectoryOrCreate",
  "File",
  "FileOrCreate",
  "Socket",
];

const fileModeError = "must be a number between 0 and 0777 (octal), both inclusive";

/**
 * ValidateVolumes: unique DNS-label names and exactly one well-formed source each. Returns the
 * names of the valid volumes too, for volumeMounts (an invalid volume cannot be mounted).
 */
export function validateVolumes(
  volumes: unknown,
  field: string,
): { causes: FieldCause[]; names: Set<string> } {
  const causes: FieldCause[] = [];
  const names = new Set<string>();
  objectsAt(volumes).forEach((vol, i) => {
    const path = `${field}[${i}]`;
    const errs = validateVolumeSource(vol, path);
    const name = textAt(vol.name);
    if (!name) errs.push(required(`${path}.name`));
    else errs.push(...isDns1123Label(name).map((m) => invalid(`${path}.name`, name, m)));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    if (errs.length === 0) names.add(name);
    causes.push(...errs);
  });
  return { causes, names };
}

function validateVolumeSource(vol: Record<string, unknown>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  let count = 0;
  for (const source of volumeSources) {
    if (vol[source] === undefined || vol[source] === null) continue;
    const sourcePath = `${path}.${source}`;
    if (count > 0) {
      causes.push(forbidden(sourcePath, "may not specify more than 1 volume type"));
      continue;
    }
    count++;
    causes.push(...validateSource(source, objectAt(vol[source]) ?? {}, sourcePath));
  }
  if (count === 0) causes.push(required(path, "must specify a volume type"));
  return causes;
}

function validateSource(source: string, spec: Record<string, unknown>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const requireText = (key: string) => {
    if (!textAt(spec[key])) causes.push(required(`${path}.${key}`));
  };
  switch (source) {
    case "hostPath": {
      requireText("path");
      if (textAt(spec.path).split("/").includes("..")) {
        causes.push(invalid(`${path}.path`, spec.path, "must not contain '..'"));
      }
      const type = spec.type ?? "";
      if (typeof type !== "string" || !hostPathTypes.includes(type)) {
        causes.push(notSupported(`${path}.type`, type, hostPathTypes));
      }
      break;
    }
    case "emptyDir":
      if (spec.sizeLimit !== undefined && spec.sizeLimit !== null) {
        const q = readQuantity(spec.sizeLimit);
        if ("error" in q) causes.push(invalid(`${path}.sizeLimit`, spec.sizeLimit, q.error));
        else if (q.unscaled < 0n) {
          causes.push(
            forbidden(`${path}.sizeLimit`, "SizeLimit field must be a valid resource quantity"),
          );
        }
      }
      break;
    case "secret":
      requireText("secretName");
      causes.push(...validateMode(spec.defaultMode, `${path}.defaultMode`));
      causes.push(...validateItems(spec.items, `${path}.items`));
      break;
    case "configMap":
      requireText("name");
      causes.push(...validateMode(spec.defaultMode, `${path}.defaultMode`));
      causes.push(...validateItems(spec.items, `${path}.items`));
      break;
    case "persistentVolumeClaim":
      requireText("claimName");
      break;
    case "nfs":
      requireText("server");
      requireText("path");
      if (textAt(spec.path) && !textAt(spec.path).startsWith("/")) {
        causes.push(invalid(`${path}.path`, spec.path, "must be an absolute path"));
      }
      break;
    case "csi":
      requireText("driver");
      break;
    case "downwardAPI":
      causes.push(...validateMode(spec.defaultMode, `${path}.defaultMode`));
      objectsAt(spec.items).forEach((item, i) => {
        const itemPath = `${path}.items[${i}]`;
        if (!textAt(item.path)) causes.push(required(`${itemPath}.path`));
        else causes.push(...localDescendingPath(textAt(item.path), `${itemPath}.path`));
        causes.push(...validateMode(item.mode, `${itemPath}.mode`));
      });
      break;
    case "projected":
      causes.push(...validateMode(spec.defaultMode, `${path}.defaultMode`));
      causes.push(...validateProjections(spec.sources, `${path}.sources`));
      break;
    case "iscsi":
      requireText("targetPortal");
      requireText("iqn");
      break;
    case "image":
      requireText("reference");
      break;
    case "ephemeral":
      if (!objectAt(spec.volumeClaimTemplate)) causes.push(required(`${path}.volumeClaimTemplate`));
      break;
  }
  return causes;
}

function validateProjections(sources: unknown, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const kinds = [
    "secret",
    "configMap",
    "downwardAPI",
    "serviceAccountToken",
    "clusterTrustBundle",
    "podCertificate",
  ];
  objectsAt(sources).forEach((source, i) => {
    const path = `${field}[${i}]`;
    const present = kinds.filter((k) => source[k] !== undefined && source[k] !== null);
    if (present.length === 0) causes.push(required(path, "must specify exactly 1 volume type"));
    for (const extra of present.slice(1)) {
      causes.push(forbidden(`${path}.${extra}`, "may not specify more than 1 volume type"));
    }
    const token = objectAt(source.serviceAccountToken);
    if (token) {
      const tokenPath = `${path}.serviceAccountToken`;
      if (!textAt(token.path)) causes.push(required(`${tokenPath}.path`));
      const seconds = numberAt(token.expirationSeconds);
      if (seconds !== undefined && seconds < 600) {
        causes.push(
          invalid(
            `${tokenPath}.expirationSeconds`,
            seconds,
            "may not specify a duration less than 10 minutes",
          ),
        );
      }
    }
    for (const k of ["secret", "configMap"]) {
      const ref = objectAt(source[k]);
      if (ref) causes.push(...validateItems(ref.items, `${path}.${k}.items`));
    }
  });
  return causes;
}

function validateItems(items: unknown, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  objectsAt(items).forEach((item, i) => {
    const path = `${field}[${i}]`;
    if (!textAt(item.key)) causes.push(required(`${path}.key`));
    if (!textAt(item.path)) causes.push(required(`${path}.path`));
    else causes.push(...localDescendingPath(textAt(item.path), `${path}.path`));
    causes.push(...validateMode(item.mode, `${path}.mode`));
  });
  return causes;
}

function validateMode(mode: unknown, field: string): FieldCause[] {
  const value = numberAt(mode);
  if (value === undefined) return [];
  return value < 0 || value > 0o777 ? [invalid(field, value, fileModeError)] : [];
}

/** Kubernetes' IP check for legacy fields (hostAliases, dnsConfig nameservers…). */
export function validateIp(value: string, field: string): FieldCause[] {
  return isIP(value) === 0
    ? [invalid(field, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    : [];
}
