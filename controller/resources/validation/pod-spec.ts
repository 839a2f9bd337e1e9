import type { FieldCause } from "../kube-object.js";
import { listAt, numberAt, objectAt, objectsAt, textAt } from "../json-access.js";
import { validateQuantity } from "../quantity.js";
import {
  enumField,
  validateContainers,
  validateHostNetworkPorts,
  validateInitContainers,
  type ContainerContext,
} from "./containers.js";
import { duplicate, forbidden, invalid, notSupported, required } from "./field-causes.js";
import { GoSyntax, goQuote } from "./go-values.js";
import { validateAnnotations, validateLabels } from "./labels.js";
import {
  inclusiveRangeError,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
} from "./name-formats.js";
import {
  validateAffinity,
  validateTolerations,
  validateTopologySpreadConstraints,
} from "./scheduling.js";
import { validateIp, validateVolumes } from "./volumes.js";

const maxInt32 = 2147483647;

/** ValidatePodSpec: everything a pod or a pod template's spec must satisfy. */
export function validatePodSpec(specValue: unknown, field: string): FieldCause[] {
  const spec = objectAt(specValue) ?? {};
  const volumes = validateVolumes(spec.volumes, `${field}.volumes`);
  const causes = [...volumes.causes];
  const ctx: ContainerContext = { volumes: volumes.names, names: new Set() };
  causes.push(...validateContainers(spec.containers, `${field}.containers`, ctx));
  causes.push(...validateInitContainers(spec.initContainers, `${field}.initContainers`, ctx));
  if (spec.hostNetwork === true) {
    causes.push(...validateHostNetworkPorts(spec.containers, `${field}.containers`));
    causes.push(...validateHostNetworkPorts(spec.initContainers, `${field}.initContainers`));
  }
  causes.push(
    ...enumField(spec.restartPolicy, `${field}.restartPolicy`, ["Always", "OnFailure", "Never"]),
  );
  causes.push(
    ...enumField(spec.dnsPolicy, `${field}.dnsPolicy`, [
      "ClusterFirstWithHostNet",
      "ClusterFirst",
      "Default",
      "None",
    ]),
  );
  causes.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  objectsAt(spec.imagePullSecrets).forEach((s, i) => {
    if (!textAt(s.name)) causes.push(required(`${field}.imagePullSecrets[${i}].name`));
  });
  causes.push(...validateAffinity(spec.affinity, `${field}.affinity`));
  causes.push(...validateDnsConfig(spec, `${field}.dnsConfig`));
  objectsAt(spec.readinessGates).forEach((g, i) => {
    const path = `${field}.readinessGates[${i}].conditionType`;
    const type = textAt(g.conditionType);
    causes.push(...isQualifiedName(type).map((m) => invalid(path, type, m)));
  });
  causes.push(...validateSchedulingGates(spec.schedulingGates, `${field}.schedulingGates`));
  causes.push(
    ...validateTopologySpreadConstraints(
      spec.topologySpreadConstraints,
      `${field}.topologySpreadConstraints`,
    ),
  );
  for (const key of ["serviceAccountName", "nodeName", "priorityClassName"]) {
    const value = textAt(spec[key]);
    if (value)
      causes.push(...isDns1123Subdomain(value).map((m) => invalid(`${field}.${key}`, value, m)));
  }
  const deadline = numberAt(spec.activeDeadlineSeconds);
  if (deadline !== undefined && (deadline < 1 || deadline > maxInt32)) {
    causes.push(
      invalid(`${field}.activeDeadlineSeconds`, deadline, inclusiveRangeError(1, maxInt32)),
    );
  }
  for (const key of ["hostname", "subdomain"]) {
    const value = textAt(spec[key]);
    if (value)
      causes.push(...isDns1123Label(value).map((m) => invalid(`${field}.${key}`, value, m)));
  }
  causes.push(...validateTolerations(spec.tolerations, `${field}.tolerations`));
  objectsAt(spec.hostAliases).forEach((alias, i) => {
    const path = `${field}.hostAliases[${i}]`;
    causes.push(...validateIp(textAt(alias.ip), `${path}.ip`));
    for (const hostname of listAt(alias.hostnames).map(textAt)) {
      causes.push(
        ...isDns1123Subdomain(hostname).map((m) => invalid(`${path}.hostnames`, hostname, m)),
      );
    }
  });
  const preemption = spec.preemptionPolicy;
  if (preemption !== undefined && preemption !== null) {
    causes.push(
      ...enumField(preemption, `${field}.preemptionPolicy`, ["Never", "PreemptLowerPriority"]),
    );
  }
  for (const [name, value] of Object.entries(objectAt(spec.overhead) ?? {})) {
    causes.push(...validateQuantity(value, `${field}.overhead[${name}]`));
  }
  const os = objectAt(spec.os);
  if (os) causes.push(...enumField(os.name, `${field}.os.name`, ["linux", "windows"]));
  return causes;
}

/** A pod template: metadata labels/annotations and a valid spec (workloads want restartPolicy Always). */
export function validatePodTemplateSpec(
  template: unknown,
  field: string,
  options: { restartPolicyAlways: boolean },
): FieldCause[] {
  const t = objectAt(template);
  if (!t) return [required(field)];
  // Kubernetes names these spec.template.labels, without "metadata".
  const meta = objectAt(t.metadata) ?? {};
  const causes = validateLabels(meta.labels, `${field}.labels`);
  causes.push(...validateAnnotations(meta.annotations, `${field}.annotations`));
  causes.push(...validatePodSpec(t.spec, `${field}.spec`));
  const spec = objectAt(t.spec) ?? {};
  if (options.restartPolicyAlways) {
    if (spec.restartPolicy !== undefined && spec.restartPolicy !== "Always") {
      causes.push(notSupported(`${field}.spec.restartPolicy`, spec.restartPolicy, ["Always"]));
    }
    if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
      causes.push(
        forbidden(
          `${field}.spec.activeDeadlineSeconds`,
          "activeDeadlineSeconds in ReplicaSet is not Supported",
        ),
      );
    }
  }
  return causes;
}

function validateDnsConfig(spec: Record<string, unknown>, field: string): FieldCause[] {
  const config = objectAt(spec.dnsConfig);
  if (spec.dnsPolicy === "None") {
    if (!config) return [required(field, "must provide `dnsConfig` when `dnsPolicy` is None")];
    if (listAt(config.nameservers).length === 0) {
      return [
        required(
          `${field}.nameservers`,
          "must provide at least one DNS nameserver when `dnsPolicy` is None",
        ),
      ];
    }
  }
  if (!config) return [];
  const causes: FieldCause[] = [];
  const nameservers = listAt(config.nameservers).map(textAt);
  if (nameservers.length > 3) {
    const value = new GoSyntax(`[]string{${nameservers.map(goQuote).join(", ")}}`);
    causes.push(invalid(`${field}.nameservers`, value, "must not have more than 3 nameservers"));
  }
  nameservers.forEach((ns, i) => causes.push(...validateIp(ns, `${field}.nameservers[${i}]`)));
  objectsAt(config.options).forEach((o, i) => {
    if (!textAt(o.name))
      causes.push(required(`${field}.options[${i}]`, "Option.Name must not be empty"));
  });
  return causes;
}

function validateSchedulingGates(gates: unknown, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  objectsAt(gates).forEach((g, i) => {
    const name = textAt(g.name);
    causes.push(...isQualifiedName(name).map((m) => invalid(`${field}[${i}].name`, name, m)));
    if (seen.has(name)) causes.push(duplicate(`${field}[${i}]`, name));
    seen.add(name);
  });
  return causes;
}
