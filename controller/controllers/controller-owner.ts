import type { KubeObject } from "../resources/kube-object.js";

/** "namespace/name" of the object's controlling owner of `kind`, if it has one. */
export function controllerKey(obj: KubeObject, kind: string): string | undefined {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r) => r.controller && r.kind === kind);
  return ref ? `${obj.metadata?.namespace}/${ref.name}` : undefined;
}
