import { status as grpcStatus } from "@grpc/grpc-js";
import { Command } from "commander";
import { promises as fs } from "node:fs";
import { parse as parseYaml } from "yaml";
import { criClient, type CriClient } from "../../agent/cri/client.js";
import { BerthError, invalidArgument, type ErrorKind } from "../../lib/errors.js";
import { nodePaths } from "./node-flags.js";
import { printTable } from "../table.js";
import { printLog } from "../cri-log.js";
import { attachToContainer } from "../cri-stream/attach.js";
import { execInContainer } from "../cri-stream/exec.js";
import { portForward } from "../cri-stream/port-forward.js";

type Flags = { criSocket?: string };
type SessionOpts = { interactive?: boolean; stdin?: boolean; tty?: boolean };
type ExecOpts = { sync?: boolean; timeout: string };
type ListFlags = {
  name?: string;
  state?: string;
  label?: string[];
  quiet?: boolean;
  output: string;
};

/** crictl-like commands for people debugging a node: they speak CRI to the agent's socket. */
export function criCommand(): Command {
  const socketHelp = "CRI endpoint (env BERTH_CRI_SOCKET, default /run/berth/berth.sock)";
  // Positional options let `exec <id> sh -c …` pass the command's own flags through untouched.
  const cri = new Command("cri")
    .description("talk CRI to a node agent, like crictl")
    .enablePositionalOptions()
    .option("--cri-socket <path>", socketHelp);
  const subcommand = (spec: string) => cri.command(spec).option("--cri-socket <path>", socketHelp);
  const withClient =
    <A extends unknown[]>(fn: (client: CriClient, ...args: A) => Promise<void>) =>
    async (...args: A) => {
      const command = args[args.length - 1] as Command;
      const socket = nodePaths({
        criSocket: command.opts<Flags>().criSocket ?? cri.opts<Flags>().criSocket,
      }).criSocket;
      const client = criClient(socket);
      try {
        await fn(client, ...args);
      } catch (err) {
        throw fromGrpc(err, socket);
      } finally {
        client.close();
      }
    };

  subcommand("pods")
    .description("list pod sandboxes")
    .option("--name <name>", "only pods with this name")
    .option("--namespace <namespace>", "only pods in this namespace")
    .option("--state <state>", "only pods in this state: ready or notready")
    .option("--label <k=v...>", "only pods with these labels")
    .option("-q, --quiet", "ids only")
    .option("-o, --output <format>", "table or json", "table")
    .action(
      withClient(async (c, opts: ListFlags & { namespace?: string }) => {
        const output = outputFormat(opts.output);
        const state = opts.state && `SANDBOX_${stateName(opts.state, ["ready", "notready"])}`;
        const { items } = await c.runtime("ListPodSandbox", {
          filter: { label_selector: labels(opts.label), ...(state ? { state: { state } } : {}) },
        });
        const pods = (items as PodRow[]).filter(
          (p) =>
            (!opts.name || p.metadata.name === opts.name) &&
            (!opts.namespace || p.metadata.namespace === opts.namespace),
        );
        if (output === "json") return console.log(JSON.stringify(pods, null, 2));
        if (opts.quiet) return pods.forEach((p) => console.log(p.id));
        printTable(
          ["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT"],
          pods.map((p) => [
            p.id.slice(0, 13),
            age(p.created_at),
            p.state.replace("SANDBOX_", ""),
            p.metadata.name,
            p.metadata.namespace,
            String(p.metadata.attempt),
          ]),
        );
      }),
    );

  subcommand("ps")
    .description("list containers (running ones unless --all or --state)")
    .option("-a, --all", "include created and exited containers")
    .option("-p, --pod <id>", "only this pod's containers (id or unique prefix)")
    .option("--name <name>", "only containers with this name")
    .option("--state <state>", "only containers in this state: created, running, exited or unknown")
    .option("--label <k=v...>", "only containers with these labels")
    .option("-q, --quiet", "ids only")
    .option("-o, --output <format>", "table or json", "table")
    .action(
      withClient(async (c, opts: ListFlags & { all?: boolean; pod?: string }) => {
        const output = outputFormat(opts.output);
        const states = ["created", "running", "exited", "unknown"];
        const state = opts.state ? stateName(opts.state, states) : opts.all ? "" : "RUNNING";
        const filter = {
          pod_sandbox_id: opts.pod ?? "",
          label_selector: labels(opts.label),
          ...(state ? { state: { state: `CONTAINER_${state}` } } : {}),
        };
        const { containers } = await c.runtime("ListContainers", { filter });
        const rows = (containers as ContainerRow[]).filter(
          (x) => !opts.name || x.metadata.name === opts.name,
        );
        if (output === "json") return console.log(JSON.stringify(rows, null, 2));
        if (opts.quiet) return rows.forEach((x) => console.log(x.id));
        printTable(
          ["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID"],
          rows.map((x) => [
            x.id.slice(0, 13),
            x.image.image,
            age(x.created_at),
            x.state.replace("CONTAINER_", ""),
            x.metadata.name,
            String(x.metadata.attempt),
            x.pod_sandbox_id.slice(0, 13),
          ]),
        );
      }),
    );

  subcommand("inspect <id>")
    .description("a container's status, with its pid and OCI spec")
    .action(
      withClient(async (c, id: string) =>
        printJson(await c.runtime("ContainerStatus", { container_id: id, verbose: true })),
      ),
    );

  subcommand("inspectp <id>")
    .description("a pod sandbox's status")
    .action(
      withClient(async (c, id: string) =>
        printJson(await c.runtime("PodSandboxStatus", { pod_sandbox_id: id, verbose: true })),
      ),
    );

  subcommand("logs <id>")
    .description("a container's log (stdout to stdout, stderr to stderr)")
    .option("--tail <n>", "only the last n lines")
    .action(
      withClient(async (c, id: string, opts: { tail?: string }) => {
        const tail = opts.tail === undefined ? undefined : count("--tail", opts.tail);
        const { status } = await c.runtime("ContainerStatus", { container_id: id });
        if (!status.log_path) throw invalidArgument(`container ${id} has no log path`);
        await printLog(status.log_path, tail);
      }),
    );

  subcommand("exec <id> <cmd...>")
    .description("run a command in a running container, streaming its stdio (ExecSync with --sync)")
    .passThroughOptions()
    .option("-i, --interactive", "send stdin to the command")
    .option("-t, --tty", "run the command in a terminal")
    .option("-s, --sync", "run with ExecSync: no stdin, output once the command is done")
    .option("--timeout <seconds>", "kill the command after this long (implies --sync)", "0")
    .action(
      withClient(async (c, id: string, cmd: string[], opts: SessionOpts & ExecOpts) => {
        const timeout = count("--timeout", opts.timeout);
        process.exitCode = await execInContainer(c, id, cmd, {
          ...sessionFlags(opts),
          sync: opts.sync === true,
          timeout,
        });
      }),
    );

  subcommand("attach <id>")
    .description("attach to a running container's stdio")
    .option("-i, --stdin", "send stdin to the container")
    .option("-t, --tty", "the container runs in a terminal")
    .action(
      withClient(async (c, id: string, opts: SessionOpts) => {
        process.exitCode = await attachToContainer(c, id, sessionFlags(opts));
      }),
    );

  subcommand("port-forward <pod-id> <ports...>")
    .description("forward local ports ([LOCAL:]REMOTE) to a pod until interrupted")
    .action(withClient((c, pod: string, ports: string[]) => portForward(c, pod, ports)));

  subcommand("runp <pod-config>")
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

  subcommand("create <pod-id> <container-config> <pod-config>")
    .description("create a container in a pod from JSON or YAML configs")
    .action(
      withClient(async (c, pod: string, containerFile: string, podFile: string) => {
        const config = toWireContainerConfig(containerFile, await readConfig(containerFile));
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
    subcommand(`${name} <ids...>`)
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
    c.runtime("StopContainer", { container_id: id, timeout: count("--timeout", o.timeout) }),
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

/** -i is --interactive for exec and --stdin for attach, as in crictl. */
function sessionFlags(opts: SessionOpts) {
  return { interactive: opts.interactive === true || opts.stdin === true, tty: opts.tty === true };
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

/** A whole number of seconds or lines, from a flag. */
function count(flag: string, value: string): number {
  if (!/^\d+$/.test(value))
    throw invalidArgument(`${flag} ${JSON.stringify(value)}: expected a whole number >= 0`, {
      field: flag,
    });
  return Number(value);
}

function outputFormat(value: string): "table" | "json" {
  if (value === "table" || value === "json") return value;
  throw invalidArgument(`--output ${JSON.stringify(value)}: expected table or json`, {
    field: "--output",
  });
}

/** A --state value as the CRI enum suffix (RUNNING, NOTREADY…). */
function stateName(value: string, allowed: string[]): string {
  const lower = value.toLowerCase();
  if (!allowed.includes(lower))
    throw invalidArgument(
      `--state ${JSON.stringify(value)}: expected one of ${allowed.join(", ")}`,
      { field: "--state" },
    );
  return lower.toUpperCase();
}

const errorKinds: Partial<Record<grpcStatus, ErrorKind>> = {
  [grpcStatus.INVALID_ARGUMENT]: "InvalidArgument",
  [grpcStatus.NOT_FOUND]: "NotFound",
  [grpcStatus.ALREADY_EXISTS]: "AlreadyExists",
  [grpcStatus.FAILED_PRECONDITION]: "FailedPrecondition",
  [grpcStatus.ABORTED]: "Aborted",
  [grpcStatus.UNAVAILABLE]: "Unavailable",
  [grpcStatus.DEADLINE_EXCEEDED]: "DeadlineExceeded",
  [grpcStatus.UNIMPLEMENTED]: "Unimplemented",
};

/** A gRPC failure as the agent's own error, without grpc-js's "5 NOT_FOUND: " prefix. */
function fromGrpc(err: unknown, socket: string): unknown {
  const e = err as { code?: unknown; details?: unknown };
  if (err instanceof BerthError || typeof e.code !== "number" || typeof e.details !== "string")
    return err;
  const kind = errorKinds[e.code as grpcStatus] ?? "Internal";
  const message =
    e.code === grpcStatus.UNAVAILABLE
      ? `cannot reach the CRI socket ${socket}: ${e.details.replace(/\. Resolution note:.*$/s, "")}`
      : e.details;
  return new BerthError(kind, message, { cause: err });
}

/** crictl's config files: JSON or YAML with the CRI field names (snake_case). */
async function readConfig(file: string): Promise<Record<string, unknown>> {
  const text = await fs.readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    const why = err.code === "ENOENT" ? "no such file" : err.message;
    throw invalidArgument(`cannot read ${file}: ${why}`, { field: file });
  });
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    const first = (err as Error).message.split("\n")[0];
    throw invalidArgument(`${file}: not valid JSON or YAML: ${first}`, {
      field: file,
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidArgument(`${file}: expected an object with CRI config fields`, { field: file });
  }
  return parsed as Record<string, unknown>;
}

/** KeyValue.value is bytes on the wire; config files hold text. */
function toWireContainerConfig(
  file: string,
  config: Record<string, unknown>,
): Record<string, unknown> {
  const envs = config.envs ?? [];
  if (!Array.isArray(envs))
    throw invalidArgument(`${file}: envs must be a list of {key, value}`, { field: "envs" });
  return {
    ...config,
    envs: envs.map((e: unknown, i) => {
      const { key, value = "" } = (e ?? {}) as { key?: unknown; value?: unknown };
      if (typeof key !== "string" || !["string", "number", "boolean"].includes(typeof value))
        throw invalidArgument(`${file}: envs[${i}] must be {key: text, value: text}`, {
          field: `envs[${i}]`,
        });
      return { key, value: Buffer.from(String(value)) };
    }),
  };
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
