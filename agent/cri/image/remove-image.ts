import type { RemoveImageRequest__Output } from "../../../proto/gen/runtime/v1/RemoveImageRequest.js";
import type { RemoveImageResponse } from "../../../proto/gen/runtime/v1/RemoveImageResponse.js";
import type { ImageStore } from "../../images/image-store.js";
import { requiredImageRef } from "./image-ref.js";

/** Removes the image with all its tags; removing an absent image succeeds (CRI idempotence). */
export async function removeImage(
  store: ImageStore,
  request: RemoveImageRequest__Output,
): Promise<RemoveImageResponse> {
  await store.remove(requiredImageRef(request.image));
  return {};
}
