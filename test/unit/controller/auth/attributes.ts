import type { RequestAttributes, UserInfo } from "../../../../controller/auth/auth-api.js";

/** A resource request by `user`; override any attribute. */
export function resourceRequest(
  user: UserInfo,
  verb: string,
  resource: string,
  more: Partial<RequestAttributes> = {},
): RequestAttributes {
  return {
    user,
    verb,
    resourceRequest: true,
    apiGroup: "",
    resource,
    subresource: "",
    namespace: "",
    name: "",
    path: "",
    ...more,
  };
}

export function pathRequest(user: UserInfo, verb: string, path: string): RequestAttributes {
  return {
    user,
    verb,
    resourceRequest: false,
    apiGroup: "",
    resource: "",
    subresource: "",
    namespace: "",
    name: "",
    path,
  };
}

export const nodeUser = (name: string): UserInfo => ({
  name: `system:node:${name}`,
  groups: ["system:nodes", "system:authenticated"],
});
