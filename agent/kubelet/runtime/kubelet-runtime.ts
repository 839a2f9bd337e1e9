import type { ContainerStatusRequest } from "../../../proto/gen/runtime/v1/ContainerStatusRequest.js";
import type { ContainerStatusResponse__Output } from "../../../proto/gen/runtime/v1/ContainerStatusResponse.js";
import type { CreateContainerRequest } from "../../../proto/gen/runtime/v1/CreateContainerRequest.js";
import type { CreateContainerResponse__Output } from "../../../proto/gen/runtime/v1/CreateContainerResponse.js";
import type { ExecSyncRequest } from "../../../proto/gen/runtime/v1/ExecSyncRequest.js";
import type { ExecSyncResponse__Output } from "../../../proto/gen/runtime/v1/ExecSyncResponse.js";
import type { ImageStatusRequest } from "../../../proto/gen/runtime/v1/ImageStatusRequest.js";
import type { ImageStatusResponse__Output } from "../../../proto/gen/runtime/v1/ImageStatusResponse.js";
import type { ListContainersRequest } from "../../../proto/gen/runtime/v1/ListContainersRequest.js";
import type { ListContainersResponse__Output } from "../../../proto/gen/runtime/v1/ListContainersResponse.js";
import type { ListPodSandboxRequest } from "../../../proto/gen/runtime/v1/ListPodSandboxRequest.js";
import type { ListPodSandboxResponse__Output } from "../../../proto/gen/runtime/v1/ListPodSandboxResponse.js";
import type { PodSandboxStatusRequest } from "../../../proto/gen/runtime/v1/PodSandboxStatusRequest.js";
import type { PodSandboxStatusResponse__Output } from "../../../proto/gen/runtime/v1/PodSandboxStatusResponse.js";
import type { PullImageRequest } from "../../../proto/gen/runtime/v1/PullImageRequest.js";
import type { PullImageResponse__Output } from "../../../proto/gen/runtime/v1/PullImageResponse.js";
import type { RemoveContainerRequest } from "../../../proto/gen/runtime/v1/RemoveContainerRequest.js";
import type { RemovePodSandboxRequest } from "../../../proto/gen/runtime/v1/RemovePodSandboxRequest.js";
import type { RunPodSandboxRequest } from "../../../proto/gen/runtime/v1/RunPodSandboxRequest.js";
import type { RunPodSandboxResponse__Output } from "../../../proto/gen/runtime/v1/RunPodSandboxResponse.js";
import type { StartContainerRequest } from "../../../proto/gen/runtime/v1/StartContainerRequest.js";
import type { StopContainerRequest } from "../../../proto/gen/runtime/v1/StopContainerRequest.js";
import type { StopPodSandboxRequest } from "../../../proto/gen/runtime/v1/StopPodSandboxRequest.js";

/**
 * The CRI calls the kubelet makes, with the CRI's request types in and its decoded response types
 * out (every field present, defaults filled, int64 as strings, enums as names) — what a gRPC
 * client of the agent's socket would see. Failures are BerthErrors (NotFound, InvalidArgument…).
 */
export interface KubeletRuntime {
  runPodSandbox(req: RunPodSandboxRequest): Promise<RunPodSandboxResponse__Output>;
  stopPodSandbox(req: StopPodSandboxRequest): Promise<void>;
  removePodSandbox(req: RemovePodSandboxRequest): Promise<void>;
  podSandboxStatus(req: PodSandboxStatusRequest): Promise<PodSandboxStatusResponse__Output>;
  listPodSandbox(req: ListPodSandboxRequest): Promise<ListPodSandboxResponse__Output>;
  createContainer(req: CreateContainerRequest): Promise<CreateContainerResponse__Output>;
  startContainer(req: StartContainerRequest): Promise<void>;
  stopContainer(req: StopContainerRequest): Promise<void>;
  removeContainer(req: RemoveContainerRequest): Promise<void>;
  containerStatus(req: ContainerStatusRequest): Promise<ContainerStatusResponse__Output>;
  listContainers(req: ListContainersRequest): Promise<ListContainersResponse__Output>;
  execSync(req: ExecSyncRequest): Promise<ExecSyncResponse__Output>;
  pullImage(req: PullImageRequest): Promise<PullImageResponse__Output>;
  imageStatus(req: ImageStatusRequest): Promise<ImageStatusResponse__Output>;
}
