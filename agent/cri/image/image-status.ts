import type { ImageStatusRequest__Output } from "../../../proto/gen/runtime/v1/ImageStatusRequest.js";
import type { ImageStatusResponse } from "../../../proto/gen/runtime/v1/ImageStatusResponse.js";
import type { ImageStore } from "../../images/image-store.js";
import { toCriImage } from "./cri-image.js";
import { requiredImageRef } from "./image-ref.js";

/** An absent image is not an error: the response simply has no image (the kubelet pulls then). */
export async function imageStatus(
  store: ImageStore,
  request: ImageStatusRequest__Output,
): Promise<ImageStatusResponse> {
  const image = await store.find(requiredImageRef(request.image));
  if (!image) return { image: null, info: {} };
  const info: Record<string, string> = request.verbose ? { info: JSON.stringify(image) } : {};
  return { image: toCriImage(image), info };
}
