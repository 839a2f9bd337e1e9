import { requireIntegration } from "./prerequisites.js";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import https from "node:https";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { KubeClient, kubeClientFromKubeconfig } from "../../agent/kube/kube-client.js";
import { ImageStore } from "../../agent/images/image-store.js";
import { importImages } from "../../agent/images/import/import-image.js";
import { issueClientCertificate } from "../../controller/pki/issue-client-certificate.js";
import { writeKubeconfig } from "../../controller/pki/kubeconfig.js";
import { pkiLayout } from "../../controller/pki/pki-layout.js";
import { busyboxOneLayer } from "../fixtures/busybox-image.js";
import { writeOciLayout } from "../fixtures/oci-layout-writer.js";
import { startAgentProcess, type AgentProcess } from "./agent-process.js";
import { removeCgroupEverywhere } from "./cgroup-leaks.js";
import { startControllerProcess, type ControllerProcess } from "./controller-process.js";
import { criClient, type CriClient } from "./cri-client.js";
import { startEtcd, type TestEtcd } from "./etcd-server.js";
import { kubectl, kubectlOk, type KubectlResult } from "./kubectl.js";
import { tempDir } from "./temp-dir.js";
import { writeTestNetwork, type TestNetwork } from "./test-network.js";
import { unmountUnder } from "./unmount-under.js";
import { waitFor } from "./wait-for.js";

/** The port a `berth agent` logged with "kubelet serving", once it did. */
export function kubeletPortFrom(stderr: string): number | undefined {
  for (const line of stderr.split("\n")) {
    if (!line.includes('"kubelet serving"')) continue;
    try {
      const port = (JSON.parse(line) as { port?: number }).port;
      if (typeof port === "number") return port;
    } catch {
      // a line cut short: not yet complete
    }
  }
  return undefined;
}

/**
 * A real cluster of one node: etcd, `berth controller` and `berth agent --kubeconfig` (a node
 * certificate issued by the controller's CA) on an isolated root, cgroup parent, CNI test network
 * and pod logs dir, with busybox:latest imported. Everything is removed by tearDown().
 */
export class KubeletCluster {
  readonly nodeName = `berth-test-node-${process.pid}-${randomBytes(2).toString("hex")}`;
  readonly cgroupParent = `/berth-test-${process.pid}-${randomBytes(3).toString("hex")}`;
  base!: ReturnType<typeof tempDir>;
  etcd!: TestEtcd;
  controller!: ControllerProcess;
  network!: TestNetwork;
  agent?: AgentProcess;
  cri?: CriClient;
  admin!: KubeClient;
  kubeletPort = 0;
  private nodeKubeconfig = "";

  /** `agentArgs`: more `berth agent` flags (after the cluster's own). */
  constructor(private readonly options: { agentArgs?: string[] } = {}) {}

  async setUp(): Promise<void> {
    this.base = tempDir("kubelet-agent");
    this.etcd = await startEtcd();
    this.controller = await startControllerProcess(this.base.path, this.etcd.endpoint);
    this.admin = await kubeClientFromKubeconfig(this.controller.kubeconfig);
    const layout = pkiLayout(path.join(this.base.path, "controller"));
    const issued = await issueClientCertificate(
      {
        caFile: layout.caCert,
        caCert: await readFile(layout.caCert, "utf8"),
        caKeyFile: layout.caKey,
        serverCertFile: layout.serverCert,
        serverKeyFile: layout.serverKey,
      },
      { commonName: `system:node:${this.nodeName}`, organizations: ["system:nodes"] },
    );
    this.nodeKubeconfig = path.join(this.base.path, "node.kubeconfig");
    await writeKubeconfig(this.nodeKubeconfig, {
      server: this.controller.url,
      caPem: await readFile(layout.caCert, "utf8"),
      user: `system:node:${this.nodeName}`,
      clientCertPem: issued.certPem,
      clientKeyPem: issued.keyPem,
    });
    const ociLayout = path.join(this.base.path, "layout");
    await writeOciLayout(ociLayout, [
      { image: await busyboxOneLayer(), refNames: ["docker.io/library/busybox:latest"] },
    ]);
    await importImages(await ImageStore.open(path.join(this.base.path, "root")), ociLayout);
    this.network = await writeTestNetwork(this.base.path);
    await this.startAgent();
  }

  /** Starts `berth agent` as this node; resolves once the kubelet serves (port learnt). */
  async startAgent(): Promise<void> {
    this.agent = await startAgentProcess(this.base.path, [
      "--cgroup-parent",
      this.cgroupParent,
      "--kubeconfig",
      this.nodeKubeconfig,
      "--node-name",
      this.nodeName,
      "--node-ip",
      "127.0.0.1",
      "--kubelet-port",
      "0",
      "--kubelet-address",
      "127.0.0.1",
      "--pod-logs-dir",
      path.join(this.base.path, "pod-logs"),
      ...(this.options.agentArgs ?? []),
    ]);
    const agent = this.agent;
    this.kubeletPort = await waitFor("the kubelet to serve", async () => {
      if (agent.child.exitCode !== null) throw new Error(`the agent exited: ${agent.stderr()}`);
      return kubeletPortFrom(agent.stderr());
    });
    this.cri = criClient(this.agent.socket);
  }

  /** SIGKILL, as a crash would. */
  async killAgent(): Promise<void> {
    this.cri?.close();
    this.cri = undefined;
    await this.agent?.kill();
    this.agent = undefined;
  }

  /** kubectl as the admin; killed after `timeoutMs` (default 30 s). */
  kubectl(args: string[], input?: string, timeoutMs?: number): Promise<KubectlResult> {
    return kubectl(args, { ...this.kubectlOptions(input), timeoutMs });
  }

  kubectlOk(args: string[], input?: string): Promise<string> {
    return kubectlOk(args, this.kubectlOptions(input));
  }

  /** A GET on the kubelet's HTTPS API as the cluster admin (system:masters), or with no certificate. */
  async kubeletGet(
    urlPath: string,
    as: "admin" | "anonymous" = "admin",
  ): Promise<{ status: number; body: string }> {
    const layout = pkiLayout(path.join(this.base.path, "controller"));
    const [ca, cert, key] = await Promise.all([
      readFile(path.join(this.base.path, "root", "pki", "kubelet.crt"), "utf8"),
      readFile(layout.adminCert, "utf8"),
      readFile(layout.adminKey, "utf8"),
    ]);
    return new Promise((resolve, reject) => {
      https
        .get(
          `https://127.0.0.1:${this.kubeletPort}${urlPath}`,
          { ca, ...(as === "admin" ? { cert, key } : {}), agent: false, timeout: 10_000 },
          (res) => {
            let body = "";
            res.on("data", (b: Buffer) => (body += b.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          },
        )
        .on("error", reject);
    });
  }

  /** Sandboxes and containers the runtime has for a pod uid (all of them without one). */
  async runtimeObjects(uid?: string): Promise<{ sandboxes: string[]; containers: string[] }> {
    const filter = uid ? { label_selector: { "io.kubernetes.pod.uid": uid } } : {};
    const cri = this.cri!;
    const [s, c] = await Promise.all([
      cri.runtime("ListPodSandbox", { filter }),
      cri.runtime("ListContainers", { filter }),
    ]);
    return {
      sandboxes: (s.items as { id: string }[]).map((x) => x.id),
      containers: (c.containers as { id: string }[]).map((x) => x.id),
    };
  }

  /**
   * Stops the agent, removes every pod from the runtime through a CRI-only agent on the same
   * root (the kubelet leaves containers running when it stops), then everything else. A pod
   * that could not be removed fails the teardown, after the rest was cleaned up.
   */
  async tearDown(): Promise<void> {
    this.cri?.close();
    await this.agent?.stop();
    this.admin?.close();
    const failure = this.base ? await this.removeRuntimePods() : undefined;
    await this.network?.remove();
    removeCgroupEverywhere(this.cgroupParent);
    await this.controller?.stop();
    await this.etcd?.stop();
    if (this.base) await unmountUnder(this.base.path);
    this.base?.remove();
    if (failure) throw new Error(`could not remove the runtime's pods: ${failure.message}`);
  }

  /** Every sandbox removed by a CRI-only agent; a few tries (a cleaner that fails to start). */
  private async removeRuntimePods(): Promise<Error | undefined> {
    let failure: Error | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) await sleep(1_000);
      let cleaner: AgentProcess;
      try {
        cleaner = await startAgentProcess(this.base.path, ["--cgroup-parent", this.cgroupParent]);
      } catch (err) {
        failure = err as Error;
        continue;
      }
      const cri = criClient(cleaner.socket);
      try {
        for (const pod of (await cri.runtime("ListPodSandbox", {})).items as { id: string }[]) {
          await cri.runtime("RemovePodSandbox", { pod_sandbox_id: pod.id });
        }
        return undefined;
      } catch (err) {
        failure = err as Error;
      } finally {
        cri.close();
        await cleaner.stop();
      }
    }
    return failure;
  }

  private kubectlOptions(input?: string) {
    return {
      kubeconfig: this.controller.kubeconfig,
      cacheDir: path.join(this.base.path, "kubectl-cache"),
      input,
    };
  }
}

/**
 * A KubeletCluster for the enclosing describe(): set up before its tests with `namespace`
 * created, torn down after them.
 */
export function kubeletClusterForSuite(
  namespace: string,
  options: { agentArgs?: string[] } = {},
): KubeletCluster {
  const cluster = new KubeletCluster(options);
  before(async function () {
    requireIntegration(this, [
      "runc",
      "conmon",
      "unshare",
      "nsenter",
      "etcd",
      "openssl",
      "kubectl",
    ]);
    await cluster.setUp();
    await cluster.kubectlOk(["create", "namespace", namespace]);
  });
  after(() => cluster.tearDown());
  return cluster;
}
