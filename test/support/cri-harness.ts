import path from "node:path";
import { ImageStore } from "../../agent/images/image-store.js";
import { importImages } from "../../agent/images/import/import-image.js";
import { busyboxOneLayer } from "../fixtures/busybox-image.js";
import { writeOciLayout, type TaggedImage } from "../fixtures/oci-layout-writer.js";
import { startAgentProcess, type AgentProcess } from "./agent-process.js";
import { removeCgroupEverywhere } from "./cgroup-leaks.js";
import { containerConfig, podConfig } from "./cri-configs.js";
import { criClient, type CriClient } from "./cri-client.js";
import { requireIntegration } from "./prerequisites.js";
import { tempDir } from "./temp-dir.js";
import { unmountUnder } from "./unmount-under.js";
import { waitFor } from "./wait-for.js";
import { writeTestNetwork, type TestNetwork } from "./test-network.js";

export const grpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
  DEADLINE_EXCEEDED: 4,
  UNIMPLEMENTED: 12,
  UNAUTHENTICATED: 16,
};

export interface Pod {
  id: string;
  config: ReturnType<typeof podConfig>;
}

/**
 * An agent on its own temp root, cgroup parent and CNI network (bridge and subnet), with
 * busybox:latest (plus `extraImages`) imported, for a mocha suite: registers before/afterEach/after hooks, removing every pod after
 * each test and everything else after the suite.
 */
export class CriHarness {
  base!: ReturnType<typeof tempDir>;
  agent!: AgentProcess;
  cri!: CriClient;
  network!: TestNetwork;
  readonly cgroupParent = `/berth-test-${process.pid}-${Date.now().toString(36)}`;

  constructor(
    private readonly name: string,
    private readonly extraImages: () => Promise<TaggedImage[]> = async () => [],
    /** More `berth agent` flags (e.g. --config-dir); a function when they depend on this.base. */
    private readonly agentArgs: (base: string) => string[] = () => [],
  ) {}

  /** Call inside describe(). */
  install(): void {
    before(async () => this.setUp());
    afterEach(async () => {
      if (this.cri) await this.removeAllPods();
    });
    after(async () => this.tearDown());
  }

  private async setUp(): Promise<void> {
    this.base = tempDir(this.name);
    const layout = path.join(this.base.path, "layout");
    await writeOciLayout(layout, [
      { image: await busyboxOneLayer(), refNames: ["docker.io/library/busybox:latest"] },
      ...(await this.extraImages()),
    ]);
    await importImages(await ImageStore.open(path.join(this.base.path, "root")), layout);
    this.network = await writeTestNetwork(this.base.path);
    await this.startAgent();
  }

  private async tearDown(): Promise<void> {
    this.cri?.close();
    await this.agent?.stop();
    await this.network?.remove();
    removeCgroupEverywhere(this.cgroupParent);
    if (this.base) await unmountUnder(this.base.path);
    this.base?.remove();
  }

  async startAgent(): Promise<void> {
    this.agent = await startAgentProcess(this.base.path, [
      "--cgroup-parent",
      this.cgroupParent,
      ...this.agentArgs(this.base.path),
    ]);
    this.cri = criClient(this.agent.socket);
  }

  /** SIGKILLs the agent, as a crash would. */
  async killAgent(): Promise<void> {
    this.cri.close();
    await this.agent.kill();
  }

  async runPod(name: string, extra: Record<string, unknown> = {}): Promise<Pod> {
    const config = podConfig(this.base.path, name, extra);
    const { pod_sandbox_id } = await this.cri.runtime("RunPodSandbox", { config });
    return { id: pod_sandbox_id as string, config };
  }

  async createContainer(
    pod: Pod,
    name: string,
    script: string,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const { container_id } = await this.cri.runtime("CreateContainer", {
      pod_sandbox_id: pod.id,
      config: containerConfig(name, script, extra),
      sandbox_config: pod.config,
    });
    return container_id as string;
  }

  async runContainer(
    pod: Pod,
    name: string,
    script: string,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const id = await this.createContainer(pod, name, script, extra);
    await this.cri.runtime("StartContainer", { container_id: id });
    return id;
  }

  async status(id: string) {
    return (await this.cri.runtime("ContainerStatus", { container_id: id, verbose: true })).status;
  }

  /** The container's init pid on the host, from the verbose status info. */
  async pidOf(id: string): Promise<number> {
    const res = await this.cri.runtime("ContainerStatus", { container_id: id, verbose: true });
    return JSON.parse(res.info.info).pid as number;
  }

  exited(id: string) {
    return waitFor(`container ${id} to exit`, async () => {
      const s = await this.status(id);
      return s.state === "CONTAINER_EXITED" ? s : undefined;
    });
  }

  async exec(id: string, cmd: string[], timeout = 10) {
    return this.cri.runtime("ExecSync", { container_id: id, cmd, timeout });
  }

  async removeAllPods(): Promise<void> {
    for (const pod of (await this.cri.runtime("ListPodSandbox", {})).items) {
      await this.cri.runtime("RemovePodSandbox", { pod_sandbox_id: pod.id });
    }
  }
}

/** Creates a harness for the enclosing describe() and registers its hooks. */
export function criHarness(
  name: string,
  extraImages?: () => Promise<TaggedImage[]>,
  tools: string[] = [],
  agentArgs?: (base: string) => string[],
): CriHarness {
  const h = new CriHarness(name, extraImages, agentArgs);
  before(function () {
    requireIntegration(this, ["runc", "conmon", "unshare", "nsenter", ...tools]);
  });
  h.install();
  return h;
}
