import { expect } from "chai";
import { spawn } from "node:child_process";
import path from "node:path";
import { startControllerProcess, type ControllerProcess } from "../support/controller-process.js";
import { startEtcd, type TestEtcd } from "../support/etcd-server.js";
import { kubectl, kubectlOk } from "../support/kubectl.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";

const manifests = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: "fast"
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  containers:
  - name: web
    image: busybox:1.36
    command: ["sleep", "3600"]
    ports:
    - containerPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: busybox:1.36
`;

const node = (name: string) => `
apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
    node-role.kubernetes.io/worker: ""
spec:
  # Nothing is scheduled here: no kubelet would ever finish a bound pod's graceful deletion.
  taints:
  - key: berth.test/no-kubelet
    effect: NoSchedule
status:
  conditions:
  - type: Ready
    status: "True"
    reason: KubeletReady
    message: ok
  nodeInfo:
    kubeletVersion: v1.32.4-berth
`;

describe("the real kubectl against berth controller (HTTPS, etcd)", function () {
  this.timeout(120_000);
  let base: ReturnType<typeof tempDir>;
  let etcd: TestEtcd;
  let controller: ControllerProcess;
  let opts: { kubeconfig: string; cacheDir: string };
  const k = (args: string[], input?: string) => kubectl(args, { ...opts, input });
  const ok = (args: string[], input?: string) => kubectlOk(args, { ...opts, input });

  before(async function () {
    requireIntegration(this, ["etcd", "kubectl", "openssl"]);
    base = tempDir("controller-kubectl");
    etcd = await startEtcd();
    controller = await startControllerProcess(base.path, etcd.endpoint);
    opts = { kubeconfig: controller.kubeconfig, cacheDir: path.join(base.path, "kube-cache") };
  });
  after(async () => {
    await controller?.stop();
    await etcd?.stop();
    base?.remove();
  });

  it("reports a 1.32 server to kubectl version and lists api-resources", async () => {
    const version = JSON.parse(await ok(["version", "-o", "json"]));
    expect(version.serverVersion.minor).to.equal("32");
    const resources = await ok(["api-resources"]);
    expect(resources).to.match(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(resources).to.match(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(resources).to.match(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
  });

  it("creates from a file and gets in every output kubectl users rely on", async () => {
    const created = await ok(["create", "-f", "-"], manifests);
    expect(created).to.include("namespace/shop created");
    expect(created).to.include("pod/web created");
    expect(created).to.include("deployment.apps/api created");

    const plain = await ok(["get", "pods", "-n", "shop"]);
    expect(plain).to.match(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    expect(plain).to.match(/^web\s+0\/1\s+Pending\s+0\s+\d+s$/m);
    const wide = await ok(["get", "pods", "-n", "shop", "-o", "wide"]);
    expect(wide).to.match(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m,
    );
    const yaml = await ok(["get", "pod", "web", "-n", "shop", "-o", "yaml"]);
    expect(yaml).to.include("kind: Pod");
    expect(yaml).to.include("containerPort: 80");
    const json = JSON.parse(await ok(["get", "configmap", "settings", "-n", "shop", "-o", "json"]));
    expect(json.data).to.deep.equal({ mode: "fast" });
    const names = await ok([
      "get",
      "pods",
      "-A",
      "-l",
      "app=web",
      "-o",
      "jsonpath={.items[*].metadata.name}",
    ]);
    expect(names).to.equal("web");
    const all = await ok(["get", "pods", "-A"]);
    expect(all).to.match(/^NAMESPACE\s+NAME\s+READY\s+STATUS/);
    expect(all).to.match(/^shop\s+web\s+0\/1\s+Pending/m);
    const labelled = await ok(["get", "pods", "-n", "shop", "-l", "app=web", "--show-labels"]);
    expect(labelled).to.match(/^web\s+.*app=web$/m);
    expect(await ok(["get", "pods", "-n", "shop", "-l", "app=nothing"])).to.equal("");
    const deployments = await ok(["get", "deploy", "-n", "shop"]);
    expect(deployments).to.match(
      /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\napi\s+0\/2\s+\d\s+0\s+\d+s/,
    );
    const namespaces = await ok(["get", "ns"]);
    expect(namespaces).to.match(/^shop\s+Active\s+\d+s$/m);
  });

  it("creates with the typed generators (protobuf bodies from kubectl 1.32)", async () => {
    expect(await ok(["create", "namespace", "typed"])).to.include("namespace/typed created");
    expect(
      await ok(["create", "configmap", "lit", "-n", "typed", "--from-literal=a=b"]),
    ).to.include("configmap/lit created");
    expect(
      await ok(["create", "secret", "generic", "sec", "-n", "typed", "--from-literal=pw=s3cret"]),
    ).to.include("secret/sec created");
    expect(
      await ok([
        "create",
        "deployment",
        "web",
        "-n",
        "typed",
        "--image=busybox:1.36",
        "--replicas=2",
        "--port=80",
      ]),
    ).to.include("deployment.apps/web created");
    const secret = JSON.parse(await ok(["get", "secret", "sec", "-n", "typed", "-o", "json"]));
    expect(Buffer.from(secret.data.pw, "base64").toString()).to.equal("s3cret");
    const deployment = JSON.parse(await ok(["get", "deploy", "web", "-n", "typed", "-o", "json"]));
    expect(deployment.spec.replicas).to.equal(2);
    expect(deployment.spec.template.spec.containers[0].ports[0]).to.deep.equal({
      containerPort: 80,
      protocol: "TCP",
    });
    expect(await ok(["delete", "ns", "typed"])).to.include('namespace "typed" deleted');
  });

  it("describes a pod", async () => {
    const text = await ok(["describe", "pod", "web", "-n", "shop"]);
    expect(text).to.match(/^Name:\s+web$/m);
    expect(text).to.match(/^Namespace:\s+shop$/m);
    expect(text).to.match(/^\s+Image:\s+busybox:1\.36$/m);
    expect(text).to.match(/^\s+Port:\s+80\/TCP$/m);
  });

  it("applies twice (created, then configured) and server-side", async () => {
    const cm = (value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: shop\ndata:\n  key: "${value}"\n`;
    expect(await ok(["apply", "-f", "-"], cm("one"))).to.include("configmap/applied created");
    expect(await ok(["apply", "-f", "-"], cm("two"))).to.include("configmap/applied configured");
    expect(await ok(["apply", "-f", "-"], cm("two"))).to.include("configmap/applied unchanged");
    const live = JSON.parse(await ok(["get", "cm", "applied", "-n", "shop", "-o", "json"]));
    expect(live.data.key).to.equal("two");
    expect(live.metadata.annotations).to.have.property(
      "kubectl.kubernetes.io/last-applied-configuration",
    );
    const ssa = (value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: shop\ndata:\n  key: "${value}"\n`;
    expect(await ok(["apply", "--server-side", "-f", "-"], ssa("a"))).to.include(
      "configmap/ssa serverside-applied",
    );
    expect(await ok(["apply", "--server-side", "-f", "-"], ssa("b"))).to.include(
      "configmap/ssa serverside-applied",
    );
    const managed = JSON.parse(
      await ok(["get", "cm", "ssa", "-n", "shop", "-o", "json", "--show-managed-fields"]),
    );
    expect(managed.data.key).to.equal("b");
    expect(
      managed.metadata.managedFields.map(
        (m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`,
      ),
    ).to.include("kubectl/Apply");
  });

  it("patches (merge, json, strategic), labels and annotates", async () => {
    await ok([
      "patch",
      "pod",
      "web",
      "-n",
      "shop",
      "--type",
      "merge",
      "-p",
      '{"metadata":{"labels":{"tier":"front"}}}',
    ]);
    await ok([
      "patch",
      "pod",
      "web",
      "-n",
      "shop",
      "--type",
      "json",
      "-p",
      '[{"op":"add","path":"/metadata/annotations","value":{"a":"1"}}]',
    ]);
    await ok([
      "patch",
      "pod",
      "web",
      "-n",
      "shop",
      "-p",
      '{"spec":{"containers":[{"name":"web","image":"busybox:1.37"}]}}',
    ]);
    await ok(["label", "pod", "web", "-n", "shop", "env=prod"]);
    await ok(["annotate", "pod", "web", "-n", "shop", "note=hello"]);
    const pod = JSON.parse(await ok(["get", "pod", "web", "-n", "shop", "-o", "json"]));
    expect(pod.metadata.labels).to.deep.equal({ app: "web", tier: "front", env: "prod" });
    expect(pod.metadata.annotations).to.include({ a: "1", note: "hello" });
    expect(pod.spec.containers.map((c: { image: string }) => c.image)).to.deep.equal([
      "busybox:1.37",
    ]);
    const overwrite = await k(["label", "pod", "web", "-n", "shop", "env=dev"]);
    expect(overwrite.code).to.not.equal(0);
    expect(overwrite.stderr).to.include("already has a value (prod)");
  });

  it("cordons and uncordons a node, and scales a deployment", async () => {
    await ok(["create", "-f", "-"], node("worker-1"));
    expect(await ok(["cordon", "worker-1"])).to.include("node/worker-1 cordoned");
    expect(await ok(["get", "nodes"])).to.match(
      /^worker-1\s+Ready,SchedulingDisabled\s+worker\s+\d+s\s+v1\.32\.4-berth$/m,
    );
    expect(await ok(["uncordon", "worker-1"])).to.include("node/worker-1 uncordoned");
    expect(await ok(["get", "nodes"])).to.match(/^worker-1\s+Ready\s+worker/m);
    expect(await ok(["scale", "deployment", "api", "-n", "shop", "--replicas=3"])).to.include(
      "deployment.apps/api scaled",
    );
    const scaled = JSON.parse(await ok(["get", "deploy", "api", "-n", "shop", "-o", "json"]));
    expect(scaled.spec.replicas).to.equal(3);
    expect(
      await ok([
        "scale",
        "deployment",
        "api",
        "-n",
        "shop",
        "--current-replicas=3",
        "--replicas=1",
      ]),
    ).to.include("scaled");
  });

  it("streams changes with get -w", async () => {
    const child = spawn(
      "kubectl",
      [
        "--kubeconfig",
        opts.kubeconfig,
        "--cache-dir",
        opts.cacheDir,
        "get",
        "cm",
        "-n",
        "shop",
        "-w",
        "--output-watch-events",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b));
    try {
      const deadline = Date.now() + 15_000;
      while (!out.includes("settings") && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      await ok(
        ["create", "-f", "-"],
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n  namespace: shop\n",
      );
      await ok(["delete", "cm", "watched", "-n", "shop"]);
      while (!/DELETED\s+watched/.test(out) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(out).to.match(/ADDED\s+settings/);
      expect(out).to.match(/ADDED\s+watched/);
      expect(out).to.match(/DELETED\s+watched/);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("answers errors as kubectl users expect", async () => {
    const missing = await k(["get", "pod", "nosuch", "-n", "shop"]);
    expect(missing.stderr).to.include('Error from server (NotFound): pods "nosuch" not found');
    const dup = await k(
      ["create", "-f", "-"],
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\n`,
    );
    expect(dup.stderr).to.include(
      'Error from server (AlreadyExists): error when creating "STDIN": configmaps "settings" already exists',
    );
    const invalid = await k(
      ["create", "-f", "-"],
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\n  namespace: shop\nspec:\n  containers:\n  - name: c\n    image: busybox\n`,
    );
    expect(invalid.code).to.not.equal(0);
    expect(invalid.stderr).to.include(
      'Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"',
    );
    const unknownField = await k(
      ["create", "-f", "-"],
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\n  namespace: shop\ndatta:\n  a: b\n`,
    );
    expect(unknownField.stderr).to.include('strict decoding error: unknown field "datta"');
    const unknownKind = await k(["get", "widgets"]);
    expect(unknownKind.stderr).to.include('the server doesn\'t have a resource type "widgets"');
    const malformed = await k(
      ["create", "-f", "-"],
      "apiVersion: v1\nkind: ConfigMap\nmetadata: [oops\n",
    );
    expect(malformed.code).to.not.equal(0);
  });

  it("deletes, and kubectl waits until the object is gone", async () => {
    expect(await ok(["delete", "pod", "web", "-n", "shop"])).to.include('pod "web" deleted');
    expect((await k(["get", "pod", "web", "-n", "shop"])).code).to.not.equal(0);
    expect(await ok(["delete", "ns", "shop"])).to.include('namespace "shop" deleted');
    expect((await k(["get", "ns", "shop"])).stderr).to.include("NotFound");
    expect((await k(["get", "cm", "-n", "shop", "settings"])).stderr).to.include("NotFound");
  });
});
