import type { Platform } from "../../agent/images/manifest.js";
import { invalidArgument } from "../../lib/errors.js";

/** `--platform os/arch[/variant]`. */
export function parsePlatform(text: string): Platform {
  const parts = text.split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) {
    throw invalidArgument(`--platform: ${JSON.stringify(text)} is not os/arch[/variant]`, {
      field: "platform",
    });
  }
  const [os, architecture, variant] = parts;
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}
