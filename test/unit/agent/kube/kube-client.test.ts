import { expect } from "chai";
import { KubeClient } from "../../../../agent/kube/kube-client.js";
import {
  errorKindOf,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isNotFound,
  KubeApiError,
} from "../../../../agent/kube/kube-errors.js";
import { berthVersion } from "../../../../lib/version.js";
import { isBerthError } from "../../../../lib/errors.js";
import {
  sendJson,
  sendStatus,
  startFakeApi,
  type FakeApi,
} from "../../../support/kubelet-fake-api.js";

describe("agent/kube KubeClient", () => {
  let api: FakeApi;
  let client: KubeClient;

  beforeEach(async () => {
    api = await startFakeApi((req, res) => sendJson(res, 200, { echo: req.body ?? null }));
    client = new KubeClient({ server: api.url, token: "tok-123", timeoutMs: 2_000 });
  });

  afterEach(async () => {
    client.close();
    await api.close();
  });

  const failure = async (call: Promise<unknown>): Promise<KubeApiError> => {
    try {
      await call;
    } catch (err) {
      return err as KubeApiError;
    }
    throw new Error("expected the request to fail");
  };

  it("sends JSON with its user agent and token, and fieldManager on writes", async () => {
    const created = await client.create<{ echo: unknown }>("/api/v1/nodes", {
      metadata: { name: "n1" },
    });
    expect(created.echo).to.deep.equal({ metadata: { name: "n1" } });
    await client.get("/api/v1/nodes/n1", { query: { resourceVersion: "0", unset: undefined } });
    await client.update("/api/v1/nodes/n1", {});
    const [post, get, put] = api.requests;
    expect(post.method).to.equal("POST");
    expect(post.headers["content-type"]).to.equal("application/json");
    expect(post.headers["user-agent"]).to.match(new RegExp(`^berth-agent/${berthVersion} `));
    expect(post.headers.authorization).to.equal("Bearer tok-123");
    expect(post.headers.connection).to.equal("keep-alive");
    expect(post.query.get("fieldManager")).to.equal("berth-agent");
    expect(get.query.get("fieldManager")).to.equal(null);
    expect(get.query.get("resourceVersion")).to.equal("0");
    expect(get.query.has("unset")).to.equal(false);
    expect(put.method).to.equal("PUT");
    expect(put.query.get("fieldManager")).to.equal("berth-agent");
  });

  it("sends each patch type with its content type", async () => {
    await client.patch("/p", { a: 1 }, "merge");
    await client.patch("/p", { a: 1 }, "strategic");
    await client.patch("/p", [{ op: "add", path: "/a", value: 1 }], "json");
    await client.patch("/p", { apiVersion: "v1" }, "apply", { query: { force: true } });
    expect(api.requests.map((r) => r.headers["content-type"])).to.deep.equal([
      "application/merge-patch+json",
      "application/strategic-merge-patch+json",
      "application/json-patch+json",
      "application/apply-patch+yaml",
    ]);
    expect(api.requests[3].query.get("force")).to.equal("true");
    expect(api.requests[3].query.get("fieldManager")).to.equal("berth-agent");
  });

  it("turns a Status answer into a typed error carrying code, reason and message", async () => {
    api.setHandler((req, res) => {
      const answers: Record<string, [number, string]> = {
        "/404": [404, "NotFound"],
        "/exists": [409, "AlreadyExists"],
        "/conflict": [409, "Conflict"],
        "/403": [403, "Forbidden"],
        "/410": [410, "Expired"],
        "/503": [503, "ServiceUnavailable"],
      };
      const [code, reason] = answers[req.path];
      sendStatus(res, code, reason, `server says ${reason}`);
    });
    const notFound = await failure(client.get("/404"));
    expect(notFound).to.be.instanceOf(KubeApiError);
    expect(isBerthError(notFound, "NotFound")).to.equal(true);
    expect(notFound.code).to.equal(404);
    expect(notFound.reason).to.equal("NotFound");
    expect(notFound.message).to.equal("GET /404: server says NotFound");
    expect(isNotFound(notFound)).to.equal(true);
    const exists = await failure(client.create("/exists", {}));
    expect(exists.kind).to.equal("AlreadyExists");
    expect(isAlreadyExists(exists) && !isConflict(exists)).to.equal(true);
    const conflict = await failure(client.update("/conflict", {}));
    expect(conflict.kind).to.equal("Aborted");
    expect(isConflict(conflict) && !isAlreadyExists(conflict)).to.equal(true);
    const forbidden = await failure(client.delete("/403"));
    expect(forbidden.kind).to.equal("PermissionDenied");
    expect(isForbidden(forbidden)).to.equal(true);
    expect(isGone(await failure(client.get("/410")))).to.equal(true);
    expect((await failure(client.get("/503"))).kind).to.equal("Unavailable");
  });

  it("keeps the field of a 422 and the text of a non-Status answer, never the token", async () => {
    api.setHandler((req, res) => {
      if (req.path === "/invalid") {
        return sendJson(res, 422, {
          kind: "Status",
          code: 422,
          reason: "Invalid",
          message: 'Node "x" is invalid: metadata.labels: Invalid value',
          details: { causes: [{ field: "metadata.labels", reason: "FieldValueInvalid" }] },
        });
      }
      res.writeHead(502, { "content-type": "text/plain" }).end("bad gateway\n");
    });
    const invalid = await failure(client.create("/invalid", {}));
    expect(invalid.kind).to.equal("InvalidArgument");
    expect(invalid.field).to.equal("metadata.labels");
    const gateway = await failure(client.get("/proxy"));
    expect(gateway.kind).to.equal("Unavailable");
    expect(gateway.code).to.equal(502);
    expect(gateway.message).to.equal("GET /proxy: bad gateway");
    expect(JSON.stringify(gateway.status) + gateway.message).not.to.include("tok-123");
  });

  it("gives up on a request after its deadline, and reports a dead server as Unavailable", async () => {
    api.setHandler(() => new Promise(() => undefined)); // never answers
    const late = await failure(client.get("/slow", { timeoutMs: 100 }));
    expect(isBerthError(late, "DeadlineExceeded"), String(late)).to.equal(true);
    expect(late.message).to.match(/GET \/slow: no answer within 100 ms/);
    const url = api.url;
    await api.close();
    const dead = new KubeClient({ server: url });
    const refused = await failure(dead.get("/x"));
    dead.close();
    expect(isBerthError(refused, "Unavailable"), String(refused)).to.equal(true);
    api = await startFakeApi();
  });

  it("cancels a request on its signal", async () => {
    api.setHandler(() => new Promise(() => undefined));
    const abort = new AbortController();
    const pending = failure(client.get("/slow", { signal: abort.signal }));
    setTimeout(() => abort.abort(), 20);
    expect((await pending).message).to.match(/request cancelled/);
  });

  it("rejects a server that is not a URL and a path without a leading slash", async () => {
    expect(() => new KubeClient({ server: "nope" })).to.throw(/not a URL/);
    expect(() => new KubeClient({ server: "ftp://x" })).to.throw(/https:\/\//);
    expect((await failure(client.get("api/v1"))).message).to.match(/must start with \//);
  });

  it("maps HTTP codes to Berth's error kinds", () => {
    expect(errorKindOf(400, "BadRequest")).to.equal("InvalidArgument");
    expect(errorKindOf(401, "Unauthorized")).to.equal("Unauthenticated");
    expect(errorKindOf(409, "AlreadyExists")).to.equal("AlreadyExists");
    expect(errorKindOf(409, "Conflict")).to.equal("Aborted");
    expect(errorKindOf(410, "Expired")).to.equal("FailedPrecondition");
    expect(errorKindOf(429, "TooManyRequests")).to.equal("Unavailable");
    expect(errorKindOf(500, "InternalError")).to.equal("Internal");
    expect(errorKindOf(504, "Timeout")).to.equal("DeadlineExceeded");
    expect(errorKindOf(599, undefined)).to.equal("Unavailable");
    expect(errorKindOf(418, undefined)).to.equal("Internal");
  });
});
