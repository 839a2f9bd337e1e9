// 50 concurrent clients, each in its own namespace with a watch open on it, creating, getting and
// listing pods against `berth controller` (HTTPS, real etcd); beside it the same workload straight
// on the etcd store the controller uses (the storage floor), in the same run. Reports throughput
// and p50/p99 latency per verb, and watch delivery latency (write sent → event received).
import { promises as fs, readFileSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { pkiLayout } from "../controller/pki/pki-layout.js";
import { openEtcdStore } from "../controller/storage/etcd-store.js";
import { silentLogger } from "../lib/logger.js";
import { startControllerProcess } from "../test/support/controller-process.js";
import { startEtcd } from "../test/support/etcd-server.js";
import { percentile } from "./stats.js";

const clients = Number(process.env.BENCH_CLIENTS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);

type Verb = "create" | "get" | "list";
type Samples = Record<Verb | "watch", number[]>;

const now = () => Number(process.hrtime.bigint()) / 1e6;

function pod(name: string) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: "bench" } },
    spec: { containers: [{ name: "c", image: "busybox:1.36", command: ["sleep", "3600"] }] },
  };
}

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "berth-bench-api-"));
  const etcd = await startEtcd();
  // Its own process, as in production: the load generator does not share its thread.
  const controller = await startControllerProcess(work, etcd.endpoint);
  const layout = pkiLayout(path.join(work, "controller"));
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: clients * 2 + 4,
    ca: readFileSync(layout.caCert),
    cert: readFileSync(layout.adminCert),
    key: readFileSync(layout.adminKey),
  });
  const request = (method: string, p: string, body?: unknown) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(`${controller.url}${p}`, {
        method,
        agent,
        headers: payload
          ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
          : {},
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (b: Buffer) => (text += b));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", reject);
      req.end(payload);
    });
  try {
    for (let c = 0; c < clients; c++) {
      const r = await request("POST", "/api/v1/namespaces", { metadata: { name: `bench-${c}` } });
      if (r.status !== 201) throw new Error(`namespace: ${r.status} ${r.text}`);
    }
    const api = await runApi(controller.url, agent, request);
    const store = openEtcdStore({ endpoints: [etcd.endpoint], logger: silentLogger() });
    const floor = await runStore(store);
    store.close();
    report(api, floor);
  } finally {
    agent.destroy();
    await controller.stop();
    await etcd.stop();
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function runApi(
  url: string,
  agent: https.Agent,
  request: (m: string, p: string, b?: unknown) => Promise<{ status: number; text: string }>,
): Promise<{ samples: Samples; seconds: number }> {
  const samples: Samples = { create: [], get: [], list: [], watch: [] };
  const sentAt = new Map<string, number>();
  const watches = await Promise.all(
    Array.from({ length: clients }, (_, c) =>
      openWatch(
        url,
        agent,
        `/api/v1/namespaces/bench-${c}/pods?watch=true&resourceVersion=0`,
        (name) => {
          const sent = sentAt.get(name);
          if (sent !== undefined) samples.watch.push(now() - sent);
        },
      ),
    ),
  );
  // Warm-up: every client's connection is open (TLS done) before the clock starts.
  await Promise.all(
    Array.from({ length: clients }, (_, c) => request("GET", `/api/v1/namespaces/bench-${c}`)),
  );
  const started = now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const ns = `/api/v1/namespaces/bench-${c}/pods`;
      for (let i = 0; i < rounds; i++) {
        const name = `p-${i}`;
        let t = now();
        sentAt.set(name + `@${c}`, t);
        const created = await request("POST", ns, pod(name));
        if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
        samples.create.push(now() - t);
        t = now();
        if ((await request("GET", `${ns}/${name}`)).status !== 200) throw new Error("get failed");
        samples.get.push(now() - t);
        t = now();
        if ((await request("GET", ns)).status !== 200) throw new Error("list failed");
        samples.list.push(now() - t);
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  const deadline = Date.now() + 10_000;
  while (samples.watch.length < clients * rounds && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const w of watches) w.destroy();
  return { samples, seconds };

  function openWatch(base: string, a: https.Agent, p: string, onAdded: (name: string) => void) {
    return new Promise<import("node:http").ClientRequest>((resolve, reject) => {
      const req = https.get(`${base}${p}`, { agent: a }, (res) => {
        let buffer = "";
        res.on("data", (b: Buffer) => {
          buffer += b;
          let nl;
          while ((nl = buffer.indexOf("\n")) >= 0) {
            const event = JSON.parse(buffer.slice(0, nl));
            buffer = buffer.slice(nl + 1);
            const ns = String(event.object?.metadata?.namespace ?? "").replace("bench-", "");
            if (event.type === "ADDED") onAdded(`${event.object.metadata.name}@${ns}`);
          }
        });
        res.on("error", () => undefined);
        resolve(req);
      });
      req.on("error", reject);
    });
  }
}

async function runStore(
  store: ReturnType<typeof openEtcdStore>,
): Promise<{ samples: Samples; seconds: number }> {
  const samples: Samples = { create: [], get: [], list: [], watch: [] };
  const sentAt = new Map<string, number>();
  const rev = await store.revision();
  const watches = Array.from({ length: clients }, (_, c) =>
    store.watch(`/floor/pods/bench-${c}/`, rev, {
      onEvent: (e) => {
        if (e.type !== "put") return;
        const sent = sentAt.get(e.object.key);
        if (sent !== undefined) samples.watch.push(now() - sent);
      },
      onError: () => undefined,
    }),
  );
  const started = now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const prefix = `/floor/pods/bench-${c}/`;
      for (let i = 0; i < rounds; i++) {
        const key = `${prefix}p-${i}`;
        let t = now();
        sentAt.set(key, t);
        await store.create(key, pod(`p-${i}`));
        samples.create.push(now() - t);
        t = now();
        await store.get(key);
        samples.get.push(now() - t);
        t = now();
        await store.list(prefix);
        samples.list.push(now() - t);
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  const deadline = Date.now() + 10_000;
  while (samples.watch.length < clients * rounds && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const w of watches) w.close();
  return { samples, seconds };
}

function report(
  api: { samples: Samples; seconds: number },
  floor: { samples: Samples; seconds: number },
) {
  const ops = clients * rounds;
  console.log(
    `${clients} clients x ${rounds} rounds (create, get, list in the client's namespace; one watch per namespace)`,
  );
  console.log(
    `API: ${((ops * 3) / api.seconds).toFixed(0)} requests/s over ${api.seconds.toFixed(2)} s; etcd store floor: ${((ops * 3) / floor.seconds).toFixed(0)} ops/s over ${floor.seconds.toFixed(2)} s`,
  );
  for (const verb of ["create", "get", "list", "watch"] as const) {
    const a = api.samples[verb];
    const f = floor.samples[verb];
    const line = (s: number[]) =>
      `p50 ${percentile(s, 50).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms (n=${s.length})`;
    const ratio = percentile(a, 50) / percentile(f, 50);
    const label = verb === "watch" ? "watch delivery" : verb;
    console.log(
      `${label.padEnd(15)} API ${line(a)} | etcd ${line(f)} | p50 ratio ${ratio.toFixed(2)}`,
    );
  }
}

await main();
