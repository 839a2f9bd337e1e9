import { invalidArgument } from "../../../lib/errors.js";
import type { Pod } from "../../kube/types.js";

/** Facts about where the pod runs that its spec does not hold. */
export interface PodNetworkFacts {
  /** The pod's IPs, primary first ([] before the sandbox has one). */
  podIPs: string[];
  /** The node's IPs, primary first. */
  hostIPs: string[];
}

/**
 * The value of an env fieldRef, as kubelet resolves it: metadata.name, .namespace, .uid,
 * .labels / .annotations (all of them, one key="value" a line) or ['key'] (one, "" when absent),
 * spec.nodeName, spec.serviceAccountName, status.hostIP(s), status.podIP(s) (lists comma-joined).
 */
export function podFieldValue(
  ref: { apiVersion?: string; fieldPath: string },
  pod: Pod,
  facts: PodNetworkFacts,
  field = "fieldRef",
): string {
  const fail = (message: string) =>
    invalidArgument(`${field}: ${message}`, { field: `${field}.fieldPath` });
  const version = ref.apiVersion || "v1";
  if (version !== "v1") throw fail(`unsupported pod version: ${version}`);
  const path = ref.fieldPath === "spec.host" ? "spec.nodeName" : ref.fieldPath;
  const meta = pod.metadata ?? {};
  const subscripted = splitSubscript(path);
  if (subscripted) {
    if (subscripted.path === "metadata.labels") return meta.labels?.[subscripted.key] ?? "";
    if (subscripted.path === "metadata.annotations")
      return meta.annotations?.[subscripted.key] ?? "";
    throw fail(`field label does not support subscript: ${path}`);
  }
  switch (path) {
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
    case "spec.nodeName":
      return pod.spec?.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
    case "status.hostIP":
      if (facts.hostIPs.length === 0) throw fail("the node's IP is not known yet");
      return facts.hostIPs[0];
    case "status.hostIPs":
      if (facts.hostIPs.length === 0) throw fail("the node's IP is not known yet");
      return facts.hostIPs.join(",");
    case "status.podIP":
      return facts.podIPs[0] ?? "";
    case "status.podIPs":
      return facts.podIPs.join(",");
  }
  throw fail(`field label not supported: ${path}`);
}

/** "metadata.labels['app']" → {path: "metadata.labels", key: "app"}. */
function splitSubscript(path: string): { path: string; key: string } | undefined {
  if (!path.endsWith("']")) return undefined;
  const open = path.indexOf("['");
  if (open <= 0) return undefined;
  return { path: path.slice(0, open), key: path.slice(open + 2, -2) };
}

/** Kubernetes' FormatMap: sorted key="value" lines, values quoted as Go's %q quotes them. */
export function formatMap(map: Record<string, string>): string {
  return Object.keys(map)
    .sort()
    .map((key) => `${key}=${goQuote(map[key])}`)
    .join("\n");
}

const goEscapes: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  "\\": "\\\\",
  '"': '\\"',
};

function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (goEscapes[ch]) out += goEscapes[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + '"';
}
