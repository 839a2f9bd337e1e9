import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CniCommand } from "../../../../cni/spec/types.js";

export interface FakeBehaviour {
  /** VERSION's supportedVersions (default 0.4.0, 1.0.0, 1.1.0). */
  versions?: string[];
  /** ADD's output (default a one-interface result). */
  result?: object;
  /** Commands that fail with this error object and exit 1. */
  fail?: Partial<Record<CniCommand, { code: number; msg: string }>>;
  /** Seconds a command sleeps before answering (an "end" line is logged after it). */
  sleep?: Partial<Record<CniCommand, number>>;
}

/** One logged invocation: the plugin's CNI_* environment and parsed stdin. */
export interface FakeCall {
  plugin: string;
  phase: "start" | "end";
  command: CniCommand;
  containerId: string;
  ifname: string;
  netns: string;
  args: string;
  path: string;
  stdin: Record<string, unknown>;
}

/** Shell-script plugins in a temp dir that log every call to one file and answer canned JSON. */
export class FakePlugins {
  readonly bin: string;
  private readonly log: string;

  constructor(root: string) {
    this.bin = path.join(root, "bin");
    this.log = path.join(root, "calls.log");
    mkdirSync(this.bin, { recursive: true });
    writeFileSync(this.log, "");
  }

  write(name: string, behaviour: FakeBehaviour = {}): void {
    const versions = behaviour.versions ?? ["0.4.0", "1.0.0", "1.1.0"];
    const result = behaviour.result ?? {
      cniVersion: "1.0.0",
      interfaces: [{ name: `${name}0` }],
      ips: [{ address: "10.0.0.2/24", interface: 0 }],
    };
    const line = (phase: string) =>
      `printf '%s\\n' "{\\"plugin\\":\\"${name}\\",\\"phase\\":\\"${phase}\\",` +
      `\\"command\\":\\"$CNI_COMMAND\\",\\"containerId\\":\\"\${CNI_CONTAINERID-<unset>}\\",` +
      `\\"ifname\\":\\"\${CNI_IFNAME-<unset>}\\",\\"netns\\":\\"\${CNI_NETNS-<unset>}\\",` +
      `\\"args\\":\\"\${CNI_ARGS-<unset>}\\",\\"path\\":\\"$CNI_PATH\\",\\"stdin\\":$stdin}" >> '${this.log}'`;
    const branch = (command: CniCommand, success: string) => {
      const steps: string[] = [];
      const seconds = behaviour.sleep?.[command];
      if (seconds !== undefined) steps.push(`sleep ${seconds}`, line("end"));
      const failure = behaviour.fail?.[command];
      if (failure) {
        steps.push(`echo '${JSON.stringify({ cniVersion: "1.0.0", ...failure })}'`, "exit 1");
      } else if (success) {
        steps.push(`echo '${success}'`);
      }
      return `  ${command}) ${steps.join("; ") || ":"} ;;`;
    };
    const script = [
      "#!/bin/sh",
      "stdin=$(cat)",
      line("start"),
      'case "$CNI_COMMAND" in',
      branch("VERSION", JSON.stringify({ cniVersion: "1.1.0", supportedVersions: versions })),
      branch("ADD", JSON.stringify(result)),
      branch("DEL", ""),
      branch("CHECK", ""),
      branch("STATUS", ""),
      branch("GC", ""),
      "esac",
    ].join("\n");
    const file = path.join(this.bin, name);
    writeFileSync(file, `${script}\n`);
    chmodSync(file, 0o755);
  }

  /** Every logged line, start and end, in the order written. */
  lines(): FakeCall[] {
    return readFileSync(this.log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as FakeCall);
  }

  calls(filter: Partial<Pick<FakeCall, "command" | "plugin" | "phase">> = {}): FakeCall[] {
    return this.lines().filter(
      (c) =>
        (filter.phase ?? "start") === c.phase &&
        (filter.command === undefined || c.command === filter.command) &&
        (filter.plugin === undefined || c.plugin === filter.plugin),
    );
  }

  /** "plugin COMMAND" for every started call except VERSION probes, in order. */
  sequence(): string[] {
    return this.calls()
      .filter((c) => c.command !== "VERSION")
      .map((c) => `${c.plugin} ${c.command}`);
  }

  clearLog(): void {
    writeFileSync(this.log, "");
  }
}
