import { Command } from "commander";
import { promises as fs } from "node:fs";
import { parse as parseYaml } from "yaml";
import { criClient, type CriClient } from "../../agent/cri/client.js";
import { invalidArgument } from "../../lib/errors.js";
import { nodePaths } from "./node-flags.js";
import { printTable } from "../table.js";
import { printLog } from "../cri-log.js";

type Flags = { criSocket?: string };

/** crictl-like commands for people debugging a node: they speak CRI to the agent's socket. */
export function criCommand(): Command {
  const cri = new Command("cri")
    .description("talk CRI to a node agent, like crictl")
    .option(
      "--cri-socket <path>",
      "CRI endpoint (env BERTH_CRI_SOCKET, default /run/berth/berth.sock)",
    );
  const withClient =
    <A extends unknown[]>(fn: (client: CriClient, ...args: A) => Promise<void>) =>
    async (...args: A) => {
      const client = criClient(nodePaths(cri.opts<Flags>()).criSocket);
      try {
        await fn(client, ...args);
      } finally {
        client.close();
      }
    };

  cri
    .command("pods")
    .description("list pod sandboxes")
    .option("--name <name>", "only pods with this name")
    .option("--label <k=v...>", "only pods with these labels")
    .option("-q, --quiet", "ids only")
    .option("-o, --output <format>", "table or json", "table")
    .action(
      withClient(
        async (c, opts: { name?: string; label?: string[]; quiet?: boolean; output: string }) => {
          const { items } = await c.runtime("ListPodSandbox", {
            filter: { label_selector: labels(opts.label) },
          });
          const pods = items.filter(
            (p: { metadata: { name: string } }) => !opts.name || p.metadata.name === opts.name,
          );
          if (opts.output === "json") return console.log(JSON.stringify(pods, null, 2));
          if (opts.quiet) return pods.forEach((p: { id: string }) => console.log(p.id));
          printTable(
            ["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT"],
            pods.map((p: PodRow) => [
              p.id.slice(0, 13),
              age(p.created_at),
              p.state.replace("SANDBOX_", ""),
              p.metadata.name,
              p.metadata.namespace,
              String(p.metadata.attempt),
            ]),
          );
        },
      ),
    );

  cri
    .command("ps")
    .description("list containers")
    .option("-a, --all", "include exited containers")
    .option("-p, --pod <id>", "only this pod's containers")
    .option("-q, --quiet", "ids only")
    .option("-o, --output <format>", "table or json", "table")
    .action(
      withClient(
        async (c, opts: { all?: boolean; pod?: string; quiet?: boolean; output: string }) => {
          const filter = {
            pod_sandbox_id: opts.pod ?? "",
            ...(opts.all ? {} : { state: { state: "CONTAINER_RUNNING" } }),
          };
          const { containers } = await c.runtime("ListContainers", { filter });
          if (opts.output === "json") return console.log(JSON.stringify(containers, null, 2));
          if (opts.quiet) return containers.forEach((x: { id: string }) => console.log(x.id));
          printTable(
            ["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID"],
            containers.map((x: ContainerRow) => [
              x.id.slice(0, 13),
              x.image.image,
              age(x.created_at),
              x.state.replace("CONTAINER_", ""),
              x.metadata.name,
              String(x.metadata.attempt),
              x.pod_sandbox_id.slice(0, 13),
            ]),
          );
        },
      ),
    );

  cri
    .command("inspect <id>")
    .description("a container's status, with its pid and OCI spec")
    .action(
      withClient(async (c, id: string) =>
        printJson(await c.runtime("ContainerStatus", { container_id: id, verbose: true })),
      ),
    );

  cri
    .command("inspectp <id>")
    .description("a pod sandbox's status")
    .action(
      withClient(async (c, id: string) =>
        printJson(await c.runtime("PodSandboxStatus", { pod_sandbox_id: id, verbose: true })),
      ),
    );

  cri
    .command("logs <id>")
    .description("a container's log (stdout to stdout, stderr to stderr)")
    .option("--tail <n>", "only the last n lines")
    .action(
      withClient(async (c, id: string, opts: { tail?: string }) => {
        const { status } = await c.runtime("ContainerStatus", { container_id: id });
        if (!status.log_path) throw invalidArgument(`container ${id} has no log path`);
        await printLog(status.log_path, opts.tail === undefined ? undefined : Number(opts.tail));
      }),
    );

  cri
    .command("exec <id> <cmd...>")
    .description("run a command in a running container and wait for it (ExecSync)")
    .option("-s, --sync", "run synchronously (the only mode)", true)
    .option("--timeout <seconds>", "kill the command after this long (0: no limit)", "0")
    .action(
      withClient(async (c, id: string, cmd: string[], opts: { timeout: string }) => {
        const res = await c.runtime("ExecSync", {
          container_id: id,
          cmd,
          timeout: Number(opts.timeout),
        });
        process.stdout.write(res.stdout);
        process.stderr.write(res.stderr);
        process.exitCode = res.exit_code;
      }),
    );

  cri
    .command("runp <pod-config>")
    .description("run a pod sandbox from a JSON or YAML PodSandboxConfig")
    .option("-r, --runtime <handler>", "runtime handler", "")
    .action(
      withClient(async (c, file: string, opts: { runtime: string }) => {
        const config = await readConfig(file);
        const { pod_sandbox_id } = await c.runtime("RunPodSandbox", {
          config,
          runtime_handler: opts.runtime,
        });
        console.log(pod_sandbox_id);
      }),
    );

  cri
    .command("create <pod-id> <container-config> <pod-config>")
    .description("create a container in a pod from JSON or YAML configs")
    .action(
      withClient(async (c, pod: string, containerFile: string, podFile: string) => {
        const config = toWireContainerConfig(await readConfig(containerFile));
        const sandbox_config = await readConfig(podFile);
        const { container_id } = await c.runtime("CreateContainer", {
          pod_sandbox_id: pod,
          config,
          sandbox_config,
        });
        console.log(container_id);
      }),
    );

  const eachId = (
    name: string,
    description: string,
    rpc: (c: CriClient, id: string, opts: Record<string, string>) => Promise<unknown>,
  ) =>
    cri
      .command(`${name} <ids...>`)
      .description(description)
      .action(
        withClient(async (c, ids: string[], opts: Record<string, string>) => {
          for (const id of ids) {
            await rpc(c, id, opts);
            console.log(id);
          }
        }),
      );
  eachId("start", "start created containers", (c, id) =>
    c.runtime("StartContainer", { container_id: id }),
  );
  eachId("stop", "stop containers (stop signal, then SIGKILL after the timeout)", (c, id, o) =>
    c.runtime("StopContainer", { container_id: id, timeout: Number(o.timeout) }),
  ).option("-t, --timeout <seconds>", "seconds to wait before SIGKILL", "10");
  eachId("rm", "remove containers (killing them if running)", (c, id) =>
    c.runtime("RemoveContainer", { container_id: id }),
  );
  eachId("stopp", "stop pod sandboxes", (c, id) =>
    c.runtime("StopPodSandbox", { pod_sandbox_id: id }),
  );
  eachId("rmp", "remove pod sandboxes and their containers", (c, id) =>
    c.runtime("RemovePodSandbox", { pod_sandbox_id: id }),
  );

  return cri;
}

interface PodRow {
  id: string;
  created_at: string;
  state: string;
  metadata: { name: string; namespace: string; attempt: number };
}
interface ContainerRow {
  id: string;
  image: { image: string };
  created_at: string;
  state: string;
  metadata: { name: string; attempt: number };
  pod_sandbox_id: string;
}

function labels(pairs: string[] = []): Record<string, string> {
  return Object.fromEntries(
    pairs.map((p) => {
      const eq = p.indexOf("=");
      if (eq <= 0)
        throw invalidArgument(`--label ${JSON.stringify(p)}: expected key=value`, {
          field: "--label",
        });
      return [p.slice(0, eq), p.slice(eq + 1)];
    }),
  );
}

/** crictl's config files: JSON or YAML with the CRI field names (snake_case). */
async function readConfig(file: string): Promise<Record<string, unknown>> {
  const text = await fs.readFile(file, "utf8").catch((err: Error) => {
    throw invalidArgument(`${file}: ${err.message}`);
  });
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    throw invalidArgument(`${file}: not valid JSON or YAML: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidArgument(`${file}: expected an object`);
  }
  return parsed as Record<string, unknown>;
}

/** KeyValue.value is bytes on the wire; config files hold text. */
function toWireContainerConfig(config: Record<string, unknown>): Record<string, unknown> {
  const envs = (config.envs as { key: string; value?: string }[] | undefined) ?? [];
  return { ...config, envs: envs.map((e) => ({ key: e.key, value: Buffer.from(e.value ?? "") })) };
}

function age(createdNanos: string): string {
  const seconds = Math.max(
    0,
    Math.round((Date.now() - Number(BigInt(createdNanos) / 1_000_000n)) / 1000),
  );
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  return `${Math.round(seconds / 3600)}h ago`;
}

function printJson(value: unknown): void {
  const v = value as { info?: Record<string, string> };
  const info = Object.fromEntries(
    Object.entries(v.info ?? {}).map(([k, text]) => {
      try {
        return [k, JSON.parse(text)];
      } catch {
        return [k, text];
      }
    }),
  );
  console.log(JSON.stringify({ ...v, info }, null, 2));
}
