import { expect } from "chai";
import { CachedConfigSources } from "../../../../../agent/kubelet/adapters/config-sources.js";
import { KubeApiError } from "../../../../../agent/kube/kube-errors.js";

/** A client whose GETs answer from a map and count what was asked. */
function fakeClient(objects: Record<string, unknown>) {
  const calls: string[] = [];
  let failNext: Error | undefined;
  return {
    calls,
    failOnce(err: Error) {
      failNext = err;
    },
    async get<T>(path: string): Promise<T> {
      calls.push(path);
      await Promise.resolve();
      if (failNext) {
        const err = failNext;
        failNext = undefined;
        throw err;
      }
      if (!(path in objects)) {
        throw new KubeApiError("NotFound", `${path} not found`, { code: 404, reason: "NotFound" });
      }
      return structuredClone(objects[path]) as T;
    },
  };
}

const cmPath = "/api/v1/namespaces/default/configmaps/app-config";

describe("kubelet adapters: ConfigMaps and Secrets read through a short cache", () => {
  it("reads a ConfigMap once within the TTL, then again after it", async () => {
    let now = 1_000;
    const client = fakeClient({ [cmPath]: { data: { mode: "fast" } } });
    const sources = new CachedConfigSources({ client, ttlMs: 5_000, now: () => now });
    expect((await sources.configMap("default", "app-config"))?.data).to.deep.equal({
      mode: "fast",
    });
    await sources.configMap("default", "app-config");
    expect(client.calls).to.have.length(1);
    now += 5_000;
    await sources.configMap("default", "app-config");
    expect(client.calls).to.have.length(2);
  });

  it("shares one read between callers that ask at the same time", async () => {
    const client = fakeClient({ [cmPath]: { data: {} } });
    const sources = new CachedConfigSources({ client });
    await Promise.all([
      sources.configMap("default", "app-config"),
      sources.configMap("default", "app-config"),
    ]);
    expect(client.calls).to.deep.equal([cmPath]);
  });

  it("answers undefined for an object the API does not have", async () => {
    const client = fakeClient({});
    const sources = new CachedConfigSources({ client });
    expect(await sources.secret("prod", "missing")).to.equal(undefined);
    expect(client.calls).to.deep.equal(["/api/v1/namespaces/prod/secrets/missing"]);
  });

  it("does not cache a failed read: the next one asks the API again", async () => {
    const client = fakeClient({ [cmPath]: { data: { a: "1" } } });
    const sources = new CachedConfigSources({ client });
    client.failOnce(new Error("connection reset"));
    let failure: Error | undefined;
    await sources.configMap("default", "app-config").catch((err: Error) => (failure = err));
    expect(failure?.message).to.equal("connection reset");
    expect((await sources.configMap("default", "app-config"))?.data).to.deep.equal({ a: "1" });
    expect(client.calls).to.have.length(2);
  });

  it("escapes names in the path", async () => {
    const client = fakeClient({});
    const sources = new CachedConfigSources({ client });
    await sources.configMap("default", "a b");
    expect(client.calls).to.deep.equal(["/api/v1/namespaces/default/configmaps/a%20b"]);
  });
});
