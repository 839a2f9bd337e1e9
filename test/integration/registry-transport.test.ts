import { expect } from "chai";
import { mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { PassThrough } from "node:stream";
import winston from "winston";
import type { RegistryAuth, RegistryRequest } from "../../agent/registry/registry-api.js";
import {
  createRegistryTransport,
  type ClosableRegistryTransport,
  type RegistryTransportOptions,
} from "../../agent/registry/transport/create-transport.js";
import { BerthError } from "../../lib/errors.js";
import { run } from "../../lib/exec.js";
import { busyboxOneLayer } from "../fixtures/busybox-image.js";
import { ociMediaTypes, sha256, type FixtureImage } from "../fixtures/fixture-image.js";
import { writeOciLayout } from "../fixtures/oci-layout-writer.js";
import { requireIntegration } from "../support/prerequisites.js";
import { startRegistry, type TestRegistry } from "../support/registry-server.js";
import { tempDir } from "../support/temp-dir.js";
import { startTokenServer, type TokenServer } from "../support/token-server.js";

const user = "alice";
const password = "pw-Zq81-never-printed";
const repo = "team/busybox";

function manifestGet(name = repo, reference = "latest"): RegistryRequest {
  return {
    method: "GET",
    path: `/v2/${name}/manifests/${reference}`,
    headers: { accept: ociMediaTypes.manifest },
    scope: [{ repository: name, actions: ["pull"] }],
  };
}

async function bodyOf(res: { body: NodeJS.ReadableStream }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function failure(p: Promise<unknown>): Promise<BerthError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(BerthError);
    return err as BerthError;
  }
  throw new Error("expected a failure");
}

/** A transport whose debug logs are kept, to check that no secret ever reaches them. */
function loggedTransport(options: RegistryTransportOptions = {}) {
  const stream = new PassThrough();
  let logs = "";
  stream.on("data", (b: Buffer) => (logs += b.toString()));
  const logger = winston.createLogger({
    level: "debug",
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream })],
  });
  const transport = createRegistryTransport({ ...options, logger });
  return { transport, logs: () => logs };
}

async function skopeoPush(layout: string, host: string, name: string, creds?: string) {
  await run(
    "skopeo",
    [
      "copy",
      "-q",
      "--dest-tls-verify=false",
      ...(creds ? ["--dest-creds", creds] : []),
      `oci:${layout}:latest`,
      `docker://${host}/${name}:latest`,
    ],
    { timeoutMs: 60_000 },
  );
}

/** A CA and a server certificate for 127.0.0.1 it signed: ca.pem, server.pem, server.key. */
async function makeCertificates(dir: string) {
  const at = (name: string) => path.join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const subject = (cn: string) => ["-subj", `/CN=${cn}`];
  await run("openssl", [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    at("ca.key"),
    "-out",
    at("ca.pem"),
    "-days",
    "2",
    ...subject("berth-test-ca"),
  ]);
  await run("openssl", [
    "req",
    ...ec,
    "-keyout",
    at("server.key"),
    "-out",
    at("server.csr"),
    ...subject("127.0.0.1"),
  ]);
  writeFileSync(at("san.ext"), "subjectAltName=IP:127.0.0.1\n");
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    at("server.csr"),
    "-CA",
    at("ca.pem"),
    "-CAkey",
    at("ca.key"),
    "-CAcreateserial",
    "-out",
    at("server.pem"),
    "-days",
    "2",
    "-extfile",
    at("san.ext"),
  ]);
}

/** A 127.0.0.1 port nothing listens on (bound, read, released). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("registry transport (docker-registry on 127.0.0.1)", function () {
  this.timeout(120_000);
  let work: { path: string; remove: () => void } | undefined;
  let image: FixtureImage;
  let layout: string;
  const transports: ClosableRegistryTransport[] = [];
  const track = <T extends { transport: ClosableRegistryTransport }>(t: T): T => {
    transports.push(t.transport);
    return t;
  };

  before(async function () {
    requireIntegration(this, ["skopeo", "docker-registry", "htpasswd", "openssl"]);
    work = tempDir("registry-transport");
    image = await busyboxOneLayer({ gzip: true });
    layout = path.join(work.path, "layout");
    await writeOciLayout(layout, [{ image, refNames: ["latest"] }]);
  });

  afterEach(() => {
    for (const t of transports.splice(0)) t.close();
  });

  after(() => work?.remove());

  describe("without auth", () => {
    let registry: TestRegistry | undefined;
    before(async () => {
      registry = await startRegistry();
    });
    after(async () => registry?.stop());

    it("answers GET /v2/ with 200 over plain HTTP on loopback", async () => {
      const { transport } = track({ transport: createRegistryTransport() });
      const res = await transport.request(registry!.host, {
        method: "GET",
        path: "/v2/",
        scope: [],
      });
      await bodyOf(res);
      expect(res.status).to.equal(200);
      expect(res.url).to.equal(`http://${registry!.host}/v2/`);
      expect(res.host).to.equal(registry!.host);
    });

    it("turns a missing manifest into NotFound carrying the registry's error", async () => {
      const { transport } = track({ transport: createRegistryTransport() });
      const err = await failure(transport.request(registry!.host, manifestGet("nothing/here")));
      expect(err.kind).to.equal("NotFound");
      expect(err.message).to.include(registry!.host).and.include("MANIFEST_UNKNOWN");
    });

    it("hands back statuses the caller expects instead of failing", async () => {
      const { transport } = track({ transport: createRegistryTransport() });
      const res = await transport.request(registry!.host, {
        ...manifestGet("nothing/here"),
        method: "HEAD",
        expect: [404],
      });
      res.body.resume();
      expect(res.status).to.equal(404);
    });

    it("reports a registry nobody listens on as Unavailable, naming it", async () => {
      const host = `127.0.0.1:${await deadPort()}`;
      const { transport } = track({ transport: createRegistryTransport() });
      const err = await failure(
        transport.request(host, { method: "GET", path: "/v2/", scope: [] }),
      );
      expect(err.kind).to.equal("Unavailable");
      expect(err.message).to.include(host).and.include("ECONNREFUSED");
    });
  });

  describe("with htpasswd basic auth", () => {
    let registry: TestRegistry | undefined;
    before(async () => {
      registry = await startRegistry({ auth: { user, password } });
      await skopeoPush(layout, registry.host, repo, `${user}:${password}`);
    });
    after(async () => registry?.stop());

    it("fetches a pushed manifest with good credentials", async () => {
      const { transport } = track({ transport: createRegistryTransport() });
      const res = await transport.request(registry!.host, manifestGet(), {
        username: user,
        password,
      });
      expect(sha256(await bodyOf(res))).to.equal(image.manifest.digest);
      // The second request carries the credentials up front (no new 401 round trip needed).
      const again = await transport.request(
        registry!.host,
        { ...manifestGet(), method: "HEAD" },
        { auth: Buffer.from(`${user}:${password}`).toString("base64") },
      );
      again.body.resume();
      expect(again.headers["docker-content-digest"]).to.equal(image.manifest.digest);
    });

    it("finds credentials in a config.json-style auth file", async () => {
      const file = path.join(work!.path, "basic-auth.json");
      const auth = Buffer.from(`${user}:${password}`).toString("base64");
      writeFileSync(
        file,
        JSON.stringify({ auths: { [`http://${registry!.host}/v1/`]: { auth } } }),
      );
      const { transport } = track({
        transport: createRegistryTransport({
          authFiles: [path.join(work!.path, "none.json"), file],
        }),
      });
      const res = await transport.request(registry!.host, manifestGet());
      expect(sha256(await bodyOf(res))).to.equal(image.manifest.digest);
    });

    it("fails with Unauthenticated on bad credentials, never showing the password", async () => {
      const { transport, logs } = track(loggedTransport());
      const wrong: RegistryAuth = { username: user, password: `${password}-wrong` };
      const err = await failure(transport.request(registry!.host, manifestGet(), wrong));
      expect(err.kind).to.equal("Unauthenticated");
      expect(err.message).to.include(registry!.host).and.include("rejected");
      expect(logs()).to.include("registry request"); // the logs were captured at all
      for (const text of [err.message, String(err.stack), logs()]) {
        expect(text).not.to.include(password);
        expect(text).not.to.include(Buffer.from(`${user}:${password}-wrong`).toString("base64"));
      }
    });

    it("fails with Unauthenticated without credentials", async () => {
      const { transport } = track({ transport: createRegistryTransport() });
      const err = await failure(transport.request(registry!.host, manifestGet()));
      expect(err.kind).to.equal("Unauthenticated");
      expect(err.message).to.include(registry!.host).and.include("no credentials");
    });
  });

  describe("behind a bearer token server", () => {
    let registry: TestRegistry | undefined;
    let front: TokenServer | undefined;
    const refreshToken = "refresh-Yk2-never-printed";
    before(async () => {
      registry = await startRegistry();
      await skopeoPush(layout, registry.host, repo);
      front = await startTokenServer({ upstream: registry.host, user, password, refreshToken });
    });
    after(async () => {
      await front?.stop();
      await registry?.stop();
    });
    beforeEach(() => front?.tokenRequests.splice(0));

    it("gets a token with good credentials and reuses it while it lasts", async () => {
      const { transport, logs } = track(loggedTransport());
      const auth = { username: user, password };
      const res = await transport.request(front!.host, manifestGet(), auth);
      expect(sha256(await bodyOf(res))).to.equal(image.manifest.digest);
      const blob = await transport.request(
        front!.host,
        { ...manifestGet(), path: `/v2/${repo}/blobs/${image.config.digest}`, headers: {} },
        auth,
      );
      expect(sha256(await bodyOf(blob))).to.equal(image.config.digest);
      expect(front!.tokenRequests).to.have.length(1);
      expect(front!.tokenRequests[0]).to.deep.include({
        method: "GET",
        service: "test",
        granted: true,
      });
      expect(front!.tokenRequests[0].scopes).to.deep.equal([`repository:${repo}:pull`]);
      expect(front!.authorisedRequests()).to.be.greaterThanOrEqual(2);
      expect(logs()).not.to.include(password);
    });

    it("asks for a new token for another scope", async () => {
      const { transport } = track({ transport: createRegistryTransport() });
      const auth = { username: user, password };
      (await transport.request(front!.host, manifestGet(), auth)).body.resume();
      const push = await transport.request(
        front!.host,
        {
          method: "POST",
          path: `/v2/${repo}/blobs/uploads/`,
          scope: [{ repository: repo, actions: ["pull", "push"] }],
          expect: [202],
        },
        auth,
      );
      push.body.resume();
      expect(push.status).to.equal(202);
      expect(front!.tokenRequests.map((r) => r.scopes)).to.deep.equal([
        [`repository:${repo}:pull`],
        [`repository:${repo}:pull,push`],
      ]);
      // The upload Location is on the front; requestUrl reaches it with the same token.
      const location = transport.resolveLocation(push, push.headers.location);
      const cancel = await transport.requestUrl(
        front!.host,
        location,
        {
          method: "DELETE",
          scope: [{ repository: repo, actions: ["pull", "push"] }],
          expect: [204],
        },
        auth,
      );
      cancel.body.resume();
      expect(cancel.status).to.equal(204);
      expect(front!.tokenRequests).to.have.length(2);
    });

    it("gets a new token once the cached one has expired", async () => {
      let now = Date.now();
      const { transport } = track({ transport: createRegistryTransport({ now: () => now }) });
      const auth = { username: user, password };
      (await transport.request(front!.host, manifestGet(), auth)).body.resume();
      (await transport.request(front!.host, manifestGet(), auth)).body.resume();
      expect(front!.tokenRequests).to.have.length(1);
      now += 61_000;
      (await transport.request(front!.host, manifestGet(), auth)).body.resume();
      expect(front!.tokenRequests).to.have.length(2);
    });

    it("trades an identity token for a token with the OAuth2 form", async () => {
      const { transport, logs } = track(loggedTransport());
      const res = await transport.request(front!.host, manifestGet(), {
        identityToken: refreshToken,
      });
      expect(sha256(await bodyOf(res))).to.equal(image.manifest.digest);
      expect(front!.tokenRequests).to.have.length(1);
      expect(front!.tokenRequests[0]).to.deep.include({ method: "POST", granted: true });
      expect(logs()).not.to.include(refreshToken);
    });

    it("fails with Unauthenticated on bad credentials, naming the registry, not the secret", async () => {
      const { transport, logs } = track(loggedTransport());
      const err = await failure(
        transport.request(front!.host, manifestGet(), { username: user, password: "not-it-8812" }),
      );
      expect(err.kind).to.equal("Unauthenticated");
      expect(err.message).to.include(front!.host);
      expect(front!.tokenRequests[0]).to.deep.include({ granted: false });
      for (const text of [err.message, String(err.stack), logs()]) {
        expect(text).not.to.include("not-it-8812");
      }
    });

    it("fails with Unauthenticated without credentials", async () => {
      const { transport } = track({ transport: createRegistryTransport() });
      const err = await failure(transport.request(front!.host, manifestGet()));
      expect(err.kind).to.equal("Unauthenticated");
      expect(err.message).to.include(front!.host);
    });
  });

  describe("over HTTPS", () => {
    let registry: TestRegistry | undefined;
    let ca: string;
    let hostsDir: string;
    before(async () => {
      const certs = path.join(work!.path, "certs");
      mkdirSync(certs);
      ca = path.join(certs, "ca.pem");
      await makeCertificates(certs);
      registry = await startRegistry({
        tls: { certificate: path.join(certs, "server.pem"), key: path.join(certs, "server.key") },
      });
      hostsDir = path.join(work!.path, "tls-hosts.d");
      mkdirSync(path.join(hostsDir, registry.host), { recursive: true });
    });
    after(async () => registry?.stop());

    const writeHosts = (toml: string) =>
      writeFileSync(path.join(hostsDir, registry!.host, "hosts.toml"), toml);
    const ping = (transport: ClosableRegistryTransport) =>
      transport.request(registry!.host, { method: "GET", path: "/v2/", scope: [] });

    it("reaches a loopback registry over HTTPS without verification, as Docker does", async () => {
      const { transport } = track({ transport: createRegistryTransport() });
      const res = await ping(transport);
      res.body.resume();
      expect(res.url).to.equal(`https://${registry!.host}/v2/`);
    });

    it("verifies an https server from hosts.toml, trusting its configured CA", async () => {
      writeHosts(`server = "https://${registry!.host}"\n`);
      const { transport: untrusting } = track({ transport: createRegistryTransport({ hostsDir }) });
      const err = await failure(ping(untrusting));
      expect(err.kind).to.equal("Unavailable");
      expect(err.message)
        .to.include(registry!.host)
        .and.match(/CERT|SIGNATURE|ISSUER/);

      writeHosts(`server = "https://${registry!.host}"\nca = "${ca}"\n`);
      const { transport } = track({ transport: createRegistryTransport({ hostsDir }) });
      const res = await ping(transport);
      res.body.resume();
      expect(res.status).to.equal(200);

      writeHosts(`server = "https://${registry!.host}"\n`);
      const { transport: byOption } = track({
        transport: createRegistryTransport({ hostsDir, caFiles: { [registry!.host]: [ca] } }),
      });
      (await ping(byOption)).body.resume();
    });
  });

  describe("mirrors from hosts.toml", () => {
    let upstream: TestRegistry | undefined;
    let mirror: TestRegistry | undefined;
    let hostsDir: string;
    const onlyUpstream = "fallback/only";

    before(async () => {
      upstream = await startRegistry();
      mirror = await startRegistry();
      await skopeoPush(layout, upstream.host, repo);
      await skopeoPush(layout, upstream.host, onlyUpstream);
      await skopeoPush(layout, mirror.host, repo);
      hostsDir = path.join(work!.path, "hosts.d");
    });
    after(async () => {
      await mirror?.stop();
      await upstream?.stop();
    });

    function writeHosts(toml: string) {
      const dir = path.join(hostsDir, upstream!.host);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "hosts.toml"), toml);
    }

    it("pulls from a working mirror, telling it the upstream with ?ns=", async () => {
      writeHosts(
        `server = "http://${upstream!.host}"\n\n[host."http://${mirror!.host}"]\n  capabilities = ["pull", "resolve"]\n`,
      );
      const { transport } = track({ transport: createRegistryTransport({ hostsDir }) });
      const res = await transport.request(upstream!.host, manifestGet());
      expect(sha256(await bodyOf(res))).to.equal(image.manifest.digest);
      expect(res.host).to.equal(mirror!.host);
      expect(new URL(res.url).searchParams.get("ns")).to.equal(upstream!.host);
    });

    it("falls back to the upstream when the mirror is down", async () => {
      const down = `127.0.0.1:${await deadPort()}`;
      writeHosts(`[host."http://${down}"]\n  capabilities = ["pull", "resolve"]\n`);
      const { transport, logs } = track(loggedTransport({ hostsDir }));
      const res = await transport.request(upstream!.host, manifestGet());
      expect(sha256(await bodyOf(res))).to.equal(image.manifest.digest);
      expect(res.host).to.equal(upstream!.host);
      expect(logs()).to.include("registry mirror failed").and.include(down);
    });

    it("falls back to the upstream when the mirror does not have the image", async () => {
      writeHosts(`[host."http://${mirror!.host}"]\n  capabilities = ["pull", "resolve"]\n`);
      const { transport } = track({ transport: createRegistryTransport({ hostsDir }) });
      const res = await transport.request(upstream!.host, manifestGet(onlyUpstream));
      expect(sha256(await bodyOf(res))).to.equal(image.manifest.digest);
      expect(res.host).to.equal(upstream!.host);
    });

    it("resolves tags only on mirrors with the resolve capability", async () => {
      writeHosts(`[host."http://${mirror!.host}"]\n  capabilities = ["pull"]\n`);
      const { transport } = track({ transport: createRegistryTransport({ hostsDir }) });
      const byTag = await transport.request(upstream!.host, manifestGet());
      await bodyOf(byTag);
      expect(byTag.host).to.equal(upstream!.host);
      const byDigest = await transport.request(
        upstream!.host,
        manifestGet(repo, image.manifest.digest),
      );
      await bodyOf(byDigest);
      expect(byDigest.host).to.equal(mirror!.host);
    });

    it("never sends a push to a mirror", async () => {
      writeHosts(`[host."http://${mirror!.host}"]\n  capabilities = ["pull", "resolve", "push"]\n`);
      const { transport } = track({ transport: createRegistryTransport({ hostsDir }) });
      const scope: RegistryRequest["scope"] = [{ repository: repo, actions: ["pull", "push"] }];
      const res = await transport.request(upstream!.host, {
        method: "POST",
        path: `/v2/${repo}/blobs/uploads/`,
        scope,
        expect: [202],
      });
      res.body.resume();
      expect(res.host).to.equal(upstream!.host);
      const location = transport.resolveLocation(res, res.headers.location);
      expect(new URL(location).host).to.equal(upstream!.host);
      const cancel = await transport.requestUrl(upstream!.host, location, {
        method: "DELETE",
        scope,
        expect: [204],
      });
      cancel.body.resume();
    });
  });
});
