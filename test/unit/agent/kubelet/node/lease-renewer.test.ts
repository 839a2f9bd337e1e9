import { expect } from "chai";
import { KubeClient } from "../../../../../agent/kube/kube-client.js";
import type { Lease } from "../../../../../agent/kube/types.js";
import {
  startLeaseRenewer,
  type LeaseRenewer,
} from "../../../../../agent/kubelet/node/lease-renewer.js";
import { silentLogger } from "../../../../../lib/logger.js";
import {
  sendJson,
  sendStatus,
  startFakeApi,
  type FakeApi,
  type FakeApiHandler,
} from "../../../../support/kubelet-fake-api.js";
import { waitFor } from "../../../../support/wait-for.js";

const leases = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";

describe("agent/kubelet/node lease renewer", () => {
  let api: FakeApi;
  let client: KubeClient;
  let renewer: LeaseRenewer | undefined;
  let stored: Lease | undefined;
  let version: number;
  let clockMs: number;
  let renewals: Lease[];

  // A one-Lease store with resourceVersion checks, as the API server keeps it.
  const leaseStore: FakeApiHandler = (req, res) => {
    if (req.method === "POST" && req.path === leases) {
      if (stored) return sendStatus(res, 409, "AlreadyExists", "exists");
      stored = {
        ...req.body,
        metadata: { ...req.body.metadata, resourceVersion: String(++version) },
      };
      return sendJson(res, 201, stored);
    }
    if (req.path !== `${leases}/node-1`) return;
    if (!stored) return sendStatus(res, 404, "NotFound", 'leases "node-1" not found');
    if (req.method === "GET") return sendJson(res, 200, stored);
    if (req.method === "PUT") {
      if (req.body.metadata.resourceVersion !== stored.metadata?.resourceVersion) {
        return sendStatus(res, 409, "Conflict", "the object has been modified");
      }
      stored = {
        ...req.body,
        metadata: { ...req.body.metadata, resourceVersion: String(++version) },
      };
      return sendJson(res, 200, stored);
    }
  };

  const start = (nodeUid = "node-uid") =>
    (renewer = startLeaseRenewer({
      client,
      nodeName: "node-1",
      nodeUid,
      renewIntervalMs: 30,
      backoff: { initialMs: 10, maxMs: 30 },
      logger: silentLogger(),
      now: () => new Date((clockMs += 1500)),
      onRenewed: (lease) => renewals.push(lease),
    }));
  const calls = () => api.requests.map((r) => `${r.method} ${r.path.replace(leases, "")}`);

  beforeEach(async () => {
    stored = undefined;
    version = 0;
    renewals = [];
    clockMs = Date.parse("2025-03-01T10:00:00Z");
    api = await startFakeApi(leaseStore);
    client = new KubeClient({ server: api.url });
  });

  afterEach(async () => {
    await renewer?.stop();
    renewer = undefined;
    client.close();
    await api.close();
  });

  it("creates the missing Lease, owned by the Node, then renews it every interval", async () => {
    start();
    await waitFor("three renewals", async () => (renewals.length >= 3 ? true : undefined));
    await renewer!.stop();
    expect(calls().slice(0, 4)).to.deep.equal([
      "GET /node-1",
      "POST ",
      "PUT /node-1",
      "PUT /node-1",
    ]);
    const created = api.requests[1].body as Lease;
    expect(created.metadata).to.deep.include({ name: "node-1", namespace: "kube-node-lease" });
    expect(created.metadata?.ownerReferences).to.deep.equal([
      { apiVersion: "v1", kind: "Node", name: "node-1", uid: "node-uid" },
    ]);
    expect(created.spec).to.deep.include({ holderIdentity: "node-1", leaseDurationSeconds: 40 });
    expect(created.spec?.renewTime).to.equal("2025-03-01T10:00:01.500000Z");
    const times = renewals.map((l) => l.spec!.renewTime!);
    expect(times.every((t) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(t))).to.equal(true);
    expect([...times].sort()).to.deep.equal(times);
    expect(new Set(times).size).to.equal(times.length);
    expect(renewer!.current()?.spec?.renewTime).to.equal(times.at(-1));
  });

  it("re-reads the Lease and retries when an update lost a race (409)", async () => {
    start();
    await waitFor("a renewal", async () => (renewals.length >= 1 ? true : undefined));
    stored = { ...stored!, metadata: { ...stored!.metadata, resourceVersion: String(++version) } };
    const before = api.requests.length;
    await waitFor("a renewal after the race", async () =>
      calls().slice(before).includes("GET /node-1") && renewals.length >= 3 ? true : undefined,
    );
    const after = calls().slice(before);
    const conflict = after.indexOf("GET /node-1");
    expect(after.slice(conflict - 1, conflict + 2)).to.deep.equal([
      "PUT /node-1",
      "GET /node-1",
      "PUT /node-1",
    ]);
  });

  it("takes over an existing Lease, replacing the owner from a deleted Node", async () => {
    stored = {
      metadata: {
        name: "node-1",
        namespace: "kube-node-lease",
        resourceVersion: String(++version),
        ownerReferences: [
          { apiVersion: "v1", kind: "Node", name: "node-1", uid: "old-uid" },
          { apiVersion: "example.com/v1", kind: "Other", name: "x", uid: "o1" },
        ],
      },
      spec: { holderIdentity: "node-1", leaseDurationSeconds: 40 },
    };
    start("new-uid");
    await waitFor("a renewal", async () => (renewals.length >= 1 ? true : undefined));
    expect(calls().slice(0, 2)).to.deep.equal(["GET /node-1", "PUT /node-1"]);
    expect(stored?.metadata?.ownerReferences?.map((r) => r.uid)).to.deep.equal(["o1", "new-uid"]);
  });

  it("backs off while the server fails and recovers when it is back", async () => {
    api.setHandler((_req, res) => sendStatus(res, 503, "ServiceUnavailable", "down"));
    start();
    await waitFor("a few failed tries", async () => (api.requests.length >= 3 ? true : undefined));
    expect(renewals).to.have.length(0);
    api.setHandler(leaseStore);
    await waitFor("a renewal", async () => (renewals.length >= 1 ? true : undefined));
  });
});
