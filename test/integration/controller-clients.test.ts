import * as k8s from "@kubernetes/client-node";
import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import { issueClientCertificate } from "../../controller/pki/issue-client-certificate.js";
import { pkiLayout } from "../../controller/pki/pki-layout.js";
import { startControllerProcess, type ControllerProcess } from "../support/controller-process.js";
import { startEtcd, type TestEtcd } from "../support/etcd-server.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One HTTPS request to the controller with a client certificate, a bearer token, or nothing. */
function call(
  url: string,
  ca: string,
  method: string,
  pathname: string,
  auth: { cert?: string; key?: string; token?: string } = {},
  body?: unknown,
  contentType = "application/json",
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(`${url}${pathname}`, {
      method,
      ca,
      cert: auth.cert,
      key: auth.key,
      headers: {
        ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
        ...(payload
          ? { "content-type": contentType, "content-length": Buffer.byteLength(payload) }
          : {}),
      },
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (b: Buffer) => (text += b));
      res.on("end", () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // plain text (health endpoints)
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

const until = async (check: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe("berth controller with real clients: auth, client-node, restarts, replicas", function () {
  this.timeout(120_000);
  let base: ReturnType<typeof tempDir>;
  let etcd: TestEtcd;
  let controller: ControllerProcess;
  let second: ControllerProcess | undefined;
  let ca: string;
  let admin: { cert: string; key: string };
  const token = `tok-${process.pid}-${Date.now()}`;

  before(async function () {
    requireIntegration(this, ["etcd", "openssl"]);
    base = tempDir("controller-clients");
    etcd = await startEtcd();
    const tokenFile = path.join(base.path, "tokens.csv");
    writeFileSync(tokenFile, `${token},alice,u-alice,"readers"\n`);
    const policyFile = path.join(base.path, "policy.jsonl");
    writeFileSync(
      policyFile,
      `${JSON.stringify({
        apiVersion: "abac.authorization.kubernetes.io/v1beta1",
        kind: "Policy",
        spec: { user: "alice", namespace: "*", resource: "*", apiGroup: "*", readonly: true },
      })}\n`,
    );
    controller = await startControllerProcess(base.path, etcd.endpoint, {
      args: ["--token-auth-file", tokenFile, "--authorization-policy-file", policyFile],
    });
    const layout = pkiLayout(path.join(base.path, "controller"));
    ca = readFileSync(layout.caCert, "utf8");
    admin = {
      cert: readFileSync(layout.adminCert, "utf8"),
      key: readFileSync(layout.adminKey, "utf8"),
    };
    // The controller makes the system namespaces itself, as kube-apiserver does.
    const found = await call(controller.url, ca, "GET", "/api/v1/namespaces/default", admin);
    expect(found.status).to.equal(200);
  });

  after(async () => {
    await second?.stop();
    await controller?.stop();
    await etcd?.stop();
    base?.remove();
  });

  const pki = () => {
    const layout = pkiLayout(path.join(base.path, "controller"));
    return {
      caFile: layout.caCert,
      caCert: ca,
      caKeyFile: layout.caKey,
      serverCertFile: layout.serverCert,
      serverKeyFile: layout.serverKey,
    };
  };

  it("answers 401 without credentials or with an unknown token, but serves health checks", async () => {
    const anonymous = await call(controller.url, ca, "GET", "/api/v1/namespaces");
    expect(anonymous.status).to.equal(401);
    expect(anonymous.body).to.include({ kind: "Status", reason: "Unauthorized" });
    expect(
      (await call(controller.url, ca, "GET", "/api/v1/pods", { token: "nope" })).status,
    ).to.equal(401);
    for (const p of ["/healthz", "/livez", "/readyz"]) {
      const health = await call(controller.url, ca, "GET", p);
      expect(health.status, p).to.equal(200);
      expect(health.body).to.equal("ok");
    }
  });

  it("lets a token user do what the policy file allows and nothing more (403)", async () => {
    const read = await call(controller.url, ca, "GET", "/api/v1/namespaces/default/configmaps", {
      token,
    });
    expect(read.status).to.equal(200);
    const write = await call(
      controller.url,
      ca,
      "POST",
      "/api/v1/namespaces/default/configmaps",
      { token },
      {
        metadata: { name: "x" },
      },
    );
    expect(write.status).to.equal(403);
    expect(write.body.message).to.match(
      /^configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "default"/,
    );
  });

  it("lets a node write its own Node but not another node's (403)", async () => {
    const issued = await issueClientCertificate(pki(), {
      commonName: "system:node:n1",
      organizations: ["system:nodes"],
    });
    const n1 = { cert: issued.certPem, key: issued.keyPem };
    const own = await call(controller.url, ca, "POST", "/api/v1/nodes", n1, {
      metadata: { name: "n1" },
    });
    expect(own.status, JSON.stringify(own.body)).to.equal(201);
    const other = await call(controller.url, ca, "POST", "/api/v1/nodes", n1, {
      metadata: { name: "n2" },
    });
    expect(other.status).to.equal(403);
    await call(controller.url, ca, "POST", "/api/v1/nodes", admin, { metadata: { name: "n2" } });
    const patchOther = await call(
      controller.url,
      ca,
      "PATCH",
      "/api/v1/nodes/n2/status",
      n1,
      { status: { conditions: [{ type: "Ready", status: "True" }] } },
      "application/strategic-merge-patch+json",
    );
    expect(patchOther.status).to.equal(403);
    expect(patchOther.body.message).to.include(
      'User "system:node:n1" cannot patch resource "nodes/status" in API group "" at the cluster scope',
    );
    const patchOwn = await call(
      controller.url,
      ca,
      "PATCH",
      "/api/v1/nodes/n1/status",
      n1,
      { status: { conditions: [{ type: "Ready", status: "True" }] } },
      "application/strategic-merge-patch+json",
    );
    expect(patchOwn.status, JSON.stringify(patchOwn.body)).to.equal(200);
    const pods = await call(controller.url, ca, "POST", "/api/v1/namespaces/default/pods", n1, {
      metadata: { name: "sneaky" },
      spec: { containers: [{ name: "c", image: "busybox" }] },
    });
    expect(pods.status).to.equal(403);
  });

  it("feeds a client-node informer every add, update and delete in order, across an etcd restart", async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(controller.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const seen: string[] = [];
    const informer = k8s.makeInformer(kc, "/api/v1/namespaces/default/configmaps", () =>
      core.listNamespacedConfigMap({ namespace: "default" }),
    );
    informer.on("add", (o) => seen.push(`add ${o.metadata?.name} ${o.data?.v ?? ""}`));
    informer.on("update", (o) => seen.push(`update ${o.metadata?.name} ${o.data?.v ?? ""}`));
    informer.on("delete", (o) => seen.push(`delete ${o.metadata?.name}`));
    let stopped = false;
    // client-node informers stop on a watch error; restart like a controller would, until stopped.
    informer.on("error", () => setTimeout(() => !stopped && void informer.start(), 200));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: "inf" }, data: { v: "1" } },
      });
      await core.replaceNamespacedConfigMap({
        name: "inf",
        namespace: "default",
        body: { metadata: { name: "inf" }, data: { v: "2" } },
      });
      await core.deleteNamespacedConfigMap({ name: "inf", namespace: "default" });
      await until(() => seen.includes("delete inf"));
      expect(seen.filter((s) => s.includes(" inf"))).to.deep.equal([
        "add inf 1",
        "update inf 2",
        "delete inf",
      ]);

      await etcd.kill();
      await etcd.restart();
      await core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: "after" }, data: { v: "3" } },
      });
      await until(() => seen.includes("add after 3"), 30_000);
      expect(informer.list().map((o) => o.metadata?.name)).to.deep.equal(["after"]);
    } finally {
      stopped = true;
      await informer.stop();
    }
  });

  it("loses no acknowledged write when the controller is killed and restarted", async () => {
    const names = Array.from({ length: 20 }, (_, i) => `ack-${i}`);
    await Promise.all(
      names.map((name) =>
        call(controller.url, ca, "POST", "/api/v1/namespaces/default/configmaps", admin, {
          metadata: { name },
        }).then((r) => expect(r.status).to.equal(201)),
      ),
    );
    const port = controller.port;
    await controller.kill();
    controller = await startControllerProcess(base.path, etcd.endpoint, { port });
    const list = await call(
      controller.url,
      ca,
      "GET",
      "/api/v1/namespaces/default/configmaps?labelSelector=",
      admin,
    );
    const stored = list.body.items.map((o: { metadata: { name: string } }) => o.metadata.name);
    expect(stored).to.include.members(names);
  });

  it("keeps two controllers on one etcd consistent: of two updates from one version, one wins, one gets 409", async () => {
    second = await startControllerProcess(path.join(base.path, "second"), etcd.endpoint);
    // The second controller has its own CA: talk to it with its own admin credentials.
    const layout2 = pkiLayout(path.join(base.path, "second", "controller"));
    const ca2 = readFileSync(layout2.caCert, "utf8");
    const admin2 = {
      cert: readFileSync(layout2.adminCert, "utf8"),
      key: readFileSync(layout2.adminKey, "utf8"),
    };
    const created = await call(
      controller.url,
      ca,
      "POST",
      "/api/v1/namespaces/default/configmaps",
      admin,
      {
        metadata: { name: "race" },
        data: { v: "0" },
      },
    );
    const seenBySecond = await call(
      second.url,
      ca2,
      "GET",
      "/api/v1/namespaces/default/configmaps/race",
      admin2,
    );
    expect(seenBySecond.body.metadata.resourceVersion).to.equal(
      created.body.metadata.resourceVersion,
    );
    for (let round = 0; round < 5; round++) {
      const current = await call(
        controller.url,
        ca,
        "GET",
        "/api/v1/namespaces/default/configmaps/race",
        admin,
      );
      const [a, b] = await Promise.all([
        call(controller.url, ca, "PUT", "/api/v1/namespaces/default/configmaps/race", admin, {
          ...current.body,
          data: { v: `a${round}` },
        }),
        call(second.url, ca2, "PUT", "/api/v1/namespaces/default/configmaps/race", admin2, {
          ...current.body,
          data: { v: `b${round}` },
        }),
      ]);
      expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
      const winner = a.status === 200 ? `a${round}` : `b${round}`;
      const after = await call(
        second.url,
        ca2,
        "GET",
        "/api/v1/namespaces/default/configmaps/race",
        admin2,
      );
      expect(after.body.data.v).to.equal(winner);
    }
  });
});
