import { applyJsonPatch } from "../../patch/json-patch.js";
import { applyMergePatch } from "../../patch/merge-patch.js";
import { applyStrategicMergePatch } from "../../patch/strategic-merge.js";
import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import { mediaType } from "../request-body.js";
import { badRequest, unsupportedMediaType } from "../status.js";

export type PatchType = "json" | "merge" | "strategic" | "apply";

const patchTypes: Record<string, PatchType> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
};

/** The patch type a PATCH's Content-Type names; anything else is 415. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = patchTypes[mediaType(contentType)];
  if (!type) throw unsupportedMediaType(mediaType(contentType));
  return type;
}

/**
 * `target` with a JSON, merge or strategic merge patch applied (strategic merge knows the
 * built-in kinds' merge keys; without a kind it merges as a merge patch would).
 */
export function applyPatch(
  type: Exclude<PatchType, "apply">,
  target: KubeObject,
  patch: unknown,
  rt: ResourceType | undefined,
): KubeObject {
  let result: unknown;
  if (type === "json") {
    result = applyJsonPatch(target, patch);
  } else if (type === "merge") {
    result = applyMergePatch(target, patch);
  } else {
    result = rt
      ? applyStrategicMergePatch(target, patch, {
          group: rt.group,
          version: rt.version,
          kind: rt.kind,
        })
      : applyMergePatch(target, patch);
  }
  if (typeof result !== "object" || result === null || Array.isArray(result)) {
    throw badRequest("the patch must leave an object");
  }
  return result as KubeObject;
}
