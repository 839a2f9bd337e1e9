/** Who made a request, as Kubernetes' user.Info. */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
}

/** What a request wants to do, as Kubernetes' authorizer.Attributes. */
export interface RequestAttributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection; for non-resource URLs the HTTP verb lowercased. */
  verb: string;
  /** A resource request (/api, /apis paths naming a resource) or a non-resource path (/version, /healthz…). */
  resourceRequest: boolean;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** The URL path, for non-resource requests. */
  path: string;
}

export interface Decision {
  allowed: boolean;
  /** Why not, for the 403 message. */
  reason: string;
}

/** Reads what authorization decisions need from storage (the node of a pod…). */
export interface AuthorizationLookups {
  /** spec.nodeName of a pod, undefined when the pod does not exist. */
  podNodeName(namespace: string, name: string): Promise<string | undefined>;
}

export interface Authorizer {
  authorize(attributes: RequestAttributes): Promise<Decision>;
}
