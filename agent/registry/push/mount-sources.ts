import { invalidArgument } from "../../../lib/errors.js";
import type { ImageRecord } from "../../images/image-records.js";
import { parseReference } from "../../images/reference.js";
import type { RegistryTarget } from "./push-target.js";

/**
 * Repositories on the target's registry a blob could be mounted from: those the image was pulled
 * from or pushed to under that registry (its names), then those the caller names, which may be
 * given as "team/app" (on the target registry) or "host/team/app".
 */
export function mountSources(
  target: RegistryTarget,
  image: ImageRecord,
  mountFrom: string[] = [],
): string[] {
  const names = [...image.repoDigests, ...image.repoTags].map((n) => parseReference(n).repository);
  const given = mountFrom.map((m, i) => qualify(target, m, `mountFrom[${i}]`));
  const sources: string[] = [];
  for (const repository of [...names, ...given]) {
    const slash = repository.indexOf("/");
    if (repository.slice(0, slash) !== target.host) continue;
    const name = repository.slice(slash + 1);
    if (name !== target.name && !sources.includes(name)) sources.push(name);
  }
  return sources;
}

function qualify(target: RegistryTarget, text: string, field: string): string {
  const first = text.split("/")[0];
  const hasDomain =
    text.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const ref = parseReference(hasDomain ? text : `${target.host}/${text}`, field);
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw invalidArgument(`${field}: ${JSON.stringify(text)} must be a repository, not an image`, {
      field,
    });
  }
  return ref.repository;
}
