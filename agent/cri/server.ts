import * as grpc from "@grpc/grpc-js";
import type { Logger } from "../../lib/logger.js";
import type { ImageServiceHandlers } from "../../proto/gen/runtime/v1/ImageService.js";
import type { RuntimeServiceHandlers } from "../../proto/gen/runtime/v1/RuntimeService.js";
import type { ImageStore } from "../images/image-store.js";
import { unary } from "./handler.js";
import { imageFsInfo } from "./image/image-fs-info.js";
import { imageStatus } from "./image/image-status.js";
import { listImages } from "./image/list-images.js";
import { removeImage } from "./image/remove-image.js";
import { loadCri } from "./proto.js";
import { status, type StatusDeps } from "./runtime/status.js";
import { version } from "./runtime/version.js";

export interface CriDeps {
  images: ImageStore;
  status: StatusDeps;
  logger: Logger;
}

/**
 * The CRI v1 RuntimeService and ImageService. RPCs without a handler here answer UNIMPLEMENTED
 * (grpc-js's default), until the issue that builds them.
 */
export function createCriServer(deps: CriDeps): grpc.Server {
  const cri = loadCri();
  const { logger } = deps;
  const server = new grpc.Server({
    "grpc.max_receive_message_length": 16 * 1024 * 1024,
    "grpc.max_send_message_length": 16 * 1024 * 1024,
  });
  const runtime: Partial<RuntimeServiceHandlers> = {
    Version: unary("Version", logger, version),
    Status: unary("Status", logger, (req) => status(deps.status, req)),
  };
  const images: Partial<ImageServiceHandlers> = {
    ListImages: unary("ListImages", logger, (req) => listImages(deps.images, req)),
    ImageStatus: unary("ImageStatus", logger, (req) => imageStatus(deps.images, req)),
    RemoveImage: unary("RemoveImage", logger, (req) => removeImage(deps.images, req)),
    ImageFsInfo: unary("ImageFsInfo", logger, () => imageFsInfo(deps.images)),
  };
  server.addService(cri.RuntimeService.service, runtime as RuntimeServiceHandlers);
  server.addService(cri.ImageService.service, images as ImageServiceHandlers);
  return server;
}
