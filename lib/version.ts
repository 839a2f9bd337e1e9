import { readFileSync } from "node:fs";

/** Berth's version, from package.json (found relative to the compiled file in dist/lib/). */
export const berthVersion: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;
