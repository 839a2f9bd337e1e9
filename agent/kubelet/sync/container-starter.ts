import type { Pod } from "../../kube/types.js";
import type { PodSandboxConfig } from "../../../proto/gen/runtime/v1/PodSandboxConfig.js";
import { containerBackoffKey, goDuration } from "./backoff.js";
import type { ContainerReason } from "./container-statuses.js";
import { killContainer } from "./container-killer.js";
import { ImagePullError } from "./image-puller.js";
import type { ContainerToStart } from "./pod-actions.js";
import { formatPod } from "./restart-rules.js";
import { latestContainer, type RuntimePod } from "./runtime-pod.js";
import { containerRef, errorMessage, recordAll, type SyncDeps } from "./sync-deps.js";
import type { HostVolume } from "./sync-ports.js";

export interface StartContext {
  pod: Pod;
  state: RuntimePod;
  sandboxId: string;
  sandboxConfig: PodSandboxConfig;
  podIPs: string[];
  volumes: ReadonlyMap<string, HostVolume>;
  /** Why each container's last start failed; a successful start clears its entry. */
  reasons: Map<string, ContainerReason>;
}

export type StartOutcome = { started: true } | { started: false; retryAt?: number };

/**
 * kubelet's startContainer for one container: honour the crash-loop back-off, make sure of the
 * image, build the config, create, start, run postStart. Each failure becomes the container's
 * waiting reason (CrashLoopBackOff, ErrImagePull, CreateContainerConfigError,
 * CreateContainerError, RunContainerError, PostStartHookError) with an event.
 */
export async function startContainer(
  deps: SyncDeps,
  ctx: StartContext,
  toStart: ContainerToStart,
): Promise<StartOutcome> {
  const { pod, reasons } = ctx;
  const { container } = toStart;
  const ref = containerRef(pod, container);
  const fail = (reason: string, message: string, event = true): StartOutcome => {
    reasons.set(container.name, { reason, message });
    if (event) deps.api.recordEvent(ref, "Warning", "Failed", `Error: ${message}`);
    return { started: false };
  };
  const key = containerBackoffKey(pod.metadata?.uid ?? "", container.name);
  if (toStart.backOff) {
    const message = `back-off ${goDuration(toStart.backOff.delayMs)} restarting failed container=${container.name} pod=${formatPod(pod)}`;
    deps.api.recordEvent(
      ref,
      "Warning",
      "BackOff",
      `Back-off restarting failed container ${container.name} in pod ${formatPod(pod)}`,
    );
    reasons.set(container.name, { reason: "CrashLoopBackOff", message });
    return { started: false, retryAt: toStart.backOff.readyAt };
  }
  if (toStart.lastExit) {
    deps.crashBackoff.next(key, toStart.lastExit.finishedAt ?? toStart.lastExit.createdAt);
  }
  let image;
  try {
    image = await deps.images.ensure(pod, container, ref);
  } catch (err) {
    if (err instanceof ImagePullError) return fail(err.reason, err.message, false);
    return fail("ErrImagePull", errorMessage(err));
  }
  const latest = latestContainer(ctx.state, container.name);
  const restartCount = latest ? latest.restartCount + 1 : 0;
  let config;
  try {
    const made = await deps.spec.containerConfig(pod, container, {
      restartCount,
      imageRef: image.imageRef,
      imageUser: image.imageUser,
      podIPs: ctx.podIPs,
      volumes: ctx.volumes,
    });
    recordAll(deps, ref, made.events);
    config = made.config;
  } catch (err) {
    return fail("CreateContainerConfigError", errorMessage(err));
  }
  let id: string;
  try {
    const res = await deps.runtime.createContainer({
      pod_sandbox_id: ctx.sandboxId,
      config,
      sandbox_config: ctx.sandboxConfig,
    });
    id = res.container_id;
  } catch (err) {
    return fail("CreateContainerError", errorMessage(err));
  }
  deps.api.recordEvent(ref, "Normal", "Created", `Created container: ${container.name}`);
  try {
    await deps.runtime.startContainer({ container_id: id });
  } catch (err) {
    return fail("RunContainerError", errorMessage(err));
  }
  deps.api.recordEvent(ref, "Normal", "Started", `Started container ${container.name}`);
  if (container.lifecycle?.postStart) {
    try {
      await deps.hooks.runPostStart(pod, container, id);
    } catch (err) {
      const message = errorMessage(err);
      deps.api.recordEvent(ref, "Warning", "FailedPostStartHook", message);
      await killContainer(deps, pod, {
        containerId: id,
        name: container.name,
        container,
        graceSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30,
        message: `FailedPostStartHook`,
      });
      return fail("PostStartHookError", message, false);
    }
  }
  reasons.delete(container.name);
  return { started: true };
}
