import { randomInt, randomUUID } from "node:crypto";
import type { KubeObject } from "../../resources/kube-object.js";

// Kubernetes' generateName alphabet: no vowels (no words), no 0/1/3 (look like o/l/e).
const alphabet = "bcdfghjklmnpqrstvwxz2456789";

export function generatedName(prefix: string): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += alphabet[randomInt(alphabet.length)];
  return `${prefix}${suffix}`;
}

/**
 * The metadata the server owns on create: a name from generateName, uid, creationTimestamp,
 * generation 1; what a client sent for those (and deletion fields) is dropped.
 */
export function setCreateMetadata(obj: KubeObject, creationTimestamp: string): void {
  const meta = (obj.metadata ??= {});
  if (!meta.name && meta.generateName) meta.name = generatedName(meta.generateName);
  meta.uid = randomUUID();
  meta.creationTimestamp = creationTimestamp;
  meta.generation = 1;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
}

/** On update the server keeps what it owns from the stored object, whatever the client sent. */
export function keepServerMetadata(next: KubeObject, current: KubeObject): void {
  const meta = (next.metadata ??= {});
  const old = current.metadata ?? {};
  meta.uid = old.uid;
  meta.creationTimestamp = old.creationTimestamp;
  meta.generation = old.generation;
  meta.name = old.name;
  if (old.namespace !== undefined) meta.namespace = old.namespace;
  else delete meta.namespace;
  if (old.deletionTimestamp !== undefined) meta.deletionTimestamp = old.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (old.deletionGracePeriodSeconds !== undefined) {
    meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  } else {
    delete meta.deletionGracePeriodSeconds;
  }
  delete meta.selfLink;
}
