// Which schema message decodes a body of a given apiVersion and kind: the kinds kubectl 1.32+
// sends as protobuf (typed `kubectl create …`, drain's DeleteOptions) plus Pod and Eviction.

const kinds = new Map<string, string>([
  ["v1/Namespace", "Namespace"],
  ["v1/ConfigMap", "ConfigMap"],
  ["v1/Secret", "Secret"],
  ["v1/ServiceAccount", "ServiceAccount"],
  ["v1/Pod", "Pod"],
  ["v1/Service", "Service"],
  ["apps/v1/Deployment", "Deployment"],
  ["policy/v1/Eviction", "Eviction"],
]);

// DeleteOptions is registered in every group version, so a typed client of any group sends it
// under its own apiVersion.
const groupVersion = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v\d+((alpha|beta)\d+)?$/;

/** The schema message for apiVersion+kind, or undefined when this server cannot decode it. */
export function messageForKind(apiVersion: string, kind: string): string | undefined {
  if (kind === "DeleteOptions" && groupVersion.test(apiVersion)) return "DeleteOptions";
  return kinds.get(`${apiVersion}/${kind}`);
}
