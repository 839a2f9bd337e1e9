import type { KubeObject } from "../kube-object.js";
import {
  childObject,
  isObject,
  listAt,
  objectAt,
  setDefault,
  setDefaultText,
  textAt,
} from "../json-access.js";

/** SetDefaults_Service, plus the IP family fields the service REST storage fills in. */
export function applyServiceDefaults(obj: KubeObject): void {
  const spec = childObject(obj, "spec");
  if (!spec) return;
  setDefaultText(spec, "sessionAffinity", "None");
  setDefaultText(spec, "type", "ClusterIP");
  for (const port of listAt(spec.ports).filter(isObject)) {
    setDefaultText(port, "protocol", "TCP");
    if (
      port.targetPort === undefined ||
      port.targetPort === null ||
      port.targetPort === 0 ||
      port.targetPort === ""
    ) {
      port.targetPort = port.port;
    }
  }
  if (spec.sessionAffinity === "ClientIP") {
    const config = childObject(spec, "sessionAffinityConfig");
    const clientIP = config && childObject(config, "clientIP");
    if (clientIP) setDefault(clientIP, "timeoutSeconds", 10800);
  }
  const type = spec.type;
  if (type === "NodePort" || type === "LoadBalancer") {
    setDefaultText(spec, "externalTrafficPolicy", "Cluster");
  }
  if (type === "LoadBalancer") setDefault(spec, "allocateLoadBalancerNodePorts", true);
  if (type !== "ExternalName") {
    setDefaultText(spec, "internalTrafficPolicy", "Cluster");
    const headlessWithoutSelector =
      spec.clusterIP === "None" && Object.keys(objectAt(spec.selector) ?? {}).length === 0;
    if (!headlessWithoutSelector) {
      setDefaultText(spec, "ipFamilyPolicy", "SingleStack");
      setDefault(spec, "ipFamilies", [textAt(spec.clusterIP).includes(":") ? "IPv6" : "IPv4"]);
    }
  }
  const clusterIP = textAt(spec.clusterIP);
  if (clusterIP && listAt(spec.clusterIPs).length === 0) spec.clusterIPs = [clusterIP];
}
