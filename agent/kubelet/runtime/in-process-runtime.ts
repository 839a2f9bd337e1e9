import type { CriDeps } from "../../cri/server.js";
import { imageStatus } from "../../cri/image/image-status.js";
import { pullImage } from "../../cri/image/pull-image.js";
import { containerStatus } from "../../cri/runtime/container-status.js";
import { createContainer } from "../../cri/runtime/create-container.js";
import { execSync } from "../../cri/runtime/exec-sync.js";
import { listContainers } from "../../cri/runtime/list-containers.js";
import { listPodSandbox } from "../../cri/runtime/list-pod-sandbox.js";
import { podSandboxStatus } from "../../cri/runtime/pod-sandbox-status.js";
import { removeContainer } from "../../cri/runtime/remove-container.js";
import { removePodSandbox } from "../../cri/runtime/remove-pod-sandbox.js";
import { runPodSandbox } from "../../cri/runtime/run-pod-sandbox.js";
import { startContainer } from "../../cri/runtime/start-container.js";
import { stopContainer } from "../../cri/runtime/stop-container.js";
import { stopPodSandbox } from "../../cri/runtime/stop-pod-sandbox.js";
import {
  instrumentedRuntime,
  type RuntimeOperationMetrics,
} from "../metrics/runtime-operations.js";
import { criMethodCodec, type CriService } from "./cri-codec.js";
import type { KubeletRuntime } from "./kubelet-runtime.js";

/** The subset of the agent's CRI dependencies the kubelet's calls need. */
export type InProcessCriDeps = Pick<CriDeps, "runtime" | "images" | "pull">;

/**
 * The kubelet's runtime without a gRPC hop: each call runs the agent's own CRI handler, with the
 * request and the response passed through the protobuf codec the socket uses, so the handlers
 * see exactly what a gRPC client would send (defaults, int64 strings, enum names) and the
 * kubelet exactly what it would receive. Handler errors pass through unchanged. With
 * `operations`, every call is counted and timed as kubelet's instrumented runtime service does.
 */
export function inProcessRuntime(
  deps: InProcessCriDeps,
  operations?: RuntimeOperationMetrics,
): KubeletRuntime {
  const rt = deps.runtime;
  const runtime: KubeletRuntime = {
    runPodSandbox: call("RuntimeService", "RunPodSandbox", runPodSandbox, rt),
    stopPodSandbox: empty("RuntimeService", "StopPodSandbox", stopPodSandbox, rt),
    removePodSandbox: empty("RuntimeService", "RemovePodSandbox", removePodSandbox, rt),
    podSandboxStatus: call("RuntimeService", "PodSandboxStatus", podSandboxStatus, rt),
    listPodSandbox: call("RuntimeService", "ListPodSandbox", listPodSandbox, rt),
    createContainer: call("RuntimeService", "CreateContainer", createContainer, rt),
    startContainer: empty("RuntimeService", "StartContainer", startContainer, rt),
    stopContainer: empty("RuntimeService", "StopContainer", stopContainer, rt),
    removeContainer: empty("RuntimeService", "RemoveContainer", removeContainer, rt),
    containerStatus: call("RuntimeService", "ContainerStatus", containerStatus, rt),
    listContainers: call("RuntimeService", "ListContainers", listContainers, rt),
    execSync: call("RuntimeService", "ExecSync", execSync, rt),
    pullImage: call("ImageService", "PullImage", pullImage, deps.pull),
    imageStatus: call("ImageService", "ImageStatus", imageStatus, deps.images),
  };
  return operations ? instrumentedRuntime(runtime, operations) : runtime;
}

/** Wraps a CRI handler: the request decoded as the server would, the response as a client would. */
function call<D, Req, Res>(
  service: CriService,
  method: string,
  handler: (deps: D, req: Req) => Promise<unknown>,
  deps: D,
): (req: object) => Promise<Res> {
  const codec = criMethodCodec(service, method);
  return async (req) => codec.response<Res>(await handler(deps, codec.request<Req>(req)));
}

function empty<D, Req>(
  service: CriService,
  method: string,
  handler: (deps: D, req: Req) => Promise<unknown>,
  deps: D,
): (req: object) => Promise<void> {
  const wrapped = call<D, Req, unknown>(service, method, handler, deps);
  return async (req) => {
    await wrapped(req);
  };
}
