/**
 * Kubernetes' default pull policy: Always for ":latest" or an untagged image (which means latest),
 * IfNotPresent for any other tag or a digest.
 */
export function defaultPullPolicy(image: string): "Always" | "IfNotPresent" {
  if (!image) return "IfNotPresent";
  const [name, digest] = image.split("@", 2);
  const lastSlash = name.lastIndexOf("/");
  const colon = name.indexOf(":", lastSlash + 1);
  const tag = colon >= 0 ? name.slice(colon + 1) : digest ? "" : "latest";
  return tag === "latest" ? "Always" : "IfNotPresent";
}
