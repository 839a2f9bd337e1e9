import type { Image } from "../../../proto/gen/runtime/v1/Image.js";
import type { ImageRecord } from "../../images/image-records.js";

/** An image record as CRI shows it: the user is a uid when numeric, else a name. */
export function toCriImage(record: ImageRecord): Image {
  const user = record.user.split(":")[0];
  const numeric = /^\d+$/.test(user);
  return {
    id: record.id,
    repo_tags: record.repoTags,
    repo_digests: record.repoDigests,
    size: String(record.size),
    uid: numeric ? { value: user } : null,
    username: numeric ? "" : user,
    spec: { image: record.id, annotations: {} },
    pinned: false,
  };
}
