import { invalidArgument, unimplemented } from "../../../lib/errors.js";
import type { DownwardApiFile, Pod } from "../../kube/types.js";
import { goQuote } from "./go-quote.js";
import { defaultFileMode } from "./keyed-payload.js";
import type { Payload } from "./payload.js";
import { validateFileMode, validatePayloadPath } from "./payload-path.js";

/** Resolves a resourceFieldRef (limits.cpu, requests.memory…) to its text, scaled by `divisor`. */
export type ResourceValue = (
  pod: Pod,
  containerName: string,
  resource: string,
  divisor: string | undefined,
) => string | Promise<string>;

export interface DownwardApiSource {
  items?: DownwardApiFile[];
  defaultMode?: number;
}

/** The files of a downwardAPI volume, one per item. */
export async function downwardApiPayload(
  pod: Pod,
  source: DownwardApiSource,
  field: string,
  resourceValue?: ResourceValue,
): Promise<Payload> {
  const defaultMode =
    source.defaultMode === undefined
      ? defaultFileMode
      : validateFileMode(source.defaultMode, `${field}.defaultMode`);
  const payload: Payload = new Map();
  for (const [i, item] of (source.items ?? []).entries()) {
    const itemField = `${field}.items[${i}]`;
    validatePayloadPath(item.path, `${itemField}.path`);
    if (payload.has(item.path)) {
      throw invalidArgument(`duplicate path "${item.path}"`, { field: `${itemField}.path` });
    }
    const mode =
      item.mode === undefined ? defaultMode : validateFileMode(item.mode, `${itemField}.mode`);
    const text = await itemValue(pod, item, itemField, resourceValue);
    payload.set(item.path, { data: Buffer.from(text), mode });
  }
  return payload;
}

async function itemValue(
  pod: Pod,
  item: DownwardApiFile,
  field: string,
  resourceValue: ResourceValue | undefined,
): Promise<string> {
  if (item.fieldRef && item.resourceFieldRef) {
    throw invalidArgument("fieldRef and resourceFieldRef are mutually exclusive", { field });
  }
  if (item.fieldRef)
    return fieldRefValue(pod, item.fieldRef.fieldPath, `${field}.fieldRef.fieldPath`);
  const ref = item.resourceFieldRef;
  if (!ref) throw invalidArgument("one of fieldRef or resourceFieldRef is required", { field });
  const refField = `${field}.resourceFieldRef`;
  if (!ref.containerName) {
    throw invalidArgument("containerName is required in a volume's resourceFieldRef", {
      field: `${refField}.containerName`,
    });
  }
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  if (!containers.some((c) => c.name === ref.containerName)) {
    throw invalidArgument(`container "${ref.containerName}" is not in the pod`, {
      field: `${refField}.containerName`,
    });
  }
  if (!resourceValue) {
    throw unimplemented("resourceFieldRef needs a resource resolver", { field: refField });
  }
  return resourceValue(pod, ref.containerName, ref.resource, ref.divisor);
}

const subscripted = /^metadata\.(labels|annotations)\['(.*)'\]$/s;

/** The value of a pod fieldRef a volume may use (the metadata fields, as kubelet allows there). */
export function fieldRefValue(pod: Pod, fieldPath: string, field: string): string {
  const meta = pod.metadata ?? {};
  const one = subscripted.exec(fieldPath);
  if (one) return (one[1] === "labels" ? meta.labels : meta.annotations)?.[one[2]] ?? "";
  switch (fieldPath) {
    case "metadata.name":
      return meta.name ?? "";
    case "metadata.namespace":
      return meta.namespace ?? "";
    case "metadata.uid":
      return meta.uid ?? "";
    case "metadata.labels":
      return formatMap(meta.labels ?? {});
    case "metadata.annotations":
      return formatMap(meta.annotations ?? {});
    default:
      throw invalidArgument(`unsupported fieldPath: ${fieldPath}`, { field });
  }
}

/** kubelet's format for a label or annotation map: sorted `key="value"` lines, no final newline. */
export function formatMap(m: Record<string, string>): string {
  return Object.keys(m)
    .sort(byBytes)
    .map((k) => `${k}=${goQuote(m[k])}`)
    .join("\n");
}

// Go sorts strings by their UTF-8 bytes; JS's default sort compares UTF-16 code units.
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
