import fs from "node:fs";
import { errnoCode, failedPrecondition, invalidArgument } from "../../../lib/errors.js";
import type { LinuxContainerSecurityContext__Output } from "../../../proto/gen/runtime/v1/LinuxContainerSecurityContext.js";
import type { OciSeccomp } from "./oci-spec.js";
import { defaultSeccompProfile } from "./seccomp-default.js";
import type { SeccompContext } from "./seccomp-conditions.js";
import { convertSeccompProfile } from "./seccomp-convert.js";

const scField = "config.linux.security_context";

/** Which profile the CRI asks for, from `seccomp` or else the legacy `seccomp_profile_path`. */
export type SeccompChoice =
  | { kind: "unconfined" }
  | { kind: "runtime-default" }
  | { kind: "localhost"; path: string; field: string };

export function seccompChoice(
  sc: LinuxContainerSecurityContext__Output | null | undefined,
): SeccompChoice {
  const profile = sc?.seccomp;
  if (profile) {
    const field = `${scField}.seccomp`;
    const ref = profile.localhost_ref ?? "";
    if (profile.profile_type !== "Localhost" && ref !== "") {
      throw invalidArgument(
        `${field}.localhost_ref: set, but profile_type is ${profile.profile_type}`,
        {
          field: `${field}.localhost_ref`,
        },
      );
    }
    switch (profile.profile_type) {
      case "Unconfined":
        return { kind: "unconfined" };
      case "Localhost":
        return {
          kind: "localhost",
          path: ref.replace(/^localhost\//, ""),
          field: `${field}.localhost_ref`,
        };
      default:
        return { kind: "runtime-default" };
    }
  }
  // The legacy field: "" means unconfined (as in containerd without unset_seccomp_profile).
  const legacy = sc?.seccomp_profile_path ?? "";
  const field = `${scField}.seccomp_profile_path`;
  if (legacy === "" || legacy === "unconfined") return { kind: "unconfined" };
  if (legacy === "runtime/default" || legacy === "docker/default")
    return { kind: "runtime-default" };
  if (legacy.startsWith("localhost/"))
    return { kind: "localhost", path: legacy.slice("localhost/".length), field };
  throw invalidArgument(
    `${field}: ${JSON.stringify(legacy)} is not "runtime/default", "docker/default", "unconfined" or "localhost/<path>"`,
    { field },
  );
}

/**
 * linux.seccomp for a container, or undefined for none. Privileged containers get none whatever
 * was asked. Where the node has no seccomp, only Unconfined is possible.
 */
export function containerSeccomp(
  sc: LinuxContainerSecurityContext__Output | null | undefined,
  ctx: SeccompContext,
  seccompAvailable: boolean,
): OciSeccomp | undefined {
  if (sc?.privileged) return undefined;
  const choice = seccompChoice(sc);
  if (choice.kind === "unconfined") return undefined;
  if (!seccompAvailable) {
    throw failedPrecondition(
      "this node's OCI runtime has no seccomp support; only Unconfined is possible",
      {
        field: `${scField}.seccomp`,
      },
    );
  }
  if (choice.kind === "runtime-default") return defaultSeccompProfile(ctx);
  return convertSeccompProfile(
    loadProfile(choice.path, choice.field),
    ctx,
    choice.path,
    choice.field,
  );
}

function loadProfile(path: string, field: string): unknown {
  if (!path.startsWith("/")) {
    throw invalidArgument(
      `${field}: seccomp profile ${JSON.stringify(path)} is not an absolute path`,
      { field },
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (err) {
    throw invalidArgument(
      `${field}: cannot read seccomp profile ${path} (${errnoCode(err) ?? String(err)})`,
      {
        field,
        cause: err,
      },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw invalidArgument(
      `${field}: seccomp profile ${path} is not valid JSON: ${(err as Error).message}`,
      {
        field,
        cause: err,
      },
    );
  }
}
