import type { ListImagesRequest__Output } from "../../../proto/gen/runtime/v1/ListImagesRequest.js";
import type { ListImagesResponse } from "../../../proto/gen/runtime/v1/ListImagesResponse.js";
import type { ImageStore } from "../../images/image-store.js";
import { toCriImage } from "./cri-image.js";

export async function listImages(
  store: ImageStore,
  request: ListImagesRequest__Output,
): Promise<ListImagesResponse> {
  const wanted = request.filter?.image?.image ?? "";
  if (wanted === "") return { images: (await store.list()).map(toCriImage) };
  const image = await store.find(wanted);
  return { images: image ? [toCriImage(image)] : [] };
}
