import { expect } from "chai";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { EventRecorder } from "../../agent/kube/event-recorder.js";
import { KubeClient, kubeClientFromKubeconfig } from "../../agent/kube/kube-client.js";
import { isForbidden } from "../../agent/kube/kube-errors.js";
import type { KubeEvent, Lease, Node } from "../../agent/kube/types.js";
import { leasePath } from "../../agent/kubelet/node/lease-renewer.js";
import {
  nodeReference,
  startNodeAgent,
  type NodeAgent,
} from "../../agent/kubelet/node/node-agent.js";
import type { NodeReadiness } from "../../agent/kubelet/node/node-conditions.js";
import { gatherNodeFacts, type NodeFacts } from "../../agent/kubelet/node/node-facts.js";
import { registerNode } from "../../agent/kubelet/node/node-registration.js";
import { issueClientCertificate } from "../../controller/pki/issue-client-certificate.js";
import { pkiLayout } from "../../controller/pki/pki-layout.js";
import { isBerthError } from "../../lib/errors.js";
import { silentLogger } from "../../lib/logger.js";
import { berthVersion } from "../../lib/version.js";
import { startControllerProcess, type ControllerProcess } from "../support/controller-process.js";
import { startEtcd, type TestEtcd } from "../support/etcd-server.js";
import { kubectlOk } from "../support/kubectl.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

const nodeName = `berth-test-node-${process.pid}`;
const nodePath = `/api/v1/nodes/${nodeName}`;

describe("kubelet node: registration, lease, status and events on the real controller", function () {
  this.timeout(120_000);
  let base: ReturnType<typeof tempDir>;
  let etcd: TestEtcd;
  let controller: ControllerProcess;
  let admin: KubeClient;
  let client: KubeClient;
  let kube: { kubeconfig: string; cacheDir: string };
  let facts: NodeFacts;
  let agent: NodeAgent | undefined;
  let events: EventRecorder | undefined;
  let readiness: NodeReadiness;
  let renewals: Lease[];

  const startAgent = () => {
    events = new EventRecorder({ client, host: nodeName, logger: silentLogger() });
    agent = startNodeAgent({
      client,
      facts,
      root: base.path,
      readiness: () => readiness,
      logger: silentLogger(),
      labels: { "berth.dev/test": "kubelet-node" },
      events,
      lease: { renewIntervalMs: 300, onRenewed: (lease) => renewals.push(lease) },
      status: { checkIntervalMs: 200 },
    });
    return agent;
  };
  const stopAgent = async () => {
    await agent?.stop();
    await events?.stop();
    agent = undefined;
    events = undefined;
  };
  const getNode = () => admin.get<Node>(nodePath);
  const readyOf = (node: Node) => node.status?.conditions?.find((c) => c.type === "Ready");

  before(async function () {
    requireIntegration(this, ["etcd", "openssl", "kubectl"]);
    base = tempDir("kubelet-node");
    etcd = await startEtcd();
    controller = await startControllerProcess(base.path, etcd.endpoint);
    kube = { kubeconfig: controller.kubeconfig, cacheDir: path.join(base.path, "kubectl-cache") };
    admin = await kubeClientFromKubeconfig(controller.kubeconfig);
    // A kubeconfig as an installer would write it: files next to it, relative paths.
    const layout = pkiLayout(path.join(base.path, "controller"));
    const issued = await issueClientCertificate(
      {
        caFile: layout.caCert,
        caCert: readFileSync(layout.caCert, "utf8"),
        caKeyFile: layout.caKey,
        serverCertFile: layout.serverCert,
        serverKeyFile: layout.serverKey,
      },
      { commonName: `system:node:${nodeName}`, organizations: ["system:nodes"] },
    );
    const nodeDir = path.join(base.path, "node");
    mkdirSync(path.join(nodeDir, "pki"), { recursive: true });
    writeFileSync(path.join(nodeDir, "pki", "ca.crt"), readFileSync(layout.caCert));
    writeFileSync(path.join(nodeDir, "pki", "node.crt"), issued.certPem);
    writeFileSync(path.join(nodeDir, "pki", "node.key"), issued.keyPem, { mode: 0o600 });
    const nodeKubeconfig = path.join(nodeDir, "kubelet.kubeconfig");
    writeFileSync(
      nodeKubeconfig,
      YAML.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          {
            name: "berth",
            cluster: { server: controller.url, "certificate-authority": "pki/ca.crt" },
          },
        ],
        users: [
          {
            name: "node",
            user: { "client-certificate": "pki/node.crt", "client-key": "pki/node.key" },
          },
        ],
        contexts: [{ name: "node", context: { cluster: "berth", user: "node" } }],
        "current-context": "node",
      }),
    );
    client = await kubeClientFromKubeconfig(nodeKubeconfig);
    // The controller makes the system namespaces (default, kube-node-lease…) itself.
    for (const name of ["default", "kube-node-lease"]) {
      expect((await admin.get(`/api/v1/namespaces/${name}`)) as object).to.have.nested.property(
        "metadata.name",
        name,
      );
    }
    facts = await gatherNodeFacts({
      nodeName,
      root: base.path,
      kubeletPort: 10250,
      internalIP: "127.0.0.1",
    });
    readiness = { runtime: { ready: true }, network: { ready: true } };
    renewals = [];
  });

  after(async () => {
    await stopAgent();
    client?.close();
    admin?.close();
    await controller?.stop();
    await etcd?.stop();
    base?.remove();
  });

  it("registers the node: kubectl shows it Ready, with capacity, version and runtime berth://", async () => {
    const node = await startAgent().registered;
    expect(node?.metadata?.uid).to.be.a("string");
    await waitFor("the node to be Ready", async () =>
      readyOf(await getNode())?.status === "True" ? true : undefined,
    );
    const wide = await kubectlOk(["get", "nodes", nodeName, "-o", "wide"], kube);
    const [header, row] = wide.trim().split("\n");
    const columns = header.split(/\s{2,}/);
    const cells = row.split(/\s{2,}/);
    const cell = (name: string) => cells[columns.indexOf(name)];
    expect(cell("STATUS")).to.equal("Ready");
    expect(cell("CONTAINER-RUNTIME")).to.equal(`berth://${berthVersion}`);
    expect(cell("INTERNAL-IP")).to.equal("127.0.0.1");
    expect(cell("VERSION")).to.equal(facts.nodeInfo.kubeletVersion);
    const version = await admin.get<{ major: string; minor: string }>("/version");
    expect(facts.nodeInfo.kubeletVersion).to.match(
      new RegExp(`^v${version.major}\\.${version.minor}\\.`),
    );
    const stored = JSON.parse(
      await kubectlOk(["get", "node", nodeName, "-o", "json"], kube),
    ) as Node;
    expect(stored.status?.capacity).to.deep.equal(facts.capacity);
    expect(stored.status?.allocatable).to.deep.equal(facts.allocatable);
    expect(stored.status?.daemonEndpoints).to.deep.equal({ kubeletEndpoint: { Port: 10250 } });
    expect(stored.metadata?.labels).to.deep.include({
      "kubernetes.io/hostname": facts.hostname,
      "kubernetes.io/os": "linux",
      "berth.dev/test": "kubelet-node",
    });
    expect(stored.status?.conditions?.map((c) => `${c.type}=${c.status}`).sort()).to.deep.equal([
      "DiskPressure=False",
      "MemoryPressure=False",
      "PIDPressure=False",
      "Ready=True",
    ]);
  });

  it("renews its Lease in kube-node-lease, owned by the Node; renewTime advances", async () => {
    const node = await getNode();
    const first = await waitFor("the lease", () =>
      admin.get<Lease>(leasePath(nodeName)).catch(() => undefined),
    );
    const later = await waitFor("a renewal", async () => {
      const lease = await admin.get<Lease>(leasePath(nodeName));
      return lease.spec?.renewTime !== first.spec?.renewTime ? lease : undefined;
    });
    expect(later.spec).to.deep.include({ holderIdentity: nodeName, leaseDurationSeconds: 40 });
    expect(later.spec?.renewTime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Date.parse(later.spec!.renewTime!)).to.be.greaterThan(
      Date.parse(first.spec!.renewTime!),
    );
    expect(later.metadata?.ownerReferences).to.deep.equal([
      { apiVersion: "v1", kind: "Node", name: nodeName, uid: node.metadata?.uid },
    ]);
    const listed = await kubectlOk(
      ["get", "leases", "-n", "kube-node-lease", "--no-headers"],
      kube,
    );
    expect(listed).to.include(nodeName);
  });

  it("PATCHes the status when a condition changes: NotReady with the network's reason, then Ready", async () => {
    readiness = {
      runtime: { ready: true },
      network: { ready: false, message: "cni config uninitialized" },
    };
    await agent!.syncStatus();
    const notReady = readyOf(await getNode());
    expect(notReady).to.deep.include({
      status: "False",
      reason: "KubeletNotReady",
      message: "container runtime network not ready: cni config uninitialized",
    });
    expect(await kubectlOk(["get", "node", nodeName, "--no-headers"], kube)).to.match(
      /\sNotReady\s/,
    );
    readiness = { runtime: { ready: true }, network: { ready: true } };
    await agent!.syncStatus();
    const ready = readyOf(await getNode());
    expect(ready?.status).to.equal("True");
    expect(Date.parse(ready!.lastTransitionTime!)).to.be.at.least(
      Date.parse(notReady!.lastTransitionTime!),
    );
  });

  it("posts events and counts repeats (count 2), as kubectl get events shows", async () => {
    const ref = nodeReference(nodeName);
    events!.record(ref, "Warning", "TestRepeat", "the same thing happened");
    events!.record(ref, "Warning", "TestRepeat", "the same thing happened");
    await events!.flush();
    const selector = `involvedObject.name=${nodeName},reason=TestRepeat`;
    const list = JSON.parse(
      await kubectlOk(
        ["get", "events", "-n", "default", "--field-selector", selector, "-o", "json"],
        kube,
      ),
    ) as { items: KubeEvent[] };
    expect(list.items).to.have.length(1);
    expect(list.items[0]).to.deep.include({
      count: 2,
      type: "Warning",
      source: { component: "kubelet", host: nodeName },
    });
    const table = await kubectlOk(["get", "events", "-n", "default"], kube);
    expect(table).to.match(new RegExp(`TestRepeat\\s+node/${nodeName}\\s+the same thing happened`));
    expect(table).to.match(
      new RegExp(`NodeReady\\s+node/${nodeName}\\s+Node ${nodeName} status is now: NodeReady`),
    );
  });

  it("keeps the labels and taints an admin added when it registers again after a restart", async () => {
    await kubectlOk(["label", "node", nodeName, "team=ops"], kube);
    await kubectlOk(
      ["label", "node", nodeName, "kubernetes.io/hostname=tampered", "--overwrite"],
      kube,
    );
    await kubectlOk(["taint", "node", nodeName, "dedicated=ops:NoSchedule"], kube);
    const before = await getNode();
    await stopAgent();
    renewals = [];
    const again = await startAgent().registered;
    expect(again?.metadata?.uid).to.equal(before.metadata?.uid);
    await waitFor("a lease renewal after the restart", async () =>
      renewals.length > 0 ? true : undefined,
    );
    const node = await getNode();
    expect(node.metadata?.labels).to.deep.include({
      team: "ops",
      "kubernetes.io/hostname": facts.hostname,
      "berth.dev/test": "kubelet-node",
    });
    expect(node.spec?.taints).to.deep.equal([
      { key: "dedicated", value: "ops", effect: "NoSchedule" },
    ]);
    expect(readyOf(node)).to.deep.include({
      status: "True",
      lastTransitionTime: readyOf(before)?.lastTransitionTime,
    });
  });

  it("cannot create or modify another node, its status or its lease: 403 as a clear error", async () => {
    const other = `${nodeName}-other`;
    await admin.create("/api/v1/nodes", { metadata: { name: other } });
    const register = await registerNode(client, { ...facts, nodeName: other }).then(
      () => expect.fail("registering another node should fail"),
      (err: Error) => err,
    );
    expect(isForbidden(register), String(register)).to.equal(true);
    expect(isBerthError(register, "PermissionDenied")).to.equal(true);
    expect(register.message).to.match(/^POST \/api\/v1\/nodes: .*forbidden/);
    expect(register.message).to.include(`system:node:${nodeName}`);
    const status = await client
      .patch(`/api/v1/nodes/${other}/status`, { status: { conditions: [] } }, "strategic")
      .then(
        () => expect.fail("patching another node's status should fail"),
        (err: Error) => err,
      );
    expect(isForbidden(status), String(status)).to.equal(true);
    const lease = await client
      .create("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", {
        metadata: { name: other, namespace: "kube-node-lease" },
        spec: { holderIdentity: other },
      })
      .then(
        () => expect.fail("creating another node's lease should fail"),
        (err: Error) => err,
      );
    expect(isForbidden(lease), String(lease)).to.equal(true);
  });
});
