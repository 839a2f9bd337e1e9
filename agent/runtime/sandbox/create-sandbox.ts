import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { alreadyExists, invalidArgument } from "../../../lib/errors.js";
import type { PodSandboxConfig__Output } from "../../../proto/gen/runtime/v1/PodSandboxConfig.js";
import { newId } from "../ids.js";
import { nowNanos, type SandboxRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { startPidHolder } from "./pid-holder.js";
import { pinNamespaces } from "./pinned-namespaces.js";
import { removeSandbox } from "./remove-sandbox.js";
import { writeSandboxFiles } from "./sandbox-files.js";
import { podSysctls, type NamespaceKind } from "./sysctls.js";

/**
 * Makes a pod ready: pinned network/IPC/UTS namespaces (unless it uses the host's), hostname,
 * loopback, sysctls, hosts and resolv.conf, its cgroup and log directory. The record is written
 * first (state "creating"), so a crash mid-way is cleaned up by recovery; a failure here is
 * cleaned up at once.
 */
export async function createSandbox(
  deps: RuntimeDeps,
  config: PodSandboxConfig__Output,
  runtimeHandler: string,
): Promise<SandboxRecord> {
  const meta = config.metadata;
  if (!meta?.name)
    throw invalidArgument("config.metadata.name must be set", { field: "config.metadata.name" });
  const duplicate = deps.sandboxes
    .list()
    .find(
      (s) =>
        s.config.metadata?.name === meta.name &&
        s.config.metadata?.namespace === meta.namespace &&
        s.config.metadata?.uid === meta.uid &&
        s.config.metadata?.attempt === meta.attempt,
    );
  if (duplicate) {
    throw alreadyExists(
      `pod sandbox ${meta.namespace}/${meta.name} (attempt ${meta.attempt}) exists: ${duplicate.id}`,
      {
        field: "config.metadata",
      },
    );
  }
  const nsOptions = config.linux?.security_context?.namespace_options;
  const hostNetwork = nsOptions?.network === "NODE";
  const hostIpc = nsOptions?.ipc === "NODE";
  const owned = new Set<NamespaceKind>([
    ...(hostNetwork ? [] : (["net", "uts"] as const)),
    ...(hostIpc ? [] : (["ipc"] as const)),
  ]);
  const sysctls = podSysctls(config.linux?.sysctls ?? {}, owned);
  const id = newId();
  const parent = config.linux?.cgroup_parent || "";
  if (parent !== "" && !parent.startsWith("/")) {
    throw invalidArgument("linux.cgroup_parent must be an absolute cgroup path", {
      field: "config.linux.cgroup_parent",
    });
  }
  const cgroup = parent || `${deps.cgroupParent}/${id}`;
  const hostname = hostNetwork ? os.hostname() : config.hostname || meta.name;
  const namespaces: SandboxRecord["namespaces"] = {};
  for (const kind of owned) namespaces[kind] = deps.paths.namespacePin(id, kind);

  const record = await deps.sandboxes.put({
    id,
    state: "creating",
    createdAt: nowNanos(),
    config,
    namespaces,
    files: { hostname: "", hosts: "", resolvConf: "" },
    cgroup,
    ownsCgroup: !(await deps.cgroups.exists(cgroup)),
    runtimeHandler,
  });
  try {
    await pinNamespaces({ ...namespaces, hostname, sysctls });
    if (nsOptions?.pid === "POD") {
      await deps.sandboxes.update(id, { pidHolder: await startPidHolder() });
    }
    const files = await writeSandboxFiles(path.join(deps.paths.sandboxRun(id), "files"), {
      hostname,
      dns: config.dns_config,
      hostNetwork,
    });
    if (record.ownsCgroup) await deps.cgroups.create(cgroup);
    if (config.log_directory)
      await fs.mkdir(config.log_directory, { recursive: true, mode: 0o755 });
    if (!hostNetwork) await attachNetwork(deps, id);
    return await deps.sandboxes.update(id, { state: "ready", files });
  } catch (err) {
    await removeSandbox(deps, deps.sandboxes.get(id) ?? record).catch((cleanup: unknown) =>
      deps.logger.error("cleanup of a failed sandbox failed", {
        sandbox: id,
        error: String(cleanup),
      }),
    );
    throw err;
  }
}

async function attachNetwork(deps: RuntimeDeps, id: string): Promise<void> {
  const attaching = await deps.sandboxes.update(id, { network: { state: "attaching", ips: [] } });
  const ips = await deps.network.attach(attaching);
  await deps.sandboxes.update(id, { network: { state: "attached", ips } });
}
