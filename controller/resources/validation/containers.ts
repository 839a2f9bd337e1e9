import type { FieldCause } from "../kube-object.js";
import { numberAt, objectsAt, textAt } from "../json-access.js";
import { duplicate, forbidden, invalid, notFound, notSupported, required } from "./field-causes.js";
import { validateEnv, validateEnvFrom } from "./env.js";
import { isDns1123Label, isValidPortName, isValidPortNum } from "./name-formats.js";
import { validateLifecycle, validateProbe } from "./probes.js";
import { validateResourceRequirements } from "./resource-requirements.js";

const protocols = ["SCTP", "TCP", "UDP"];

/** What container checks need to know about the pod around them. */
export interface ContainerContext {
  /** Names of the pod's valid volumes, for volumeMounts and volumeDevices. */
  volumes: Set<string>;
  /** Container names seen so far (regular containers first), for duplicates across lists. */
  names: Set<string>;
}

/** validateContainers: at least one, each valid, names unique; no restartPolicy on them. */
export function validateContainers(
  containers: unknown,
  field: string,
  ctx: ContainerContext,
): FieldCause[] {
  const list = objectsAt(containers);
  if (list.length === 0) return [required(field)];
  const causes: FieldCause[] = [];
  list.forEach((c, i) => {
    const path = `${field}[${i}]`;
    causes.push(...validateContainerCommon(c, path, ctx));
    causes.push(...uniqueName(c, path, ctx));
    causes.push(...validateProbe(c.livenessProbe, `${path}.livenessProbe`, "liveness"));
    causes.push(...validateProbe(c.readinessProbe, `${path}.readinessProbe`, "readiness"));
    causes.push(...validateProbe(c.startupProbe, `${path}.startupProbe`, "startup"));
    causes.push(...validateLifecycle(c.lifecycle, `${path}.lifecycle`));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      causes.push(forbidden(`${path}.restartPolicy`, "may not be set for non-init containers"));
    }
  });
  return causes;
}

/** validateInitContainers: restartable (sidecar) ones may have probes, the others may not. */
export function validateInitContainers(
  containers: unknown,
  field: string,
  ctx: ContainerContext,
): FieldCause[] {
  const causes: FieldCause[] = [];
  objectsAt(containers).forEach((c, i) => {
    const path = `${field}[${i}]`;
    causes.push(...validateContainerCommon(c, path, ctx));
    causes.push(...uniqueName(c, path, ctx));
    const restartable = c.restartPolicy === "Always";
    if (c.restartPolicy !== undefined && c.restartPolicy !== null && !restartable) {
      causes.push(notSupported(`${path}.restartPolicy`, c.restartPolicy, ["Always"]));
    }
    if (restartable) {
      causes.push(...validateProbe(c.livenessProbe, `${path}.livenessProbe`, "liveness"));
      causes.push(...validateProbe(c.readinessProbe, `${path}.readinessProbe`, "readiness"));
      causes.push(...validateProbe(c.startupProbe, `${path}.startupProbe`, "startup"));
      causes.push(...validateLifecycle(c.lifecycle, `${path}.lifecycle`));
    } else {
      for (const key of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"]) {
        if (c[key] !== undefined && c[key] !== null) {
          causes.push(
            forbidden(
              `${path}.${key}`,
              "may not be set for init containers without restartPolicy=Always",
            ),
          );
        }
      }
    }
  });
  return causes;
}

/** validateContainersOnlyForPod: pods (not templates) refuse images padded with spaces. */
export function validateImagesHaveNoSpaces(containers: unknown, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  objectsAt(containers).forEach((c, i) => {
    const image = textAt(c.image);
    if (image !== image.trim()) {
      causes.push(
        invalid(`${field}[${i}].image`, image, "must not have leading or trailing whitespace"),
      );
    }
  });
  return causes;
}

function uniqueName(c: Record<string, unknown>, path: string, ctx: ContainerContext): FieldCause[] {
  const name = textAt(c.name);
  if (ctx.names.has(name)) return [duplicate(`${path}.name`, name)];
  ctx.names.add(name);
  return [];
}

function validateContainerCommon(
  c: Record<string, unknown>,
  path: string,
  ctx: ContainerContext,
): FieldCause[] {
  const causes: FieldCause[] = [];
  const name = textAt(c.name);
  if (!name) causes.push(required(`${path}.name`));
  else causes.push(...isDns1123Label(name).map((m) => invalid(`${path}.name`, name, m)));
  if (!textAt(c.image)) causes.push(required(`${path}.image`));
  causes.push(
    ...enumField(c.terminationMessagePolicy, `${path}.terminationMessagePolicy`, [
      "File",
      "FallbackToLogsOnError",
    ]),
  );
  causes.push(...validatePorts(c.ports, `${path}.ports`));
  causes.push(...validateEnv(c.env, `${path}.env`));
  causes.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  causes.push(...validateVolumeMounts(c.volumeMounts, `${path}.volumeMounts`, ctx.volumes));
  objectsAt(c.volumeDevices).forEach((d, i) => {
    const devicePath = `${path}.volumeDevices[${i}]`;
    if (!textAt(d.name)) causes.push(required(`${devicePath}.name`));
    else if (!ctx.volumes.has(textAt(d.name))) causes.push(notFound(`${devicePath}.name`, d.name));
    if (!textAt(d.devicePath)) causes.push(required(`${devicePath}.devicePath`));
  });
  causes.push(
    ...enumField(c.imagePullPolicy, `${path}.imagePullPolicy`, ["Always", "IfNotPresent", "Never"]),
  );
  causes.push(...validateResourceRequirements(c.resources, `${path}.resources`));
  return causes;
}

/** Required when empty, else one of the values (Kubernetes' enum checks). */
export function enumField(value: unknown, field: string, allowed: string[]): FieldCause[] {
  if (value === undefined || value === null || value === "") return [required(field)];
  return typeof value === "string" && allowed.includes(value)
    ? []
    : [notSupported(field, value, allowed)];
}

function validatePorts(ports: unknown, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const names = new Set<string>();
  objectsAt(ports).forEach((p, i) => {
    const path = `${field}[${i}]`;
    const name = textAt(p.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) causes.push(...msgs.map((m) => invalid(`${path}.name`, name, m)));
      else if (names.has(name)) causes.push(duplicate(`${path}.name`, name));
      else names.add(name);
    }
    const containerPort = numberAt(p.containerPort) ?? 0;
    if (containerPort === 0) causes.push(required(`${path}.containerPort`));
    else {
      causes.push(
        ...isValidPortNum(containerPort).map((m) =>
          invalid(`${path}.containerPort`, containerPort, m),
        ),
      );
    }
    const hostPort = numberAt(p.hostPort) ?? 0;
    if (hostPort !== 0) {
      causes.push(...isValidPortNum(hostPort).map((m) => invalid(`${path}.hostPort`, hostPort, m)));
    }
    const protocol = p.protocol;
    if (!protocol) causes.push(required(`${path}.protocol`));
    else if (typeof protocol !== "string" || !protocols.includes(protocol)) {
      causes.push(notSupported(`${path}.protocol`, protocol, protocols));
    }
  });
  return causes;
}

function validateVolumeMounts(mounts: unknown, field: string, volumes: Set<string>): FieldCause[] {
  const causes: FieldCause[] = [];
  const mountPoints = new Set<string>();
  objectsAt(mounts).forEach((m, i) => {
    const path = `${field}[${i}]`;
    const name = textAt(m.name);
    if (!name) causes.push(required(`${path}.name`));
    if (!volumes.has(name)) causes.push(notFound(`${path}.name`, name));
    const mountPath = textAt(m.mountPath);
    if (!mountPath) causes.push(required(`${path}.mountPath`));
    if (mountPoints.has(mountPath))
      causes.push(invalid(`${path}.mountPath`, mountPath, "must be unique"));
    mountPoints.add(mountPath);
    const subPath = textAt(m.subPath);
    if (subPath) causes.push(...localDescendingPath(subPath, `${path}.subPath`));
    if (subPath && textAt(m.subPathExpr)) {
      causes.push(
        invalid(
          `${path}.subPathExpr`,
          m.subPathExpr,
          "subPathExpr and subPath are mutually exclusive",
        ),
      );
    }
    const propagation = m.mountPropagation;
    if (propagation !== undefined && propagation !== null) {
      const allowed = ["Bidirectional", "HostToContainer", "None"];
      if (typeof propagation !== "string" || !allowed.includes(propagation)) {
        causes.push(notSupported(`${path}.mountPropagation`, propagation, allowed));
      }
    }
  });
  return causes;
}

/** A relative path that does not climb out of its root ("a/b", not "/a" or "../a"). */
export function localDescendingPath(target: string, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (target.startsWith("/")) causes.push(invalid(field, target, "must be a relative path"));
  if (target.split("/").includes(".."))
    causes.push(invalid(field, target, "must not contain '..'"));
  return causes;
}

/** The hostPort defaulting for hostNetwork pods makes the two equal; a mismatch is an error. */
export function validateHostNetworkPorts(containers: unknown, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  objectsAt(containers).forEach((c, i) => {
    objectsAt(c.ports).forEach((p, j) => {
      const hostPort = numberAt(p.hostPort) ?? 0;
      if (hostPort !== 0 && hostPort !== (numberAt(p.containerPort) ?? 0)) {
        causes.push(
          invalid(
            `${field}[${i}].ports[${j}].hostPort`,
            hostPort,
            "must match `containerPort` when `hostNetwork` is true",
          ),
        );
      }
    });
  });
  return causes;
}
