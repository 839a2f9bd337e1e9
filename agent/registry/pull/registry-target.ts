import type { Reference } from "../../images/reference.js";
import type { RegistryAuth, RegistryRequest, RegistryTransport } from "../registry-api.js";

/** One repository on one registry, and how to reach it: what every pull request needs. */
export interface RegistryTarget {
  transport: RegistryTransport;
  /** The reference's domain, as the transport takes it ("docker.io", "127.0.0.1:5000"). */
  host: string;
  /** The repository path on that registry ("library/busybox"). */
  name: string;
  /** Fully qualified, for names and messages ("docker.io/library/busybox"). */
  repository: string;
  auth?: RegistryAuth;
}

export function registryTarget(
  transport: RegistryTransport,
  ref: Reference,
  auth?: RegistryAuth,
): RegistryTarget {
  // parseReference always qualifies the repository with its domain.
  const slash = ref.repository.indexOf("/");
  return {
    transport,
    host: ref.repository.slice(0, slash),
    name: ref.repository.slice(slash + 1),
    repository: ref.repository,
    auth,
  };
}

export function pullScope(target: RegistryTarget): RegistryRequest["scope"] {
  return [{ repository: target.name, actions: ["pull"] }];
}
