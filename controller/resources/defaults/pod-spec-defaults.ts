import {
  childObject,
  isObject,
  listAt,
  objectAt,
  setDefault,
  setDefaultText,
  textAt,
  type JsonObject,
} from "../json-access.js";
import { canonicalQuantity } from "../quantity.js";
import { defaultPullPolicy } from "./image-pull-policy.js";

const fileMode = 0o644;

/** SetDefaults_PodSpec and what it reaches: containers, probes, ports, volumes. For pods and templates. */
export function applyPodSpecDefaults(spec: JsonObject): void {
  setDefaultText(spec, "dnsPolicy", "ClusterFirst");
  setDefaultText(spec, "restartPolicy", "Always");
  setDefault(spec, "securityContext", {});
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefaultText(spec, "schedulerName", "default-scheduler");
  for (const list of ["containers", "initContainers", "ephemeralContainers"]) {
    for (const c of listAt(spec[list]).filter(isObject)) applyContainerDefaults(c);
  }
  for (const vol of listAt(spec.volumes).filter(isObject)) applyVolumeDefaults(vol);
  if (spec.hostNetwork === true) defaultHostNetworkPorts(spec);
}

/** SetDefaults_Pod: only real pods (not templates) get these. */
export function applyPodOnlyDefaults(spec: JsonObject): void {
  for (const list of ["containers", "initContainers"]) {
    for (const c of listAt(spec[list]).filter(isObject)) defaultRequestsToLimits(c);
  }
  setDefault(spec, "enableServiceLinks", true);
}

function applyContainerDefaults(c: JsonObject): void {
  setDefaultText(c, "terminationMessagePath", "/dev/termination-log");
  setDefaultText(c, "terminationMessagePolicy", "File");
  setDefaultText(c, "imagePullPolicy", defaultPullPolicy(textAt(c.image).trim()));
  for (const port of listAt(c.ports).filter(isObject)) setDefaultText(port, "protocol", "TCP");
  for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
    const p = objectAt(c[probe]);
    if (p) applyProbeDefaults(p);
  }
  const lifecycle = objectAt(c.lifecycle);
  for (const hook of ["postStart", "preStop"]) {
    const httpGet = objectAt(objectAt(lifecycle?.[hook])?.httpGet);
    if (httpGet) applyHttpGetDefaults(httpGet);
  }
  for (const env of listAt(c.env).filter(isObject)) {
    const fieldRef = objectAt(objectAt(env.valueFrom)?.fieldRef);
    if (fieldRef) setDefaultText(fieldRef, "apiVersion", "v1");
  }
  canonicalizeResources(objectAt(c.resources));
}

function applyProbeDefaults(probe: JsonObject): void {
  setDefault(probe, "timeoutSeconds", 1);
  setDefault(probe, "periodSeconds", 10);
  setDefault(probe, "successThreshold", 1);
  setDefault(probe, "failureThreshold", 3);
  const httpGet = objectAt(probe.httpGet);
  if (httpGet) applyHttpGetDefaults(httpGet);
}

function applyHttpGetDefaults(httpGet: JsonObject): void {
  setDefaultText(httpGet, "path", "/");
  setDefaultText(httpGet, "scheme", "HTTP");
}

// The API server stores quantities in canonical form: "0.5" reads back as "500m".
function canonicalizeResources(resources: JsonObject | undefined): void {
  for (const key of ["limits", "requests"]) {
    const list = objectAt(resources?.[key]);
    for (const [name, value] of Object.entries(list ?? {})) {
      const canonical = canonicalQuantity(value);
      if (list && canonical !== undefined) list[name] = canonical;
    }
  }
}

function defaultRequestsToLimits(c: JsonObject): void {
  const resources = objectAt(c.resources);
  const limits = objectAt(resources?.limits);
  if (!resources || !limits || Object.keys(limits).length === 0) return;
  const requests = childObject(resources, "requests");
  if (!requests) return;
  for (const [name, value] of Object.entries(limits)) setDefault(requests, name, value);
}

function applyVolumeDefaults(vol: JsonObject): void {
  const sources = Object.keys(vol).filter((k) => k !== "name" && vol[k] !== null);
  if (sources.length === 0) vol.emptyDir = {};
  for (const key of ["configMap", "secret", "downwardAPI", "projected"]) {
    const source = objectAt(vol[key]);
    if (source) setDefault(source, "defaultMode", fileMode);
  }
  const hostPath = objectAt(vol.hostPath);
  if (hostPath) setDefault(hostPath, "type", "");
  const emptyDir = objectAt(vol.emptyDir);
  if (emptyDir && emptyDir.sizeLimit !== undefined) {
    const canonical = canonicalQuantity(emptyDir.sizeLimit);
    if (canonical !== undefined) emptyDir.sizeLimit = canonical;
  }
  for (const source of listAt(objectAt(vol.projected)?.sources).filter(isObject)) {
    const token = objectAt(source.serviceAccountToken);
    if (token) setDefault(token, "expirationSeconds", 3600);
    for (const item of listAt(objectAt(source.downwardAPI)?.items).filter(isObject)) {
      const fieldRef = objectAt(item.fieldRef);
      if (fieldRef) setDefaultText(fieldRef, "apiVersion", "v1");
    }
  }
  for (const item of listAt(objectAt(vol.downwardAPI)?.items).filter(isObject)) {
    const fieldRef = objectAt(item.fieldRef);
    if (fieldRef) setDefaultText(fieldRef, "apiVersion", "v1");
  }
}

function defaultHostNetworkPorts(spec: JsonObject): void {
  for (const list of ["containers", "initContainers"]) {
    for (const c of listAt(spec[list]).filter(isObject)) {
      for (const port of listAt(c.ports).filter(isObject)) {
        if (!port.hostPort) port.hostPort = port.containerPort;
      }
    }
  }
}
