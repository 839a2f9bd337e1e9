import { notFound } from "../../../../../lib/errors.js";
import type { KubeletRuntime } from "../../../../../agent/kubelet/runtime/kubelet-runtime.js";
import type { ContainerConfig } from "../../../../../proto/gen/runtime/v1/ContainerConfig.js";
import type { PodSandboxConfig } from "../../../../../proto/gen/runtime/v1/PodSandboxConfig.js";

export interface FakeSandbox {
  id: string;
  config: PodSandboxConfig;
  state: "SANDBOX_READY" | "SANDBOX_NOTREADY";
  createdAt: bigint;
  ip: string;
}

export interface FakeContainer {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  state: "CONTAINER_CREATED" | "CONTAINER_RUNNING" | "CONTAINER_EXITED" | "CONTAINER_UNKNOWN";
  createdAt: bigint;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  reason: string;
  imageRef: string;
  /** The timeout of the StopContainer call that stopped it. */
  stopTimeout?: number;
}

/**
 * An in-memory CRI runtime for the pod workers' unit tests: sandboxes and containers whose
 * processes a test can make exit, images a test makes present or failing to pull, every call
 * logged, and a clock the test controls (ms).
 */
export class FakeRuntime implements KubeletRuntime {
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  /** Present images: reference → { id, user }. */
  readonly images = new Map<string, { id: string; user: string }>();
  /** Images whose pull fails, with the error message. */
  readonly pullErrors = new Map<string, string>();
  /** Next call of the named method fails with this error. */
  readonly failures = new Map<string, Error>();
  readonly calls: string[] = [];
  private seq = 0;

  constructor(readonly clock: { now: number } = { now: 1_700_000_000_000 }) {}

  /** The container's process exits with `code`. */
  exit(id: string, code: number, reason = code === 0 ? "Completed" : "Error"): void {
    const c = this.containers.get(id)!;
    Object.assign(c, {
      state: "CONTAINER_EXITED",
      exitCode: code,
      reason,
      finishedAt: this.nanos(),
    });
  }

  byName(name: string): FakeContainer[] {
    return [...this.containers.values()]
      .filter((c) => c.config.metadata?.name === name)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  running(name: string): FakeContainer | undefined {
    return this.byName(name).find((c) => c.state === "CONTAINER_RUNNING");
  }

  async runPodSandbox(req: { config?: PodSandboxConfig | null }) {
    this.record("runPodSandbox");
    const id = `sb${++this.seq}`;
    const ip = `10.0.0.${this.seq}`;
    this.sandboxes.set(id, {
      id,
      config: req.config!,
      state: "SANDBOX_READY",
      createdAt: this.nanos(),
      ip,
    });
    return { pod_sandbox_id: id };
  }

  async stopPodSandbox(req: { pod_sandbox_id?: string }) {
    this.record("stopPodSandbox", req.pod_sandbox_id);
    const s = this.sandboxes.get(req.pod_sandbox_id!);
    if (!s) return;
    s.state = "SANDBOX_NOTREADY";
    for (const c of this.containers.values()) {
      if (c.sandboxId === s.id && c.state === "CONTAINER_RUNNING") this.exit(c.id, 137);
    }
  }

  async removePodSandbox(req: { pod_sandbox_id?: string }) {
    this.record("removePodSandbox", req.pod_sandbox_id);
    for (const c of [...this.containers.values()]) {
      if (c.sandboxId === req.pod_sandbox_id) this.containers.delete(c.id);
    }
    this.sandboxes.delete(req.pod_sandbox_id!);
  }

  async podSandboxStatus(req: { pod_sandbox_id?: string }) {
    this.record("podSandboxStatus", req.pod_sandbox_id);
    const s = this.sandboxes.get(req.pod_sandbox_id!);
    if (!s) throw notFound(`pod sandbox ${req.pod_sandbox_id} not found`);
    const ready = s.state === "SANDBOX_READY";
    return {
      status: {
        ...this.sandboxEntry(s),
        network: { ip: ready ? s.ip : "", additional_ips: [] },
        linux: {
          namespaces: { options: { network: "POD", pid: "CONTAINER", ipc: "POD", target_id: "" } },
        },
      },
      info: {},
      containers_statuses: [],
      timestamp: "0",
    } as never;
  }

  async listPodSandbox(req: { filter?: { label_selector?: Record<string, string> } | null }) {
    this.record("listPodSandbox");
    const items = [...this.sandboxes.values()]
      .filter((s) => matches(s.config.labels, req.filter?.label_selector))
      .map((s) => this.sandboxEntry(s));
    return { items } as never;
  }

  async createContainer(req: { pod_sandbox_id?: string; config?: ContainerConfig | null }) {
    this.record("createContainer", req.config?.metadata?.name);
    const sandbox = this.sandboxes.get(req.pod_sandbox_id!);
    if (!sandbox) throw notFound(`pod sandbox ${req.pod_sandbox_id} not found`);
    const image = this.images.get(req.config?.image?.image ?? "");
    if (!image) throw notFound(`image ${req.config?.image?.image} is not present`);
    const id = `c${++this.seq}`;
    this.containers.set(id, {
      id,
      sandboxId: sandbox.id,
      config: req.config!,
      state: "CONTAINER_CREATED",
      createdAt: this.nanos(),
      startedAt: 0n,
      finishedAt: 0n,
      exitCode: 0,
      reason: "",
      imageRef: image.id,
    });
    return { container_id: id };
  }

  async startContainer(req: { container_id?: string }) {
    this.record("startContainer", req.container_id);
    const c = this.containers.get(req.container_id!)!;
    Object.assign(c, { state: "CONTAINER_RUNNING", startedAt: this.nanos() });
  }

  async stopContainer(req: { container_id?: string; timeout?: number | string }) {
    this.record("stopContainer", req.container_id);
    const c = this.containers.get(req.container_id!);
    if (!c || c.state !== "CONTAINER_RUNNING") return;
    c.stopTimeout = Number(req.timeout);
    this.exit(c.id, 143);
  }

  async removeContainer(req: { container_id?: string }) {
    this.record("removeContainer", req.container_id);
    this.containers.delete(req.container_id!);
  }

  async containerStatus(req: { container_id?: string }) {
    const c = this.containers.get(req.container_id!);
    if (!c) throw notFound(`container ${req.container_id} not found`);
    return {
      status: {
        ...this.containerEntry(c),
        started_at: String(c.startedAt),
        finished_at: String(c.finishedAt),
        exit_code: c.exitCode,
        image_ref: c.imageRef,
        reason: c.reason,
        message: "",
        mounts: (c.config.mounts ?? []).map((m) => ({
          container_path: m.container_path ?? "",
          host_path: m.host_path ?? "",
        })),
        log_path: c.config.log_path ?? "",
      },
      info: {},
    } as never;
  }

  async listContainers(req: { filter?: { label_selector?: Record<string, string> } | null }) {
    this.record("listContainers");
    const containers = [...this.containers.values()]
      .filter((c) => matches(c.config.labels, req.filter?.label_selector))
      .map((c) => this.containerEntry(c));
    return { containers } as never;
  }

  async execSync() {
    return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: 0 };
  }

  async pullImage(req: { image?: { image?: string } | null }) {
    const image = req.image?.image ?? "";
    this.record("pullImage", image);
    const error = this.pullErrors.get(image);
    if (error) throw notFound(error);
    const found = this.images.get(image) ?? { id: `sha256:${image}`, user: "" };
    this.images.set(image, found);
    this.images.set(found.id, found);
    return { image_ref: found.id };
  }

  async imageStatus(req: { image?: { image?: string } | null }) {
    const found = this.images.get(req.image?.image ?? "");
    if (!found) return { image: null, info: {} } as never;
    return {
      image: {
        id: found.id,
        repo_tags: [],
        repo_digests: [],
        size: "1",
        uid: null,
        username: found.user,
        spec: null,
        pinned: false,
      },
      info: {},
    } as never;
  }

  private record(method: string, arg?: string | null): void {
    this.calls.push(arg ? `${method} ${arg}` : method);
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
  }

  private nanos(): bigint {
    return BigInt(this.clock.now) * 1_000_000n + BigInt(++this.seq);
  }

  private sandboxEntry(s: FakeSandbox) {
    return {
      id: s.id,
      metadata: { name: "", uid: "", namespace: "", attempt: 0, ...s.config.metadata },
      state: s.state,
      created_at: String(s.createdAt),
      labels: { ...(s.config.labels ?? {}) },
      annotations: { ...(s.config.annotations ?? {}) },
      runtime_handler: "",
    };
  }

  private containerEntry(c: FakeContainer) {
    return {
      id: c.id,
      pod_sandbox_id: c.sandboxId,
      metadata: { name: c.config.metadata?.name ?? "", attempt: c.config.metadata?.attempt ?? 0 },
      image: { image: c.config.image?.image ?? "", annotations: {} },
      image_ref: c.imageRef,
      image_id: c.imageRef,
      state: c.state,
      created_at: String(c.createdAt),
      labels: { ...(c.config.labels ?? {}) },
      annotations: { ...(c.config.annotations ?? {}) },
    };
  }
}

function matches(
  labels: Record<string, string> | null | undefined,
  selector?: Record<string, string>,
) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}
