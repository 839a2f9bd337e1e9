import type { KubeObject, OwnerReference } from "../resources/kube-object.js";

/** The ownerReference with controller: true, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((ref) => ref?.controller === true);
}

export function isControlledBy(obj: KubeObject, ownerUid: string): boolean {
  return ownerUid !== "" && controllerOf(obj)?.uid === ownerUid;
}

/** metav1.NewControllerRef: the reference a controller puts on what it creates or adopts. */
export function newControllerRef(
  owner: KubeObject,
  apiVersion: string,
  kind: string,
): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata?.name ?? "",
    uid: owner.metadata?.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A copy of obj that names ref as its controller (other owners kept). */
export function withControllerRef(obj: KubeObject, ref: OwnerReference): KubeObject {
  const copy = structuredClone(obj);
  const refs = (copy.metadata?.ownerReferences ?? []).filter((r) => r?.uid !== ref.uid);
  copy.metadata = { ...copy.metadata, ownerReferences: [...refs, ref] };
  return copy;
}

/** A copy of obj without the reference to ownerUid. */
export function withoutOwner(obj: KubeObject, ownerUid: string): KubeObject {
  const copy = structuredClone(obj);
  const refs = (copy.metadata?.ownerReferences ?? []).filter((r) => r?.uid !== ownerUid);
  copy.metadata = { ...copy.metadata, ownerReferences: refs };
  return copy;
}

export interface Claim {
  /** Objects already controlled by the owner that its selector still matches. */
  owned: KubeObject[];
  /** Matching orphans to take: copies that already carry the new controller reference. */
  adopt: KubeObject[];
  /** Controlled objects the selector no longer matches: copies without the owner's reference. */
  release: KubeObject[];
}

/**
 * ControllerRefManager.ClaimObjects: keep what we control and match, adopt matching orphans,
 * release what we control but no longer match. An owner being deleted neither adopts nor releases.
 */
export function claimObjects(
  owner: KubeObject,
  candidates: KubeObject[],
  matches: (obj: KubeObject) => boolean,
  ref: OwnerReference,
): Claim {
  const ownerUid = owner.metadata?.uid ?? "";
  const ownerDeleting = Boolean(owner.metadata?.deletionTimestamp);
  const namespace = owner.metadata?.namespace ?? "";
  const claim: Claim = { owned: [], adopt: [], release: [] };
  for (const obj of candidates) {
    if ((obj.metadata?.namespace ?? namespace) !== namespace) continue;
    const controller = controllerOf(obj);
    if (controller) {
      if (controller.uid !== ownerUid) continue;
      if (matches(obj)) claim.owned.push(obj);
      else if (!ownerDeleting) claim.release.push(withoutOwner(obj, ownerUid));
      continue;
    }
    if (ownerDeleting || obj.metadata?.deletionTimestamp || !matches(obj)) continue;
    claim.adopt.push(withControllerRef(obj, ref));
  }
  return claim;
}
