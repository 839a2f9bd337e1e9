import { isIP } from "node:net";
import type { FieldCause } from "../kube-object.js";
import { listAt, objectAt, objectsAt, textAt } from "../json-access.js";
import { duplicate, invalid, notSupported, required } from "./field-causes.js";
import { enumField } from "./containers.js";
import { GoSyntax, goQuote } from "./go-values.js";
import { validateLabels } from "./labels.js";
import { isDns1123Label, isDns1123Subdomain, isValidPortNum } from "./name-formats.js";
import { validatePortNumOrName } from "./probes.js";

const serviceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const protocols = ["SCTP", "TCP", "UDP"];
const validIpMessage = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

/** ValidateService's spec rules: type, ports, selector, affinity, cluster IPs, external name. */
export function validateServiceSpec(specValue: unknown): FieldCause[] {
  const spec = objectAt(specValue) ?? {};
  const causes: FieldCause[] = [];
  const type = spec.type;
  if (typeof type !== "string" || !serviceTypes.includes(type)) {
    causes.push(notSupported("spec.type", type ?? "", serviceTypes));
  }
  const headless = spec.clusterIP === "None";
  const ports = objectsAt(spec.ports);
  if (ports.length === 0 && !headless && type !== "ExternalName")
    causes.push(required("spec.ports"));
  const names = new Set<string>();
  ports.forEach((p, i) =>
    causes.push(...validatePort(p, `spec.ports[${i}]`, ports.length > 1, names)),
  );
  causes.push(...validateLabels(spec.selector, "spec.selector"));
  causes.push(...enumField(spec.sessionAffinity, "spec.sessionAffinity", ["ClientIP", "None"]));
  if (type === "ExternalName") {
    const name = textAt(spec.externalName);
    if (!name) causes.push(required("spec.externalName"));
    else
      causes.push(
        ...isDns1123Subdomain(name.replace(/\.$/, "")).map((m) =>
          invalid("spec.externalName", name, m),
        ),
      );
  }
  const clusterIP = textAt(spec.clusterIP);
  if (clusterIP && clusterIP !== "None" && isIP(clusterIP) === 0) {
    causes.push(invalid("spec.clusterIPs[0]", clusterIP, validIpMessage));
  }
  listAt(spec.externalIPs).forEach((ip, i) => {
    if (isIP(textAt(ip)) === 0) {
      causes.push(invalid(`spec.externalIPs[${i}]`, textAt(ip), validIpMessage));
    }
  });
  for (const key of ["externalTrafficPolicy", "internalTrafficPolicy"]) {
    const value = spec[key];
    if (
      value !== undefined &&
      value !== null &&
      value !== "" &&
      value !== "Cluster" &&
      value !== "Local"
    ) {
      causes.push(notSupported(`spec.${key}`, value, ["Cluster", "Local"]));
    }
  }
  return causes;
}

function validatePort(
  port: Record<string, unknown>,
  path: string,
  nameRequired: boolean,
  names: Set<string>,
): FieldCause[] {
  const causes: FieldCause[] = [];
  const name = textAt(port.name);
  if (!name && nameRequired) causes.push(required(`${path}.name`));
  else if (name) causes.push(...isDns1123Label(name).map((m) => invalid(`${path}.name`, name, m)));
  if (name && names.has(name)) causes.push(duplicate(`${path}.name`, name));
  names.add(name);
  const number = typeof port.port === "number" ? port.port : 0;
  causes.push(...isValidPortNum(number).map((m) => invalid(`${path}.port`, number, m)));
  const protocol = port.protocol;
  if (!protocol) causes.push(required(`${path}.protocol`));
  else if (typeof protocol !== "string" || !protocols.includes(protocol)) {
    causes.push(notSupported(`${path}.protocol`, protocol, protocols));
  }
  causes.push(...validatePortNumOrName(port.targetPort, `${path}.targetPort`));
  if (typeof port.nodePort === "number" && port.nodePort !== 0) {
    causes.push(
      ...isValidPortNum(port.nodePort).map((m) => invalid(`${path}.nodePort`, port.nodePort, m)),
    );
  }
  return causes;
}

/**
 * A cluster IP may not change once set. An update that leaves it out keeps it (Kubernetes copies
 * the allocated IPs over before validating), so only a different non-empty IP is refused.
 */
export function validateServiceUpdate(specValue: unknown, oldSpecValue: unknown): FieldCause[] {
  const spec = objectAt(specValue) ?? {};
  const old = objectAt(oldSpecValue) ?? {};
  if (old.type === "ExternalName" || spec.type === "ExternalName") return [];
  const next = textAt(spec.clusterIP);
  const previous = textAt(old.clusterIP);
  if (!next || !previous || next === previous) return [];
  const shown = new GoSyntax(`[]string{${goQuote(next)}}`);
  return [invalid("spec.clusterIPs[0]", shown, "may not change once set")];
}
