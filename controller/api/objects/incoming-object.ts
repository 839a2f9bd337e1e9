import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import { asObject } from "../request-body.js";
import { badRequest } from "../status.js";
import { apiVersionOf } from "./api-object.js";

/**
 * A request body as an object of `rt` addressed by the URL: apiVersion/kind must be the URL's
 * (or absent), the namespace and (for PUT) the name must agree with it; the namespace is filled
 * in from the URL when absent, dropped for cluster-scoped kinds.
 */
export function incomingObject(
  value: unknown,
  rt: ResourceType,
  url: { namespace: string; name?: string },
): KubeObject {
  const obj = asObject(value) as KubeObject;
  const expected = apiVersionOf(rt);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== rt.kind) {
    throw badRequest(
      `the kind in the data (${String(obj.kind)}) does not match the expected kind (${rt.kind})`,
    );
  }
  if (
    obj.metadata !== undefined &&
    (typeof obj.metadata !== "object" || obj.metadata === null || Array.isArray(obj.metadata))
  ) {
    throw badRequest("metadata must be an object");
  }
  const meta = (obj.metadata ??= {});
  if (rt.namespaced) {
    if (meta.namespace && url.namespace && meta.namespace !== url.namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    meta.namespace = url.namespace || meta.namespace;
  } else {
    delete meta.namespace;
  }
  if (url.name !== undefined && meta.name !== undefined && meta.name !== url.name) {
    throw badRequest(
      `the name of the object (${meta.name}) does not match the name on the URL (${url.name})`,
    );
  }
  if (url.name !== undefined) meta.name = url.name;
  obj.apiVersion = expected;
  obj.kind = rt.kind;
  return obj;
}
