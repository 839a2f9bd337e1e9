import { failedPrecondition, notFound } from "../../../lib/errors.js";
import type { ConfigMap, Container, EnvVar, Pod, Secret } from "../../kube/types.js";
import { expandVars, lookupIn } from "./expand-vars.js";
import { podFieldValue, type PodNetworkFacts } from "./field-ref.js";
import { containerField } from "./pod-containers.js";
import { containerResourceValue } from "./resource-field-ref.js";
import type { SpecEvent } from "./spec-event.js";

/** Reads the pod's ConfigMaps and Secrets; undefined means the object does not exist. */
export interface ConfigSources {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
}

export interface EnvInput {
  pod: Pod;
  container: Container;
  network: PodNetworkFacts;
  /** node.status.allocatable: what a resourceFieldRef limit reads when the container sets none. */
  allocatable: Record<string, string>;
  sources: ConfigSources;
  /** Service link variables (KUBERNETES_SERVICE_HOST…), lowest priority, appended last. */
  serviceEnv?: Record<string, string>;
}

export interface ContainerEnv {
  vars: Map<string, string>;
  events: SpecEvent[];
}

// The classic C-identifier-like rule: keys that break it are skipped with an event.
const envVarName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * The container's environment as kubelet's makeEnvironmentVariables builds it: envFrom sources
 * first (prefixed keys, invalid names skipped), then env in order, each value expanded against
 * the variables before it and the service variables, valueFrom resolved (fieldRef,
 * resourceFieldRef, configMapKeyRef, secretKeyRef; an optional reference to something missing
 * leaves the variable out), then the service variables not set otherwise. A later definition
 * replaces an earlier one in its place.
 */
export async function containerEnv(input: EnvInput): Promise<ContainerEnv> {
  const { pod, container } = input;
  const ns = pod.metadata?.namespace ?? "";
  const base = containerField(pod, container);
  const reader = cachedReader(input.sources, ns);
  const vars = new Map<string, string>();
  const events: SpecEvent[] = [];

  for (const [i, from] of (container.envFrom ?? []).entries()) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? "configMap" : "secret";
    const data = await reader.data(kind, ref.name, ref.optional === true, `${base}.envFrom[${i}]`);
    if (!data) continue;
    const invalid: string[] = [];
    for (const key of Object.keys(data).sort()) {
      const name = (from.prefix ?? "") + key;
      if (envVarName.test(name)) vars.set(name, data[key]);
      else invalid.push(name);
    }
    if (invalid.length > 0) {
      events.push({
        type: "Warning",
        reason: "InvalidEnvironmentVariableNames",
        message: `Keys [${invalid.join(", ")}] from the EnvFrom ${kind} ${ns}/${ref.name} were skipped since they are considered invalid environment variable names.`,
      });
    }
  }

  const service = input.serviceEnv ?? {};
  for (const [i, env] of (container.env ?? []).entries()) {
    const value = await envValue(env, `${base}.env[${i}]`, input, reader, lookupIn(vars, service));
    if (value !== undefined) vars.set(env.name, value);
  }
  for (const name of Object.keys(service).sort()) {
    if (!vars.has(name)) vars.set(name, service[name]);
  }
  return { vars, events };
}

async function envValue(
  env: EnvVar,
  field: string,
  input: EnvInput,
  reader: ReturnType<typeof cachedReader>,
  lookup: ReturnType<typeof lookupIn>,
): Promise<string | undefined> {
  const from = env.valueFrom;
  if ((env.value ?? "") !== "" || !from) return expandVars(env.value ?? "", lookup);
  if (from.fieldRef) {
    return podFieldValue(from.fieldRef, input.pod, input.network, `${field}.valueFrom.fieldRef`);
  }
  if (from.resourceFieldRef) {
    const sub = `${field}.valueFrom.resourceFieldRef`;
    return containerResourceValue(
      from.resourceFieldRef,
      input.pod,
      input.container,
      input.allocatable,
      sub,
    );
  }
  const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
  if (!keyRef) return "";
  const kind = from.configMapKeyRef ? "configMap" : "secret";
  const sub = `${field}.valueFrom.${kind}KeyRef`;
  const optional = keyRef.optional === true;
  const data = await reader.data(kind, keyRef.name, optional, sub);
  if (!data) return undefined;
  if (Object.hasOwn(data, keyRef.key)) return data[keyRef.key];
  if (optional) return undefined;
  const what = kind === "configMap" ? "ConfigMap" : "Secret";
  const ns = input.pod.metadata?.namespace ?? "";
  throw failedPrecondition(`couldn't find key ${keyRef.key} in ${what} ${ns}/${keyRef.name}`, {
    field: `${sub}.key`,
  });
}

/** Each ConfigMap/Secret read once per container, as string data (secrets decoded). */
function cachedReader(sources: ConfigSources, ns: string) {
  const cache = new Map<string, Promise<Record<string, string> | undefined>>();
  const load = async (kind: "configMap" | "secret", name: string) => {
    if (kind === "configMap") {
      const configMap = await sources.configMap(ns, name);
      return configMap ? (configMap.data ?? {}) : undefined;
    }
    const secret: Secret | undefined = await sources.secret(ns, name);
    if (!secret) return undefined;
    return Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([k, v]) => [
        k,
        Buffer.from(v, "base64").toString("utf8"),
      ]),
    );
  };
  return {
    async data(kind: "configMap" | "secret", name: string, optional: boolean, field: string) {
      const key = `${kind}/${name}`;
      if (!cache.has(key)) cache.set(key, load(kind, name));
      const data = await cache.get(key)!;
      if (data !== undefined || optional) return data;
      throw notFound(`${kind === "configMap" ? "configmap" : "secret"} "${name}" not found`, {
        field,
      });
    },
  };
}
