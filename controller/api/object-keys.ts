import type { ResourceType } from "../resources/resource-type.js";

// Where Kubernetes' apiserver keeps each resource in etcd (nodes are "minions", services "specs").
const storageNames: Record<string, string> = {
  nodes: "minions",
  services: "services/specs",
};

/** etcd keys of a resource: /registry/<resource>/<namespace>/<name>, cluster-scoped without namespace. */
export class ObjectKeys {
  constructor(private readonly root = "/registry") {}

  collection(rt: ResourceType, namespace: string): string {
    const base = `${this.root}/${storageNames[rt.plural] ?? rt.plural}/`;
    return rt.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  object(rt: ResourceType, namespace: string, name: string): string {
    return `${this.collection(rt, namespace)}${name}`;
  }
}
