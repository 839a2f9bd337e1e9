import { invalidArgument } from "../../../lib/errors.js";
import { formatReference, normalizeReference, parseReference } from "../reference.js";

/**
 * The names an archive entry is imported under. `--name REF` with a tag names every image in the
 * archive; a bare `--name REPO` is the repository for entries that carry only a tag (as skopeo and
 * umoci write `org.opencontainers.image.ref.name`). Full references in the archive are kept as is.
 */
export function importNames(
  carried: { full?: string; tag?: string },
  requested: string | undefined,
  origin: string,
): string[] {
  if (requested !== undefined) {
    const ref = parseReference(requested, "--name");
    if (ref.tag !== undefined || ref.digest !== undefined) {
      if (ref.digest !== undefined) {
        throw invalidArgument("--name: give a tag, not a digest: the digest comes from the image", {
          field: "--name",
        });
      }
      return [formatReference(ref)];
    }
    if (carried.full === undefined) {
      return [formatReference({ repository: ref.repository, tag: carried.tag ?? "latest" })];
    }
  }
  if (carried.full !== undefined) {
    return [formatReference(normalizeReference(carried.full, origin))];
  }
  if (carried.tag !== undefined) {
    throw invalidArgument(
      `${origin}: the image is tagged ${JSON.stringify(carried.tag)} without a repository; pass --name REPOSITORY`,
    );
  }
  return [];
}

/** `org.opencontainers.image.ref.name` holds a tag ("1.36") or a whole reference ("docker.io/x:1"). */
export function splitRefName(refName: string | undefined): { full?: string; tag?: string } {
  if (refName === undefined || refName === "") return {};
  return /[/:@]/.test(refName) ? { full: refName } : { tag: refName };
}
