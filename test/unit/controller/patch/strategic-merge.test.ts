import { expect } from "chai";
import { isBerthError } from "../../../../lib/errors.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { applyStrategicMergePatch } from "../../../../controller/patch/strategic-merge.js";

const deploymentKind = { group: "apps", version: "v1", kind: "Deployment" };
const podKind = { group: "", version: "v1", kind: "Pod" };
const nodeKind = { group: "", version: "v1", kind: "Node" };

function deployment(): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", labels: { app: "web", old: "yes" } },
    spec: {
      replicas: 2,
      strategy: {
        type: "RollingUpdate",
        rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" },
      },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "a",
              image: "nginx",
              env: [
                { name: "X", value: "1" },
                { name: "Y", value: "2" },
              ],
            },
            { name: "b", image: "redis" },
            { name: "c", image: "alpine" },
          ],
          tolerations: [
            { key: "dedicated", operator: "Equal", value: "web", effect: "NoSchedule" },
          ],
        },
      },
    },
  };
}

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "p", ...metadata }, spec };
}

function containerNames(obj: KubeObject): string[] {
  const spec = (obj.spec as { template?: { spec: unknown } }).template?.spec ?? obj.spec;
  return (spec as { containers: { name: string }[] }).containers.map((c) => c.name);
}

function rejection(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    expect(isBerthError(err, "InvalidArgument"), String(err)).to.equal(true);
    return err as Error;
  }
  throw new Error("expected an InvalidArgument error");
}

describe("controller/patch applyStrategicMergePatch", () => {
  it("applies the kubectl apply example of the wire reference", () => {
    const patch = {
      metadata: { labels: { old: null } },
      spec: {
        strategy: { $retainKeys: ["type"], rollingUpdate: null, type: "Recreate" },
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "c" }, { name: "a" }],
            containers: [
              { name: "c", image: "busybox" },
              { name: "a", env: [{ $patch: "delete", name: "X" }] },
              { $patch: "delete", name: "b" },
            ],
          },
        },
      },
    };
    const result = applyStrategicMergePatch(deployment(), patch, deploymentKind);
    expect(result.metadata?.labels).to.deep.equal({ app: "web" });
    const spec = result.spec as {
      strategy: unknown;
      replicas: number;
      template: { spec: Record<string, unknown> };
    };
    expect(spec.strategy).to.deep.equal({ type: "Recreate" });
    expect(spec.replicas).to.equal(2);
    expect(spec.template.spec.containers).to.deep.equal([
      { name: "c", image: "busybox" },
      { name: "a", image: "nginx", env: [{ name: "Y", value: "2" }] },
    ]);
    expect(spec.template.spec.tolerations).to.have.length(1);
  });

  it("does not modify the target or the patch", () => {
    const target = deployment();
    const patch = { spec: { template: { spec: { containers: [{ name: "a", image: "x" }] } } } };
    const before = JSON.stringify([target, patch]);
    applyStrategicMergePatch(target, patch, deploymentKind);
    expect(JSON.stringify([target, patch])).to.equal(before);
  });

  it("merges containers by name and changes only the patched fields", () => {
    const patch = {
      spec: { template: { spec: { containers: [{ name: "b", image: "redis:7" }] } } },
    };
    const result = applyStrategicMergePatch(deployment(), patch, deploymentKind);
    const containers = (result.spec as { template: { spec: { containers: unknown[] } } }).template
      .spec.containers;
    expect(containers[1]).to.deep.equal({ name: "b", image: "redis:7" });
    expect(containerNames(result)).to.deep.equal(["a", "b", "c"]);
  });

  it("puts a new container where Kubernetes does: before the live-only ones when none is patched", () => {
    // As in the Kubernetes docs' "kubectl patch" task: the new container comes out first.
    const onlyNew = {
      spec: { template: { spec: { containers: [{ name: "d", image: "redis" }] } } },
    };
    expect(
      containerNames(applyStrategicMergePatch(deployment(), onlyNew, deploymentKind)),
    ).to.deep.equal(["d", "a", "b", "c"]);
    const withExisting = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: "b", image: "x" },
              { name: "d", image: "y" },
            ],
          },
        },
      },
    };
    expect(
      containerNames(applyStrategicMergePatch(deployment(), withExisting, deploymentKind)),
    ).to.deep.equal(["a", "b", "d", "c"]);
  });

  it("merges env by name: updates, adds and deletes variables", () => {
    const target = pod({
      containers: [
        {
          name: "app",
          image: "x",
          env: [
            { name: "A", value: "1" },
            { name: "B", value: "2" },
          ],
        },
      ],
    });
    const patch = {
      spec: {
        containers: [
          {
            name: "app",
            env: [
              { name: "A", value: "10" },
              { name: "B", $patch: "delete" },
              { name: "C", value: "3" },
            ],
          },
        ],
      },
    };
    const result = applyStrategicMergePatch(target, patch, podKind);
    expect((result.spec as { containers: { env: unknown }[] }).containers[0].env).to.deep.equal([
      { name: "A", value: "10" },
      { name: "C", value: "3" },
    ]);
  });

  it("merges ports by containerPort and volumeMounts by mountPath", () => {
    const target = pod({
      containers: [
        {
          name: "app",
          ports: [{ containerPort: 80, name: "http" }],
          volumeMounts: [{ name: "data", mountPath: "/data" }],
        },
      ],
    });
    const patch = {
      spec: {
        containers: [
          {
            name: "app",
            ports: [{ containerPort: 80, protocol: "TCP" }, { containerPort: 443 }],
            volumeMounts: [{ mountPath: "/data", readOnly: true }],
          },
        ],
      },
    };
    const container = (
      applyStrategicMergePatch(target, patch, podKind).spec as { containers: object[] }
    ).containers[0];
    expect(container).to.deep.equal({
      name: "app",
      ports: [{ containerPort: 80, name: "http", protocol: "TCP" }, { containerPort: 443 }],
      volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }],
    });
  });

  it("replaces lists without a merge key whole (tolerations, command, args)", () => {
    const target = pod({
      containers: [{ name: "app", command: ["sh", "-c"], args: ["a", "b"] }],
      tolerations: [{ key: "a", operator: "Exists" }],
    });
    const patch = {
      spec: {
        containers: [{ name: "app", args: ["c"] }],
        tolerations: [{ key: "b", operator: "Exists" }],
      },
    };
    const spec = applyStrategicMergePatch(target, patch, podKind).spec as Record<string, unknown>;
    expect(spec.tolerations).to.deep.equal([{ key: "b", operator: "Exists" }]);
    expect(spec.containers).to.deep.equal([{ name: "app", command: ["sh", "-c"], args: ["c"] }]);
  });

  it("unions finalizers and removes them with $deleteFromPrimitiveList", () => {
    const target = pod({}, { finalizers: ["a", "b"] });
    const added = applyStrategicMergePatch(
      target,
      { metadata: { finalizers: ["b", "c"] } },
      podKind,
    );
    expect(added.metadata?.finalizers).to.deep.equal(["a", "b", "c"]);
    const removed = applyStrategicMergePatch(
      target,
      { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } },
      podKind,
    );
    expect(removed.metadata?.finalizers).to.deep.equal(["b"]);
  });

  it("orders a scalar list with $setElementOrder", () => {
    const target = pod({}, { finalizers: ["a", "b", "c"] });
    const patch = { metadata: { "$setElementOrder/finalizers": ["c", "a", "b"] } };
    expect(applyStrategicMergePatch(target, patch, podKind).metadata?.finalizers).to.deep.equal([
      "c",
      "a",
      "b",
    ]);
  });

  it("reorders without changing contents when only $setElementOrder is sent", () => {
    const patch = {
      spec: {
        template: { spec: { "$setElementOrder/containers": [{ name: "c" }, { name: "b" }] } },
      },
    };
    // a is not named: it keeps its live position ahead of b.
    expect(
      containerNames(applyStrategicMergePatch(deployment(), patch, deploymentKind)),
    ).to.deep.equal(["a", "c", "b"]);
  });

  it("merges ownerReferences by uid", () => {
    const target = pod(
      {},
      { ownerReferences: [{ uid: "1", kind: "ReplicaSet", name: "rs", apiVersion: "apps/v1" }] },
    );
    const patch = {
      metadata: {
        ownerReferences: [
          { uid: "1", controller: true },
          { uid: "2", name: "x" },
        ],
      },
    };
    const refs = applyStrategicMergePatch(target, patch, podKind).metadata?.ownerReferences;
    expect(refs).to.have.length(2);
    expect(refs?.find((r) => r.uid === "1")).to.include({ controller: true, name: "rs" });
  });

  it("$patch: replace replaces a map, $patch: delete removes it, $patch: merge merges", () => {
    const target = pod({ nodeSelector: { a: "1", b: "2" } }, { labels: { x: "1", y: "2" } });
    const replaced = applyStrategicMergePatch(
      target,
      { metadata: { labels: { $patch: "replace", z: "3" } } },
      podKind,
    );
    expect(replaced.metadata?.labels).to.deep.equal({ z: "3" });
    const deleted = applyStrategicMergePatch(
      target,
      { spec: { nodeSelector: { $patch: "delete" } } },
      podKind,
    );
    expect(deleted.spec).to.not.have.property("nodeSelector");
    const merged = applyStrategicMergePatch(
      target,
      { metadata: { labels: { $patch: "merge", z: "3" } } },
      podKind,
    );
    expect(merged.metadata?.labels).to.deep.equal({ x: "1", y: "2", z: "3" });
  });

  it("$patch: replace as a list element replaces the merged list", () => {
    const target = pod({
      volumes: [
        { name: "a", emptyDir: {} },
        { name: "b", emptyDir: {} },
      ],
    });
    const patch = { spec: { volumes: [{ $patch: "replace" }, { name: "c", emptyDir: {} }] } };
    expect(
      (applyStrategicMergePatch(target, patch, podKind).spec as { volumes: unknown }).volumes,
    ).to.deep.equal([{ name: "c", emptyDir: {} }]);
  });

  it("$retainKeys clears a volume's old source when its type changes", () => {
    const target = pod({ volumes: [{ name: "v", hostPath: { path: "/x" } }] });
    const patch = {
      spec: { volumes: [{ name: "v", $retainKeys: ["name", "emptyDir"], emptyDir: {} }] },
    };
    expect(
      (applyStrategicMergePatch(target, patch, podKind).spec as { volumes: unknown }).volumes,
    ).to.deep.equal([{ name: "v", emptyDir: {} }]);
  });

  it("cordons and uncordons a node", () => {
    const node: KubeObject = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n" },
      spec: { podCIDR: "10.0.0.0/24" },
    };
    const cordoned = applyStrategicMergePatch(node, { spec: { unschedulable: true } }, nodeKind);
    expect(cordoned.spec).to.deep.equal({ podCIDR: "10.0.0.0/24", unschedulable: true });
    const uncordoned = applyStrategicMergePatch(
      cordoned,
      { spec: { unschedulable: null } },
      nodeKind,
    );
    expect(uncordoned.spec).to.deep.equal({ podCIDR: "10.0.0.0/24" });
  });

  it("merges node taints by key and status conditions and addresses by type", () => {
    const node: KubeObject = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n" },
      spec: { taints: [{ key: "a", effect: "NoSchedule" }] },
      status: {
        conditions: [
          { type: "Ready", status: "False" },
          { type: "MemoryPressure", status: "False" },
        ],
        addresses: [{ type: "InternalIP", address: "10.0.0.1" }],
      },
    };
    const patch = {
      spec: { taints: [{ key: "b", effect: "NoExecute" }] },
      status: {
        conditions: [{ type: "Ready", status: "True" }],
        addresses: [{ type: "Hostname", address: "n" }],
      },
    };
    const result = applyStrategicMergePatch(node, patch, nodeKind) as {
      spec: { taints: { key: string }[] };
      status: { conditions: { type: string; status: string }[]; addresses: unknown[] };
    };
    expect(result.spec.taints.map((t) => t.key).sort()).to.deep.equal(["a", "b"]);
    expect(result.status.conditions).to.deep.equal([
      { type: "Ready", status: "True" },
      { type: "MemoryPressure", status: "False" },
    ]);
    expect(result.status.addresses).to.have.length(2);
  });

  it("merges Service ports by port", () => {
    const service: KubeObject = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s" },
      spec: {
        ports: [
          { port: 80, targetPort: 8080 },
          { port: 443, targetPort: 8443 },
        ],
      },
    };
    const patch = { spec: { ports: [{ port: 80, targetPort: 9090 }] } };
    const result = applyStrategicMergePatch(service, patch, {
      group: "",
      version: "v1",
      kind: "Service",
    });
    expect((result.spec as { ports: unknown }).ports).to.deep.equal([
      { port: 80, targetPort: 9090 },
      { port: 443, targetPort: 8443 },
    ]);
  });

  it("merges pod status conditions and container statuses as a kubelet patches them", () => {
    const target: KubeObject = {
      ...pod({ containers: [{ name: "app" }] }),
      status: {
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "True" }],
        containerStatuses: [{ name: "app", ready: false }],
      },
    };
    const patch = {
      status: {
        phase: "Running",
        conditions: [{ type: "Ready", status: "True" }],
        containerStatuses: [{ name: "app", ready: true }],
      },
    };
    const status = applyStrategicMergePatch(target, patch, podKind).status as Record<
      string,
      unknown
    >;
    expect(status.phase).to.equal("Running");
    expect(status.conditions).to.have.length(2);
    expect(status.containerStatuses).to.deep.equal([{ name: "app", ready: true }]);
  });

  it("falls back to JSON merge patch for kinds it has no table for", () => {
    const widget: KubeObject = {
      apiVersion: "example.com/v1",
      kind: "Widget",
      spec: { items: [{ name: "a" }], x: 1 },
    };
    const result = applyStrategicMergePatch(
      widget,
      { spec: { items: [{ name: "b" }], x: null } },
      { group: "example.com", version: "v1", kind: "Widget" },
    );
    expect(result.spec).to.deep.equal({ items: [{ name: "b" }] });
  });

  it("rejects list elements without the merge key, naming the list", () => {
    const err = rejection(() =>
      applyStrategicMergePatch(
        deployment(),
        { spec: { template: { spec: { containers: [{ image: "x" }] } } } },
        deploymentKind,
      ),
    );
    expect(err.message).to.match(
      /spec\.template\.spec\.containers: element .* does not contain declared merge key: name/,
    );
  });

  it("rejects a $setElementOrder that disagrees with the patch list", () => {
    const patch = {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "a" }],
            containers: [{ name: "b", image: "x" }],
          },
        },
      },
    };
    expect(
      rejection(() => applyStrategicMergePatch(deployment(), patch, deploymentKind)).message,
    ).to.match(/\$setElementOrder/);
  });

  it("rejects a $retainKeys that leaves out a key the patch sets", () => {
    const patch = {
      spec: { strategy: { $retainKeys: ["type"], type: "RollingUpdate", rollingUpdate: {} } },
    };
    expect(
      rejection(() => applyStrategicMergePatch(deployment(), patch, deploymentKind)).message,
    ).to.match(/spec\.strategy: \$retainKeys does not list "rollingUpdate"/);
  });

  it("rejects unknown directives and non-object patches", () => {
    rejection(() =>
      applyStrategicMergePatch(deployment(), { metadata: { $patch: "frob" } }, deploymentKind),
    );
    rejection(() =>
      applyStrategicMergePatch(deployment(), { metadata: { $frob: 1 } }, deploymentKind),
    );
    rejection(() => applyStrategicMergePatch(deployment(), [1], deploymentKind));
  });
});
