import type { Logger } from "../../../lib/logger.js";
import type { AuthConfig__Output } from "../../../proto/gen/runtime/v1/AuthConfig.js";
import type { PullImageRequest__Output } from "../../../proto/gen/runtime/v1/PullImageRequest.js";
import type { PullImageResponse } from "../../../proto/gen/runtime/v1/PullImageResponse.js";
import type { ImageRecord } from "../../images/image-records.js";
import { formatReference, normalizeReference } from "../../images/reference.js";
import type { PullMetrics } from "../../registry/metrics.js";
import type { PullProgress, RegistryAuth } from "../../registry/registry-api.js";
import { requiredImageRef } from "./image-ref.js";

/** Pulls a normalized reference into the node's image store (the agent binds store and transport). */
export type ImagePuller = (
  reference: string,
  options: { auth?: RegistryAuth; onProgress?: (p: PullProgress) => void },
) => Promise<ImageRecord>;

export interface PullImageDeps {
  pull: ImagePuller;
  metrics: PullMetrics;
  logger: Logger;
}

/**
 * Pulls the image and answers its id, which ImageStatus then finds under the pulled reference.
 * sandbox_config is not needed: the platform is the node's and there is no per-pod runtime handler.
 */
export async function pullImage(
  deps: PullImageDeps,
  request: PullImageRequest__Output,
): Promise<PullImageResponse> {
  const reference = formatReference(
    normalizeReference(requiredImageRef(request.image), "image.image"),
  );
  const started = Date.now();
  const record = await deps.metrics.measure((onProgress) =>
    deps.pull(reference, { auth: registryAuth(request.auth), onProgress }),
  );
  deps.logger.info("pulled image", { reference, image: record.id, ms: Date.now() - started });
  return { image_ref: record.id };
}

/** CRI AuthConfig as the transport takes it; none at all when every field is empty. */
export function registryAuth(
  auth: AuthConfig__Output | null | undefined,
): RegistryAuth | undefined {
  if (!auth) return undefined;
  const out: RegistryAuth = {};
  if (auth.username) out.username = auth.username;
  if (auth.password) out.password = auth.password;
  if (auth.auth) out.auth = auth.auth;
  if (auth.identity_token) out.identityToken = auth.identity_token;
  if (auth.registry_token) out.registryToken = auth.registry_token;
  return Object.keys(out).length > 0 ? out : undefined;
}
