import { promises as fs } from "node:fs";
import path from "node:path";
import {
  alreadyExists,
  failedPrecondition,
  invalidArgument,
  notFound,
} from "../../../lib/errors.js";
import type { ContainerConfig__Output } from "../../../proto/gen/runtime/v1/ContainerConfig.js";
import { chainIds } from "../../images/digest.js";
import { writeFileAtomic } from "../../images/atomic-file.js";
import type { ImageRecord } from "../../images/image-records.js";
import { buildSpec } from "../oci/build-spec.js";
import type { ImageRunConfig, JoinedNamespaces } from "../oci/spec-input.js";
import { conmonCreate } from "../oci-runtime/conmon.js";
import { isHolderAlive, pidNamespacePath } from "../sandbox/pid-holder.js";
import { newId } from "../ids.js";
import { nowNanos, type ContainerRecord, type SandboxRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { removeContainer } from "./remove-container.js";
import { mountRootfs } from "./rootfs.js";

/**
 * Creates a container in a ready pod: holds its image's snapshots, mounts its root (image
 * snapshots + its own writable layer), writes the OCI spec, and has conmon run `runc create`.
 * The record comes first ("creating"), so a crash mid-way is rolled back by recovery.
 */
export async function createContainer(
  deps: RuntimeDeps,
  sandbox: SandboxRecord,
  config: ContainerConfig__Output,
): Promise<ContainerRecord> {
  const meta = config.metadata;
  if (!meta?.name)
    throw invalidArgument("config.metadata.name must be set", { field: "config.metadata.name" });
  if (sandbox.state !== "ready") {
    throw failedPrecondition(`pod sandbox ${sandbox.id} is not ready`, { field: "pod_sandbox_id" });
  }
  const taken = deps.containers
    .list()
    .find(
      (c) =>
        c.sandboxId === sandbox.id &&
        c.metadata.name === meta.name &&
        c.metadata.attempt === meta.attempt,
    );
  if (taken) {
    throw alreadyExists(
      `container ${meta.name} (attempt ${meta.attempt}) exists in the pod: ${taken.id}`,
      {
        field: "config.metadata",
      },
    );
  }
  const imageRef = config.image?.image ?? "";
  if (imageRef === "")
    throw invalidArgument("config.image.image must be set", { field: "config.image.image" });
  const image = await deps.images.find(imageRef);
  if (!image)
    throw notFound(`image ${JSON.stringify(imageRef)} is not present`, {
      field: "config.image.image",
    });

  const id = newId();
  const logPath =
    sandbox.config.log_directory && config.log_path
      ? path.join(sandbox.config.log_directory, config.log_path)
      : "";
  const imageConfig = await imageRunConfig(deps, image);
  const record = await deps.containers.put({
    id,
    sandboxId: sandbox.id,
    state: "creating",
    metadata: meta,
    imageRef,
    imageId: image.id,
    labels: config.labels,
    annotations: config.annotations,
    mounts: config.mounts,
    logPath,
    cgroup: `${sandbox.cgroup}/${id}`,
    stopSignal:
      config.stop_signal && config.stop_signal !== "RUNTIME_DEFAULT"
        ? config.stop_signal
        : imageConfig.StopSignal || "SIGTERM",
    stdin: config.stdin,
    stdinOnce: config.stdin_once,
    tty: config.tty,
    createdAt: nowNanos(),
  });
  try {
    await deps.images.retain(id, image);
    const rootfs = deps.paths.rootfs(id);
    await mountRootfs({
      lowers: deps.images.snapshots.lowerDirs(chainIds(image.diffIds)),
      upper: deps.paths.containerUpper(id),
      work: deps.paths.containerWork(id),
      target: rootfs,
    });
    const spec = buildSpec({
      containerId: id,
      sandboxId: sandbox.id,
      sandbox: sandbox.config,
      container: config,
      image: imageConfig,
      rootfs,
      cgroupsPath: record.cgroup,
      namespaces: joinedNamespaces(deps, sandbox, config),
      sandboxFiles: sandbox.files,
      seccompAvailable: true,
    });
    await writeFileAtomic(path.join(deps.paths.bundle(id), "config.json"), JSON.stringify(spec));
    if (logPath) await fs.mkdir(path.dirname(logPath), { recursive: true, mode: 0o755 });
    const pid = await conmonCreate(deps.conmon, {
      id,
      name: `${meta.name}_${meta.attempt}`,
      bundle: deps.paths.bundle(id),
      logPath: logPath || undefined,
      exitDir: deps.paths.exits,
      persistDir: deps.paths.conmonPersist(id),
      socketDir: deps.paths.conmonSockets,
      runtime: deps.runc.binary,
      runtimeRoot: deps.runc.root,
      stdin: config.stdin,
      stdinOnce: config.stdin_once,
      tty: config.tty,
    });
    return await deps.containers.update(id, { state: "created", pid });
  } catch (err) {
    await removeContainer(deps, deps.containers.get(id) ?? record).catch((cleanup: unknown) =>
      deps.logger.error("cleanup of a failed container failed", {
        container: id,
        error: String(cleanup),
      }),
    );
    throw err;
  }
}

async function imageRunConfig(deps: RuntimeDeps, image: ImageRecord): Promise<ImageRunConfig> {
  const config = JSON.parse(
    (await deps.images.content.read(image.config.digest)).toString("utf8"),
  ) as {
    config?: ImageRunConfig;
  };
  return config.config ?? {};
}

/** The pod's pinned namespaces, or for PID another container's, by path. */
function joinedNamespaces(
  deps: RuntimeDeps,
  sandbox: SandboxRecord,
  config: ContainerConfig__Output,
): JoinedNamespaces {
  const joined: JoinedNamespaces = { ...sandbox.namespaces, network: sandbox.namespaces.net };
  delete (joined as { net?: string }).net;
  const pidMode = config.linux?.security_context?.namespace_options?.pid;
  if (pidMode === "POD") {
    if (!sandbox.pidHolder || !isHolderAlive(sandbox.pidHolder)) {
      throw failedPrecondition(
        `pod sandbox ${sandbox.id} has no shared PID namespace (run it with pid: POD)`,
        {
          field: "config.linux.security_context.namespace_options.pid",
        },
      );
    }
    joined.pid = pidNamespacePath(sandbox.pidHolder);
  } else if (pidMode === "TARGET") {
    const targetId = config.linux?.security_context?.namespace_options?.target_id ?? "";
    const target = deps.containers.get(targetId);
    if (!target || target.sandboxId !== sandbox.id || target.state !== "running" || !target.pid) {
      throw failedPrecondition(
        `target container ${JSON.stringify(targetId)} is not running in this pod`,
        {
          field: "config.linux.security_context.namespace_options.target_id",
        },
      );
    }
    joined.pid = `/proc/${target.pid}/ns/pid`;
  }
  return joined;
}
