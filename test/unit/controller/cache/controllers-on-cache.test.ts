import { expect } from "chai";
import { silentLogger, type Logger } from "../../../../lib/logger.js";
import { ControllerManager } from "../../../../controller/controllers/controller-manager.js";
import { startCachedApi, type CachedApi } from "./cached-api.js";

const node = (name: string) => ({
  metadata: { name, labels: { "kubernetes.io/hostname": name } },
  status: {
    capacity: { cpu: "4", memory: "8Gi", pods: "110" },
    allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
    conditions: [{ type: "Ready", status: "True" }],
  },
});

/** A silent logger that keeps what went wrong: a controller failing on a frozen object logs. */
function recordingLogger(problems: string[]): Logger {
  const logger = silentLogger();
  for (const level of ["error", "warn"] as const) {
    logger[level] = ((message: string, meta?: unknown) => {
      problems.push(`${level}: ${message} ${JSON.stringify(meta ?? {})}`);
      return logger;
    }) as Logger["error"];
  }
  return logger;
}

describe("controllers on watch caches (shared, frozen objects)", () => {
  let api: CachedApi;
  let manager: ControllerManager;
  const problems: string[] = [];

  /** Pods not being deleted (there is no kubelet to finish deleting bound ones). */
  const pods = async () =>
    (
      (await api.request("GET", "/api/v1/namespaces/default/pods")).body.items as {
        metadata: { name: string; deletionTimestamp?: string };
        spec: { nodeName?: string };
      }[]
    ).filter((p) => !p.metadata.deletionTimestamp);
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 8000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeEach(async () => {
    problems.length = 0;
    api = await startCachedApi();
    await api.request("POST", "/api/v1/namespaces", { metadata: { name: "default" } });
    for (const n of ["n1", "n2", "n3"]) await api.request("POST", "/api/v1/nodes", node(n));
    await api.settled();
    api.store.reset();
    manager = new ControllerManager(api.deps, recordingLogger(problems));
    await manager.start();
  });
  afterEach(async () => {
    manager.stop();
    await api.close();
  });

  it("lists and watches through the caches: no store list or watch of their own", () => {
    expect(api.store.calls).to.include({ list: 0, watch: 0 });
  });

  it("runs a Deployment's creation, scaling and deletion without modifying a cached object", async function () {
    this.timeout(30_000);
    const created = await api.request("POST", "/apis/apps/v1/namespaces/default/deployments", {
      metadata: { name: "web" },
      spec: {
        replicas: 6,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "c", image: "busybox" }] },
        },
      },
    });
    expect(created.status, created.text).to.equal(201);
    await until("6 bound pods", async () => {
      const all = await pods();
      return all.length === 6 && all.every((p) => p.spec.nodeName);
    });
    const spread = new Map<string, number>();
    for (const p of await pods())
      spread.set(p.spec.nodeName!, (spread.get(p.spec.nodeName!) ?? 0) + 1);
    expect([...spread.values()]).to.deep.equal([2, 2, 2]);

    await api.request(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/web",
      { spec: { replicas: 2 } },
      "application/merge-patch+json",
    );
    await until("2 pods", async () => {
      const all = await pods();
      return all.length === 2;
    });
    await api.request("DELETE", "/apis/apps/v1/namespaces/default/deployments/web");
    await until(
      "the garbage collector to remove every pod",
      async () => (await pods()).length === 0,
    );
    expect(
      problems.filter((p) => /read only|not extensible|Cannot (assign|add|delete)/.test(p)),
    ).to.deep.equal([]);
    expect(problems.filter((p) => p.startsWith("error"))).to.deep.equal([]);
  });
});
