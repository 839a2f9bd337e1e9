import * as grpc from "@grpc/grpc-js";
import type { Logger } from "../../lib/logger.js";
import type { ImageServiceHandlers } from "../../proto/gen/runtime/v1/ImageService.js";
import type { RuntimeServiceHandlers } from "../../proto/gen/runtime/v1/RuntimeService.js";
import type { ImageStore } from "../images/image-store.js";
import { unaryWith } from "./handler.js";
import type { GrpcServerMetrics } from "./metrics/grpc-server-metrics.js";
import { imageFsInfo } from "./image/image-fs-info.js";
import { imageStatus } from "./image/image-status.js";
import { listImages } from "./image/list-images.js";
import { pullImage, type PullImageDeps } from "./image/pull-image.js";
import { removeImage } from "./image/remove-image.js";
import { loadCri } from "./proto.js";
import { status, type StatusDeps } from "./runtime/status.js";
import { version } from "./runtime/version.js";
import type { RuntimeDeps } from "../runtime/runtime-deps.js";
import { containerStatus } from "./runtime/container-status.js";
import { createContainer } from "./runtime/create-container.js";
import { execSync } from "./runtime/exec-sync.js";
import { exec } from "./runtime/exec.js";
import { attach } from "./runtime/attach.js";
import { portForward } from "./runtime/port-forward.js";
import type { CriStreaming } from "./streaming/cri-stream-request.js";
import { reopenContainerLog } from "./runtime/reopen-container-log.js";
import { listContainers } from "./runtime/list-containers.js";
import { listPodSandbox } from "./runtime/list-pod-sandbox.js";
import { podSandboxStatus } from "./runtime/pod-sandbox-status.js";
import { removeContainer } from "./runtime/remove-container.js";
import { removePodSandbox } from "./runtime/remove-pod-sandbox.js";
import { runPodSandbox } from "./runtime/run-pod-sandbox.js";
import { startContainer } from "./runtime/start-container.js";
import { stopContainer } from "./runtime/stop-container.js";
import { stopPodSandbox } from "./runtime/stop-pod-sandbox.js";
import { updateContainerResources } from "./runtime/update-container-resources.js";
import { containerStats } from "./runtime/container-stats.js";
import { listContainerStats } from "./runtime/list-container-stats.js";
import { podSandboxStats } from "./runtime/pod-sandbox-stats.js";
import { listPodSandboxStats } from "./runtime/list-pod-sandbox-stats.js";

export interface CriDeps {
  images: ImageStore;
  runtime: RuntimeDeps;
  status: StatusDeps;
  logger: Logger;
  pull: PullImageDeps;
  /** Hands out the URLs Exec, Attach and PortForward answer with. */
  streaming: CriStreaming;
  /** Counts and times every RPC by method and code (grpc_server_*), when given. */
  rpcMetrics?: GrpcServerMetrics;
}

/**
 * The CRI v1 RuntimeService and ImageService. RPCs without a handler here answer UNIMPLEMENTED
 * (grpc-js's default), until the issue that builds them.
 */
export function createCriServer(deps: CriDeps): grpc.Server {
  const cri = loadCri();
  const { logger } = deps;
  const unary = unaryWith(deps.rpcMetrics);
  const server = new grpc.Server({
    "grpc.max_receive_message_length": 16 * 1024 * 1024,
    "grpc.max_send_message_length": 16 * 1024 * 1024,
  });
  const rt = deps.runtime;
  const runtime: Partial<RuntimeServiceHandlers> = {
    Version: unary("Version", logger, version),
    Status: unary("Status", logger, (req) => status(deps.status, req)),
    RunPodSandbox: unary("RunPodSandbox", logger, (req) => runPodSandbox(rt, req)),
    StopPodSandbox: unary("StopPodSandbox", logger, (req) => stopPodSandbox(rt, req)),
    RemovePodSandbox: unary("RemovePodSandbox", logger, (req) => removePodSandbox(rt, req)),
    PodSandboxStatus: unary("PodSandboxStatus", logger, (req) => podSandboxStatus(rt, req)),
    ListPodSandbox: unary("ListPodSandbox", logger, (req) => listPodSandbox(rt, req)),
    CreateContainer: unary("CreateContainer", logger, (req) => createContainer(rt, req)),
    StartContainer: unary("StartContainer", logger, (req) => startContainer(rt, req)),
    StopContainer: unary("StopContainer", logger, (req) => stopContainer(rt, req)),
    RemoveContainer: unary("RemoveContainer", logger, (req) => removeContainer(rt, req)),
    ListContainers: unary("ListContainers", logger, (req) => listContainers(rt, req)),
    ContainerStatus: unary("ContainerStatus", logger, (req) => containerStatus(rt, req)),
    ExecSync: unary("ExecSync", logger, (req) => execSync(rt, req)),
    Exec: unary("Exec", logger, (req) => exec(rt, deps.streaming, req)),
    Attach: unary("Attach", logger, (req) => attach(rt, deps.streaming, req)),
    PortForward: unary("PortForward", logger, (req) => portForward(rt, deps.streaming, req)),
    ReopenContainerLog: unary("ReopenContainerLog", logger, (req) => reopenContainerLog(rt, req)),
    UpdateContainerResources: unary("UpdateContainerResources", logger, (req) =>
      updateContainerResources(rt, req),
    ),
    ContainerStats: unary("ContainerStats", logger, (req) => containerStats(rt, req)),
    ListContainerStats: unary("ListContainerStats", logger, (req) => listContainerStats(rt, req)),
    PodSandboxStats: unary("PodSandboxStats", logger, (req) => podSandboxStats(rt, req)),
    ListPodSandboxStats: unary("ListPodSandboxStats", logger, (req) =>
      listPodSandboxStats(rt, req),
    ),
  };
  const images: Partial<ImageServiceHandlers> = {
    ListImages: unary("ListImages", logger, (req) => listImages(deps.images, req)),
    ImageStatus: unary("ImageStatus", logger, (req) => imageStatus(deps.images, req)),
    PullImage: unary("PullImage", logger, (req) => pullImage(deps.pull, req)),
    RemoveImage: unary("RemoveImage", logger, (req) => removeImage(deps.images, req)),
    ImageFsInfo: unary("ImageFsInfo", logger, () => imageFsInfo(deps.images)),
  };
  server.addService(cri.RuntimeService.service, runtime as RuntimeServiceHandlers);
  server.addService(cri.ImageService.service, images as ImageServiceHandlers);
  return server;
}
