import type { FieldCause } from "../kube-object.js";
import { listAt, numberAt, objectAt, objectsAt, textAt } from "../json-access.js";
import { forbidden, invalid, notSupported, required } from "./field-causes.js";
import { isValidPortName, isValidPortNum, nonNegativeError, regexError } from "./name-formats.js";

const handlerKinds = ["exec", "httpGet", "tcpSocket", "grpc", "sleep"] as const;

/** An int-or-string port: a number 1–65535 or an IANA port name. */
export function validatePortNumOrName(port: unknown, field: string): FieldCause[] {
  if (typeof port === "number") return isValidPortNum(port).map((m) => invalid(field, port, m));
  if (typeof port === "string") return isValidPortName(port).map((m) => invalid(field, port, m));
  return [invalid(field, port ?? null, "must be an integer or a port name")];
}

/** Exactly one handler (exec, httpGet, tcpSocket, grpc or sleep), each well formed. */
export function validateHandler(handler: Record<string, unknown>, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  let count = 0;
  for (const kind of handlerKinds) {
    if (handler[kind] === undefined || handler[kind] === null) continue;
    const path = `${field}.${kind}`;
    if (count > 0) {
      causes.push(forbidden(path, "may not specify more than 1 handler type"));
      continue;
    }
    count++;
    const action = objectAt(handler[kind]) ?? {};
    if (kind === "exec" && listAt(action.command).length === 0) {
      causes.push(required(`${path}.command`));
    } else if (kind === "httpGet") {
      causes.push(...validateHttpGet(action, path));
    } else if (kind === "tcpSocket") {
      causes.push(...validatePortNumOrName(action.port, `${path}.port`));
    } else if (kind === "grpc") {
      const port = numberAt(action.port) ?? 0;
      causes.push(...isValidPortNum(port).map((m) => invalid(`${path}.port`, port, m)));
    } else if (kind === "sleep") {
      const seconds = numberAt(action.seconds) ?? 0;
      if (seconds < 0) causes.push(invalid(`${path}.seconds`, seconds, nonNegativeError));
    }
  }
  if (count === 0) causes.push(required(field, "must specify a handler type"));
  return causes;
}

function validateHttpGet(action: Record<string, unknown>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!textAt(action.path)) causes.push(required(`${path}.path`));
  causes.push(...validatePortNumOrName(action.port, `${path}.port`));
  const scheme = textAt(action.scheme);
  if (scheme !== "HTTP" && scheme !== "HTTPS") {
    causes.push(notSupported(`${path}.scheme`, scheme, ["HTTP", "HTTPS"]));
  }
  for (const header of objectsAt(action.httpHeaders)) {
    const name = textAt(header.name);
    if (!/^[-A-Za-z0-9]+$/.test(name)) {
      causes.push(
        invalid(
          `${path}.httpHeaders`,
          name,
          regexError(
            "a valid HTTP header must consist of alphanumeric characters or '-'",
            "[-A-Za-z0-9]+",
            "X-Header-Name",
          ),
        ),
      );
    }
  }
  return causes;
}

/** validateProbe, plus "successThreshold must be 1" for liveness and startup probes. */
export function validateProbe(
  probe: unknown,
  field: string,
  kind: "liveness" | "readiness" | "startup",
): FieldCause[] {
  const p = objectAt(probe);
  if (!p) return [];
  const causes = validateHandler(p, field);
  for (const key of [
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
  ]) {
    const value = numberAt(p[key]);
    if (value !== undefined && value < 0) {
      causes.push(invalid(`${field}.${key}`, value, nonNegativeError));
    }
  }
  const grace = numberAt(p.terminationGracePeriodSeconds);
  if (grace !== undefined && grace <= 0) {
    causes.push(invalid(`${field}.terminationGracePeriodSeconds`, grace, "must be greater than 0"));
  }
  const success = numberAt(p.successThreshold);
  if (kind !== "readiness" && success !== undefined && success !== 1) {
    causes.push(invalid(`${field}.successThreshold`, success, "must be 1"));
  }
  return causes;
}

/** postStart and preStop handlers. */
export function validateLifecycle(lifecycle: unknown, field: string): FieldCause[] {
  const lc = objectAt(lifecycle);
  if (!lc) return [];
  const causes: FieldCause[] = [];
  for (const hook of ["postStart", "preStop"]) {
    const handler = objectAt(lc[hook]);
    if (handler) causes.push(...validateHandler(handler, `${field}.${hook}`));
  }
  return causes;
}
