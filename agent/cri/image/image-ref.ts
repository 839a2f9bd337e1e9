import { invalidArgument } from "../../../lib/errors.js";
import type { ImageSpec__Output } from "../../../proto/gen/runtime/v1/ImageSpec.js";

/** The image a request names; an empty one is the caller's error. */
export function requiredImageRef(spec: ImageSpec__Output | null, field = "image.image"): string {
  const ref = spec?.image ?? "";
  if (ref === "") throw invalidArgument(`${field} must name an image`, { field });
  return ref;
}
