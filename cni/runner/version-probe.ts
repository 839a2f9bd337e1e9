import { promises as fs } from "node:fs";
import type { VersionResult } from "../spec/types.js";
import { CniError, cniCode } from "../spec/errors.js";
import { execPlugin, findPlugin } from "../exec/exec-plugin.js";

/** The version the runner announces on VERSION calls: the newest spec it speaks. */
const announced = "1.1.0";

/** A plugin's VERSION answer, asked once per binary (path, mtime and size). */
export class VersionProbe {
  private readonly cache = new Map<string, { stamp: string; answer: Promise<VersionResult> }>();

  constructor(private readonly options: { binDirs: string[]; timeoutMs: number }) {}

  async version(type: string): Promise<VersionResult> {
    const binary = findPlugin(type, this.options.binDirs);
    const st = await fs.stat(binary, { bigint: true });
    const stamp = `${st.mtimeNs}:${st.size}`;
    const hit = this.cache.get(binary);
    if (hit && hit.stamp === stamp) return hit.answer;
    const answer = this.ask(binary, type);
    this.cache.set(binary, { stamp, answer });
    answer.catch(() => {
      if (this.cache.get(binary)?.answer === answer) this.cache.delete(binary);
    });
    return answer;
  }

  private async ask(binary: string, type: string): Promise<VersionResult> {
    const out = await execPlugin(
      binary,
      { cniVersion: announced },
      { command: "VERSION", path: this.options.binDirs },
      { timeoutMs: this.options.timeoutMs },
    );
    const result = out as Partial<VersionResult> | undefined;
    if (
      typeof result?.cniVersion !== "string" ||
      !Array.isArray(result.supportedVersions) ||
      !result.supportedVersions.every((v) => typeof v === "string")
    ) {
      throw new CniError(
        cniCode.decode,
        "VERSION answer is not {cniVersion, supportedVersions}",
        JSON.stringify(out)?.slice(0, 300) ?? "(no output)",
        type,
      );
    }
    return { cniVersion: result.cniVersion, supportedVersions: result.supportedVersions };
  }
}
