import fs from "node:fs";
import path from "node:path";
import { errnoCode, invalidArgument } from "../../../lib/errors.js";

/** A clean absolute path, or InvalidArgument naming the field. */
export function absolutePath(p: string | undefined, field: string): string {
  if (!p || !p.startsWith("/") || p.includes("\0")) {
    throw invalidArgument(`${field}: ${JSON.stringify(p ?? "")} is not an absolute path`, {
      field,
    });
  }
  const clean = path.posix.normalize(p);
  return clean.length > 1 ? clean.replace(/\/+$/, "") : clean;
}

/** The host path with every symlink resolved; a missing one is InvalidArgument naming the field. */
export function realHostPath(p: string | undefined, field: string): string {
  const abs = absolutePath(p, field);
  try {
    return fs.realpathSync(abs);
  } catch (err) {
    const code = errnoCode(err);
    const why =
      code === "ENOENT" || code === "ENOTDIR" ? "does not exist" : `cannot be resolved (${code})`;
    throw invalidArgument(`${field}: ${abs} ${why}`, { field, cause: err });
  }
}
