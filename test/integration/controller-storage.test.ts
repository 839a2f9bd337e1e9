import { expect } from "chai";
import net from "node:net";
import {
  openEtcdStore,
  type EtcdStore,
  type EtcdStoreOptions,
} from "../../controller/storage/etcd-store.js";
import {
  CompactedError,
  type StoreEvent,
  type StoreWatch,
} from "../../controller/storage/store.js";
import { isBerthError } from "../../lib/errors.js";
import { run } from "../../lib/exec.js";
import { silentLogger } from "../../lib/logger.js";
import { compact, startEtcd, type TestEtcd } from "../support/etcd-server.js";
import { requireIntegration } from "../support/prerequisites.js";
import { waitFor } from "../support/wait-for.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** "put KEY@REV" / "delete KEY@REV (was REV)": the order and identity of events at a glance. */
function summary(e: StoreEvent): string {
  return e.type === "put"
    ? `put ${e.object.key}@${e.object.modRevision}`
    : `delete ${e.previous.key}@${e.revision}`;
}

interface Recorder {
  events: StoreEvent[];
  errors: Error[];
  progress: number[];
  watch: StoreWatch;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  expect.fail("the call succeeded");
}

/** etcd's own count of live watchers, to see that closed watches leave nothing behind. */
async function etcdWatchers(endpoint: string): Promise<number> {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("etcd_debugging_mvcc_watcher_total "));
  return Number(line?.split(" ")[1]);
}

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function suite(
  name: string,
  body: (ctx: {
    etcd: () => TestEtcd;
    open: (o?: Partial<EtcdStoreOptions>) => EtcdStore;
    record: (s: EtcdStore, prefix: string, from: number) => Recorder;
  }) => void,
) {
  describe(name, function () {
    let etcd: TestEtcd | undefined;
    const stores: EtcdStore[] = [];

    before(async function () {
      requireIntegration(this, ["etcd", "etcdctl"]);
      etcd = await startEtcd();
    });

    afterEach(() => {
      for (const s of stores.splice(0)) s.close();
    });

    after(async () => {
      for (const s of stores.splice(0)) s.close();
      await etcd?.stop();
    });

    const open = (options: Partial<EtcdStoreOptions> = {}) => {
      const store = openEtcdStore({
        endpoints: [etcd!.endpoint],
        logger: silentLogger(),
        ...options,
      });
      stores.push(store);
      return store;
    };

    const record = (store: EtcdStore, prefix: string, from: number): Recorder => {
      const r = { events: [], errors: [], progress: [] } as unknown as Recorder;
      r.watch = store.watch(prefix, from, {
        onEvent: (e) => r.events.push(e),
        onError: (e) => r.errors.push(e),
        onProgress: (rev) => r.progress.push(rev),
      });
      return r;
    };

    body({ etcd: () => etcd!, open, record });
  });
}

describe("controller storage on etcd", function () {
  this.timeout(120_000);

  suite("reads and writes", ({ etcd, open }) => {
    it("creates and reads back a value exactly, without storing resourceVersion", async () => {
      const store = open();
      const value = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cfg", namespace: "default", resourceVersion: "123", labels: { a: "b" } },
        data: { text: "é\n\u0000\u{1f600}", empty: "" },
        nested: { list: [1, 2.5, -3, null, true, { deep: [] }], big: 2 ** 53 - 1 },
      };
      const created = await store.create("/rw/configmaps/default/cfg", value);
      expect(created.modRevision).to.equal(created.createRevision);
      const metadata: Record<string, unknown> = { ...value.metadata };
      delete metadata.resourceVersion;
      const expected = { ...value, metadata };
      expect(created.value).to.deep.equal(expected);

      const read = await store.get("/rw/configmaps/default/cfg");
      expect(read).to.deep.equal(created);
      expect(JSON.stringify(read!.value)).to.equal(JSON.stringify(expected));

      const { stdout } = await run("etcdctl", [
        "--endpoints",
        etcd().endpoint,
        "get",
        "/rw/configmaps/default/cfg",
        "--print-value-only",
      ]);
      expect(JSON.parse(stdout)).to.deep.equal(expected);
      expect(stdout).to.not.include("resourceVersion");
    });

    it("answers undefined for a missing key", async () => {
      expect(await open().get("/rw/none")).to.equal(undefined);
    });

    it("refuses to create an existing key (AlreadyExists naming it)", async () => {
      const store = open();
      await store.create("/rw/dup", { kind: "A" });
      const err = await rejection(store.create("/rw/dup", { kind: "B" }));
      expect(isBerthError(err, "AlreadyExists")).to.equal(true);
      expect(err.message).to.include("/rw/dup");
      expect((await store.get("/rw/dup"))!.value).to.deep.equal({ kind: "A" });
    });

    it("updates at the current revision and refuses a stale one (Aborted) or a missing key", async () => {
      const store = open();
      const v1 = await store.create("/rw/upd", { kind: "A", metadata: { name: "upd" }, n: 1 });
      const v2 = await store.update(
        "/rw/upd",
        { kind: "A", metadata: { name: "upd", resourceVersion: String(v1.modRevision) }, n: 2 },
        v1.modRevision,
      );
      expect(v2.modRevision).to.be.greaterThan(v1.modRevision);
      expect(v2.createRevision).to.equal(v1.createRevision);
      expect(v2.value).to.deep.equal({ kind: "A", metadata: { name: "upd" }, n: 2 });

      const stale = await rejection(store.update("/rw/upd", { n: 3 }, v1.modRevision));
      expect(isBerthError(stale, "Aborted")).to.equal(true);
      expect(stale.message).to.include("the object has been modified");
      expect(await store.get("/rw/upd")).to.deep.equal(v2);

      const missing = await rejection(store.update("/rw/missing", { n: 1 }, v2.modRevision));
      expect(isBerthError(missing, "NotFound")).to.equal(true);
      expect(missing.message).to.include("/rw/missing");
    });

    it("lets exactly one of two concurrent updates from two stores win", async () => {
      const a = open();
      const b = open();
      let current = await a.create("/rw/race", { winner: "none" });
      for (let round = 0; round < 10; round++) {
        const results = await Promise.allSettled([
          a.update("/rw/race", { winner: "a", round }, current.modRevision),
          b.update("/rw/race", { winner: "b", round }, current.modRevision),
        ]);
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r) => r.status === "rejected");
        expect(won, `round ${round}`).to.have.length(1);
        expect(isBerthError((lost[0] as PromiseRejectedResult).reason, "Aborted")).to.equal(true);
        const stored = await b.get("/rw/race");
        expect(stored).to.deep.equal((won[0] as PromiseFulfilledResult<typeof current>).value);
        current = stored!;
      }
    });

    it("deletes, answering the deleted object, only at the expected revision when given", async () => {
      const store = open();
      const v1 = await store.create("/rw/del", { n: 1 });
      const v2 = await store.update("/rw/del", { n: 2 }, v1.modRevision);

      const stale = await rejection(store.delete("/rw/del", v1.modRevision));
      expect(isBerthError(stale, "Aborted")).to.equal(true);
      expect(await store.get("/rw/del")).to.deep.equal(v2);

      expect(await store.delete("/rw/del", v2.modRevision)).to.deep.equal(v2);
      expect(await store.get("/rw/del")).to.equal(undefined);

      const again = await rejection(store.delete("/rw/del"));
      expect(isBerthError(again, "NotFound")).to.equal(true);
      const atRevision = await rejection(store.delete("/rw/del", v2.modRevision));
      expect(isBerthError(atRevision, "NotFound")).to.equal(true);

      await store.create("/rw/del2", { n: 1 });
      expect((await store.delete("/rw/del2")).value).to.deep.equal({ n: 1 });
    });

    it("lists a prefix in key order, paging a consistent snapshot", async () => {
      const store = open();
      const names = ["a", "b", "c", "d", "e", "f", "g"];
      for (const n of [...names].reverse()) await store.create(`/ls/pods/${n}`, { name: n });
      await store.create("/ls/pods0", { outside: true });
      await store.create("/ls/pod", { outside: true });

      const all = await store.list("/ls/pods/");
      expect(all.items.map((i) => i.key)).to.deep.equal(names.map((n) => `/ls/pods/${n}`));
      expect(all.nextKey).to.equal(undefined);
      expect(all.revision).to.equal(await store.revision());

      const first = await store.list("/ls/pods/", { limit: 3 });
      expect(first.items.map((i) => i.value.name)).to.deep.equal(["a", "b", "c"]);
      expect(first.remaining).to.equal(4);
      expect(first.revision).to.equal(all.revision);

      // Changes after the first page must not show in the following ones.
      await store.delete("/ls/pods/d");
      const e = (await store.get("/ls/pods/e"))!;
      await store.update("/ls/pods/e", { name: "e", changed: true }, e.modRevision);
      await store.create("/ls/pods/ee", { name: "ee" });

      const pages = [first];
      while (pages[pages.length - 1].nextKey !== undefined) {
        const last = pages[pages.length - 1];
        pages.push(
          await store.list("/ls/pods/", {
            limit: 3,
            startKey: last.nextKey,
            revision: last.revision,
          }),
        );
      }
      expect(pages.map((p) => p.items.length)).to.deep.equal([3, 3, 1]);
      expect(pages.map((p) => p.remaining)).to.deep.equal([4, 1, undefined]);
      expect(pages.every((p) => p.revision === all.revision)).to.equal(true);
      expect(pages.flatMap((p) => p.items)).to.deep.equal(all.items);

      const now = await store.list("/ls/pods/");
      expect(now.items.map((i) => i.value.name)).to.deep.equal([
        "a",
        "b",
        "c",
        "e",
        "ee",
        "f",
        "g",
      ]);
      expect(now.revision).to.be.greaterThan(all.revision);
    });

    it("answers CompactedError for a list at a compacted revision", async () => {
      const store = open();
      const old = await store.create("/cmp/a", { n: 1 });
      await store.update("/cmp/a", { n: 2 }, old.modRevision);
      await compact(etcd().endpoint, await store.revision());
      const err = await rejection(store.list("/cmp/", { revision: old.modRevision }));
      expect(err).to.be.instanceOf(CompactedError);
      expect(err).to.have.property("requested", old.modRevision);
    });

    it("rejects bad arguments naming the field", async () => {
      const store = open();
      expect(await rejection(store.get(""))).to.have.property("field", "key");
      expect(await rejection(store.update("/rw/x", {}, 0))).to.have.property(
        "field",
        "expectedRevision",
      );
      expect(await rejection(store.list("/rw/", { limit: -2 }))).to.have.property("field", "limit");
      expect(await rejection(store.create("/rw/x", [] as never))).to.have.property(
        "field",
        "value",
      );
      const future = await rejection(
        store.list("/rw/", { revision: (await store.revision()) + 1000 }),
      );
      expect(future).to.have.property("field", "revision");
    });

    it("reports the store's revision and health", async () => {
      const store = open();
      const before = await store.revision();
      const written = await store.create("/rw/rev", {});
      expect(written.modRevision).to.equal(before + 1);
      expect(await store.revision()).to.equal(written.modRevision);
      expect(await store.healthy()).to.equal(true);
    });

    it("fails over to the next endpoint when the first is down", async () => {
      const store = openEtcdStore({
        endpoints: [`http://127.0.0.1:${await deadPort()}`, etcd().endpoint],
        logger: silentLogger(),
      });
      try {
        const created = await store.create("/fo/a", { n: 1 });
        expect(await store.get("/fo/a")).to.deep.equal(created);
        expect(await store.healthy()).to.equal(true);
      } finally {
        store.close();
      }
    });
  });

  suite("watches", ({ etcd, open, record }) => {
    it("sees puts and deletes under the prefix in order, with previous values", async () => {
      const store = open();
      const from = await store.revision();
      const r = record(store, "/w1/", from);
      const a1 = await store.create("/w1/a", { v: 1 });
      await store.create("/w1x", { outside: true });
      const b1 = await store.create("/w1/b", { v: 1 });
      const a2 = await store.update("/w1/a", { v: 2 }, a1.modRevision);
      await store.delete("/w1/b");
      await waitFor("4 events", async () => (r.events.length >= 4 ? true : undefined));
      await sleep(200);
      expect(r.errors).to.deep.equal([]);
      expect(r.events).to.deep.equal([
        { type: "put", object: a1 },
        { type: "put", object: b1 },
        { type: "put", object: a2, previous: a1 },
        { type: "delete", previous: b1, revision: b1.modRevision + 2 },
      ]);
      r.watch.close();
    });

    it("replays history after the given revision (exclusive)", async () => {
      const store = open();
      const a = await store.create("/w2/a", {});
      const b = await store.create("/w2/b", {});
      const c = await store.create("/w2/c", {});
      const r = record(store, "/w2/", a.modRevision);
      await waitFor("2 events", async () => (r.events.length >= 2 ? true : undefined));
      await sleep(200);
      expect(r.events.map(summary)).to.deep.equal([
        `put /w2/b@${b.modRevision}`,
        `put /w2/c@${c.modRevision}`,
      ]);
      r.watch.close();
    });

    it("reports progress with the store's revision while nothing changes", async () => {
      const store = open();
      await store.create("/elsewhere/p", {});
      const revision = await store.revision();
      const r = record(store, "/w3/", revision);
      // The test etcd sends progress every second (etcd's default is ten minutes).
      await waitFor("progress", async () => (r.progress.length > 0 ? true : undefined), 10_000);
      expect(r.progress[0]).to.equal(revision);
      expect(r.events).to.deep.equal([]);
      r.watch.close();
    });

    it("stops delivering on close() and leaves no watcher in etcd", async () => {
      const store = open();
      // etcd drops the earlier tests' closed watchers asynchronously: wait until the count settles.
      let before = await etcdWatchers(etcd().endpoint);
      for (;;) {
        await sleep(300);
        const again = await etcdWatchers(etcd().endpoint);
        if (again === before) break;
        before = again;
      }
      const r = record(store, "/w4/", await store.revision());
      await store.create("/w4/a", {});
      await waitFor("an event", async () => (r.events.length === 1 ? true : undefined));
      expect(await etcdWatchers(etcd().endpoint)).to.equal(before + 1);
      r.watch.close();
      r.watch.close();
      await store.create("/w4/b", {});
      await sleep(500);
      expect(r.events).to.have.length(1);
      expect(r.errors).to.deep.equal([]);
      await waitFor("etcd to drop the watcher", async () =>
        (await etcdWatchers(etcd().endpoint)) === before ? true : undefined,
      );
    });

    it("ends a watch from a compacted revision with CompactedError", async () => {
      const store = open();
      const a = await store.create("/w5/a", { v: 1 });
      await store.update("/w5/a", { v: 2 }, a.modRevision);
      const compactedTo = await store.revision();
      await compact(etcd().endpoint, compactedTo);
      const r = record(store, "/w5/", a.modRevision - 1);
      await waitFor("an error", async () => (r.errors.length > 0 ? true : undefined));
      expect(r.errors).to.have.length(1);
      expect(r.errors[0]).to.be.instanceOf(CompactedError);
      expect(r.errors[0]).to.deep.include({ requested: a.modRevision - 1, compacted: compactedTo });
      expect(r.events).to.deep.equal([]);
    });

    it("closes its watches when the store closes", async () => {
      const store = openEtcdStore({ endpoints: [etcd().endpoint], logger: silentLogger() });
      const writer = open();
      const r = record(store, "/w6/", await writer.revision());
      await writer.create("/w6/a", {});
      await waitFor("an event", async () => (r.events.length === 1 ? true : undefined));
      store.close();
      await writer.create("/w6/b", {});
      await sleep(300);
      expect(r.events).to.have.length(1);
      expect(r.errors).to.deep.equal([]);
      expect(await rejection(store.get("/w6/a"))).to.have.property("kind", "Unavailable");
    });

    it("passes a bad fromRevision to onError naming the field", async () => {
      const r = record(open(), "/w7/", -1);
      await waitFor("an error", async () => (r.errors.length > 0 ? true : undefined));
      expect(r.errors[0]).to.have.property("field", "fromRevision");
    });
  });

  suite("outages", ({ etcd, open, record }) => {
    /** Writes retried until etcd (just restarted) takes them. */
    async function eventually<T>(write: () => Promise<T>): Promise<T> {
      return waitFor("etcd to take the write", async () => {
        try {
          return await write();
        } catch (err) {
          if (isBerthError(err, "Unavailable")) return undefined;
          throw err;
        }
      });
    }

    it("resumes a watch across an etcd restart, losing and repeating nothing", async () => {
      const writer = open();
      const watcher = open();
      const r = record(watcher, "/out1/", await writer.revision());
      const written: string[] = [];
      for (let i = 0; i < 5; i++) {
        written.push(`put /out1/k${i}@${(await writer.create(`/out1/k${i}`, { i })).modRevision}`);
      }
      await waitFor("5 events", async () => (r.events.length === 5 ? true : undefined));

      await etcd().kill();
      await sleep(300);
      await etcd().restart();
      // Written before the watch reconnects: they must come from the resumed stream's history.
      for (let i = 5; i < 10; i++) {
        const created = await eventually(() => writer.create(`/out1/k${i}`, { i }));
        written.push(`put /out1/k${i}@${created.modRevision}`);
      }
      const gone = await eventually(() => writer.delete("/out1/k0"));
      expect(gone.key).to.equal("/out1/k0");
      written.push(`delete /out1/k0@${await writer.revision()}`);

      await waitFor("11 events", async () => (r.events.length >= 11 ? true : undefined), 20_000);
      await sleep(500);
      expect(r.errors).to.deep.equal([]);
      expect(r.events.map(summary)).to.deep.equal(written);
      r.watch.close();
    });

    it("answers unhealthy and Unavailable naming the endpoint while etcd is down", async () => {
      const store = open();
      expect(await store.healthy()).to.equal(true);
      await etcd().kill();
      try {
        expect(await store.healthy()).to.equal(false);
        const err = await rejection(store.get("/out2/a"));
        expect(isBerthError(err, "Unavailable")).to.equal(true);
        expect(err.message).to.include(etcd().endpoint);
      } finally {
        await etcd().restart();
      }
      await waitFor("healthy again", async () => ((await store.healthy()) ? true : undefined));
    });

    it("ends a watch with Unavailable when etcd stays down too long", async () => {
      const store = open({ watchUnavailableTimeoutMs: 1500 });
      const r = record(store, "/out3/", await store.revision());
      await sleep(200);
      await etcd().kill();
      try {
        await waitFor("an error", async () => (r.errors.length > 0 ? true : undefined), 10_000);
        expect(r.errors).to.have.length(1);
        expect(isBerthError(r.errors[0], "Unavailable")).to.equal(true);
        expect(r.errors[0].message).to.include(etcd().endpoint);
        expect(r.errors[0].message).to.include("/out3/");
      } finally {
        await etcd().restart();
      }
      await sleep(1500);
      expect(r.errors).to.have.length(1);
    });
  });
});
