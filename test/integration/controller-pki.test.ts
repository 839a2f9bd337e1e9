import { expect } from "chai";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { createAuthenticator } from "../../controller/auth/authenticate.js";
import { ensurePki, writeAdminKubeconfig } from "../../controller/pki/ensure-pki.js";
import { issueClientCertificate } from "../../controller/pki/issue-client-certificate.js";
import { loadPkiFiles } from "../../controller/pki/load-pki-files.js";
import type { GeneratedPki } from "../../controller/pki/pki.js";
import { serverTlsOptions } from "../../controller/pki/tls-options.js";
import { run } from "../../lib/exec.js";
import { silentLogger } from "../../lib/logger.js";
import { makeTestPki, type TestClientCert, type TestPki } from "../support/controller-pki.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";

const dayMs = 24 * 3600 * 1000;

async function openssl(...args: string[]): Promise<string> {
  return (await run("openssl", args)).stdout;
}

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

function snapshot(pki: GeneratedPki): Record<string, string> {
  const files = [
    pki.caFile,
    pki.caKeyFile,
    pki.serverCertFile,
    pki.serverKeyFile,
    pki.adminCertFile,
    pki.adminKeyFile,
  ];
  return Object.fromEntries(
    files.map((f) => [path.basename(f), `${statSync(f).mtimeMs}:${readFileSync(f, "utf8")}`]),
  );
}

async function validDays(certFile: string): Promise<number> {
  const out = await openssl("x509", "-in", certFile, "-noout", "-startdate", "-enddate");
  const start = Date.parse(/notBefore=(.*)/.exec(out)![1]);
  const end = Date.parse(/notAfter=(.*)/.exec(out)![1]);
  return Math.round((end - start) / dayMs);
}

describe("controller PKI with openssl (integration)", function () {
  this.timeout(120_000);
  let test: TestPki;
  let pki: GeneratedPki;

  before(async function () {
    requireIntegration(this, ["openssl", "kubectl"]);
    test = await makeTestPki("main", {
      hosts: ["127.0.0.1", "localhost", "::1", "api.berth.test"],
      serverUrl: "https://127.0.0.1:6443",
    });
    pki = test.pki;
  });

  after(() => test?.remove());

  it("lays out CA, serving and admin files under <dataDir>/pki with private keys mode 0600", () => {
    expect(path.dirname(pki.caFile)).to.equal(path.join(test.dir, "pki"));
    expect(mode(path.join(test.dir, "pki"))).to.equal(0o700);
    for (const key of [pki.caKeyFile, pki.serverKeyFile, pki.adminKeyFile]) {
      expect(mode(key), key).to.equal(0o600);
      expect(readFileSync(key, "utf8")).to.match(/^-----BEGIN PRIVATE KEY-----/);
    }
    expect(mode(path.join(test.dir, "admin.kubeconfig"))).to.equal(0o600);
    expect(pki.caCert).to.equal(readFileSync(pki.caFile, "utf8"));
  });

  it("makes a 10-year CA named berth-ca", async () => {
    const text = await openssl(
      "x509",
      "-in",
      pki.caFile,
      "-noout",
      "-subject",
      "-ext",
      "basicConstraints,keyUsage",
    );
    expect(text).to.match(/subject=CN = berth-ca/);
    expect(text).to.match(/CA:TRUE/);
    expect(text).to.match(/Certificate Sign/);
    expect(await validDays(pki.caFile)).to.equal(3650);
  });

  it("issues a serving certificate the CA verifies, for every host, for server auth, for a year", async () => {
    expect(await openssl("verify", "-CAfile", pki.caFile, pki.serverCertFile)).to.match(/: OK/);
    const text = await openssl(
      "x509",
      "-in",
      pki.serverCertFile,
      "-noout",
      "-ext",
      "subjectAltName,extendedKeyUsage,basicConstraints",
    );
    expect(text).to.include("IP Address:127.0.0.1");
    expect(text).to.include("IP Address:0:0:0:0:0:0:0:1");
    expect(text).to.include("DNS:localhost");
    expect(text).to.include("DNS:api.berth.test");
    expect(text).to.match(/TLS Web Server Authentication/);
    expect(text).not.to.match(/TLS Web Client Authentication/);
    expect(text).to.match(/CA:FALSE/);
    expect(await validDays(pki.serverCertFile)).to.equal(365);
  });

  it("issues the admin client certificate as berth-admin in system:masters", async () => {
    expect(await openssl("verify", "-CAfile", pki.caFile, pki.adminCertFile)).to.match(/: OK/);
    const text = await openssl(
      "x509",
      "-in",
      pki.adminCertFile,
      "-noout",
      "-subject",
      "-ext",
      "extendedKeyUsage",
    );
    expect(text).to.match(/subject=O = system:masters, CN = berth-admin/);
    expect(text).to.match(/TLS Web Client Authentication/);
  });

  it("writes an admin kubeconfig that kubectl reads, with the credentials embedded", async () => {
    const kubeconfig = path.join(test.dir, "admin.kubeconfig");
    const { stdout } = await run("kubectl", [
      "config",
      "view",
      "--kubeconfig",
      kubeconfig,
      "--raw",
      "-o",
      "json",
    ]);
    const config = JSON.parse(stdout);
    expect(config["current-context"]).to.equal("berth");
    expect(config.contexts).to.deep.equal([
      { name: "berth", context: { cluster: "berth", user: "berth-admin" } },
    ]);
    const cluster = config.clusters[0].cluster;
    expect(cluster.server).to.equal("https://127.0.0.1:6443");
    const decode = (s: string) => Buffer.from(s, "base64").toString();
    expect(decode(cluster["certificate-authority-data"])).to.equal(pki.caCert);
    const user = config.users[0].user;
    expect(decode(user["client-certificate-data"])).to.equal(
      readFileSync(pki.adminCertFile, "utf8"),
    );
    expect(decode(user["client-key-data"])).to.equal(readFileSync(pki.adminKeyFile, "utf8"));
  });

  it("issues client certificates with several groups that the CA verifies", async () => {
    const { certPem, keyPem } = await issueClientCertificate(pki, {
      commonName: "alice",
      organizations: ["devs", "ops"],
      days: 2,
    });
    expect(keyPem).to.match(/BEGIN PRIVATE KEY/);
    const { stdout } = await run("openssl", ["verify", "-CAfile", pki.caFile], { input: certPem });
    expect(stdout).to.match(/OK/);
    const text = (
      await run("openssl", ["x509", "-noout", "-subject", "-enddate"], { input: certPem })
    ).stdout;
    expect(text).to.match(/subject=O = devs, O = ops, CN = alice/);
    expect(Date.parse(/notAfter=(.*)/.exec(text)![1]) - Date.now()).to.be.within(
      1.9 * dayMs,
      2.1 * dayMs,
    );
  });

  describe("serving TLS to clients", () => {
    let server: https.Server;
    let port: number;
    let foreign: TestPki;
    let node: TestClientCert;

    before(async () => {
      foreign = await makeTestPki("foreign");
      node = await test.issueNode("n1");
      const authenticate = createAuthenticator();
      server = https.createServer(await serverTlsOptions(pki), (req, res) => {
        const result = authenticate(req);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(result ?? "anonymous"));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    });

    after(async () => {
      foreign?.remove();
      await new Promise((resolve) => server?.close(resolve));
    });

    function whoami(
      client?: { certPem: string; keyPem: string },
      ca = pki.caCert,
    ): Promise<unknown> {
      return new Promise((resolve, reject) => {
        const req = https.get(
          {
            host: "127.0.0.1",
            port,
            path: "/whoami",
            ca,
            ...(client ? { cert: client.certPem, key: client.keyPem } : {}),
            agent: false,
          },
          (res: http.IncomingMessage) => {
            let body = "";
            res.on("data", (b: Buffer) => (body += b.toString()));
            res.on("end", () => resolve(JSON.parse(body)));
          },
        );
        req.on("error", reject);
      });
    }

    it("authenticates the admin certificate as berth-admin in system:masters", async () => {
      expect(await whoami(test.admin)).to.deep.equal({
        name: "berth-admin",
        groups: ["system:masters", "system:authenticated"],
      });
    });

    it("authenticates a node certificate as system:node:<name> in system:nodes", async () => {
      expect(await whoami(node)).to.deep.equal({
        name: "system:node:n1",
        groups: ["system:nodes", "system:authenticated"],
      });
    });

    it("rejects a certificate from another CA and one made for serving", async () => {
      expect(await whoami(foreign.admin)).to.equal("invalid");
      const serving = {
        certPem: readFileSync(pki.serverCertFile, "utf8"),
        keyPem: readFileSync(pki.serverKeyFile, "utf8"),
      };
      expect(await whoami(serving)).to.equal("invalid");
    });

    it("finds no credentials when the client sends no certificate", async () => {
      expect(await whoami()).to.equal("anonymous");
    });

    it("is trusted only by clients that trust the cluster CA", async () => {
      let error: Error | undefined;
      await whoami(test.admin, foreign.pki.caCert).catch((err: Error) => (error = err));
      expect(error?.message).to.match(/self[- ]signed|unable to verify|certificate/i);
    });

    it("serves kubectl with the admin kubeconfig (Go TLS: IP SAN, client certificate)", async () => {
      const kubeconfig = path.join(test.dir, "kubectl.kubeconfig");
      await writeAdminKubeconfig(pki, kubeconfig, `https://127.0.0.1:${port}`);
      const { stdout } = await run("kubectl", [
        "--kubeconfig",
        kubeconfig,
        "get",
        "--raw",
        "/whoami",
      ]);
      expect(JSON.parse(stdout)).to.have.property("name", "berth-admin");
      const nodeConfig = await test.kubeconfig(`https://localhost:${port}`, node);
      const asNode = await run("kubectl", ["--kubeconfig", nodeConfig, "get", "--raw", "/whoami"]);
      expect(JSON.parse(asNode.stdout)).to.have.property("name", "system:node:n1");
    });
  });

  describe("later starts", () => {
    let dir: ReturnType<typeof tempDir>;
    beforeEach(() => (dir = tempDir("pki-restart")));
    afterEach(() => dir.remove());

    const start = (hosts: string[], now?: Date) =>
      ensurePki({
        dataDir: dir.path,
        hosts,
        logger: silentLogger(),
        ...(now ? { now: () => now } : {}),
      });

    it("reuses every file when nothing changed", async () => {
      const first = await start(["127.0.0.1", "localhost"]);
      const before = snapshot(first);
      const second = await start(["localhost", "127.0.0.1"]);
      expect(second).to.deep.equal(first);
      expect(snapshot(second)).to.deep.equal(before);
    });

    it("reissues only the serving certificate when the hosts grow, keeping the old SANs", async () => {
      const first = await start(["127.0.0.1", "localhost"]);
      const before = snapshot(first);
      await start(["10.1.2.3"]);
      const after = snapshot(first);
      expect(after["apiserver.crt"]).not.to.equal(before["apiserver.crt"]);
      expect(after["ca.crt"]).to.equal(before["ca.crt"]);
      expect(after["admin.crt"]).to.equal(before["admin.crt"]);
      const text = await openssl(
        "x509",
        "-in",
        first.serverCertFile,
        "-noout",
        "-ext",
        "subjectAltName",
      );
      expect(text).to.include("IP Address:10.1.2.3");
      expect(text).to.include("IP Address:127.0.0.1");
      expect(text).to.include("DNS:localhost");
      expect(await openssl("verify", "-CAfile", first.caFile, first.serverCertFile)).to.match(
        /: OK/,
      );
      expect(mode(first.serverKeyFile)).to.equal(0o600);
    });

    it("renews leaf certificates near their expiry but keeps the CA", async () => {
      const first = await start(["127.0.0.1"]);
      const before = snapshot(first);
      await start(["127.0.0.1"], new Date(Date.now() + 340 * dayMs));
      const after = snapshot(first);
      expect(after["ca.crt"]).to.equal(before["ca.crt"]);
      expect(after["ca.key"]).to.equal(before["ca.key"]);
      expect(after["apiserver.crt"]).not.to.equal(before["apiserver.crt"]);
      expect(after["admin.crt"]).not.to.equal(before["admin.crt"]);
    });

    it("reissues a serving certificate whose key was replaced", async () => {
      const first = await start(["127.0.0.1"]);
      const other = await makeTestPki("other-key");
      try {
        writeFileSync(first.serverKeyFile, readFileSync(other.pki.serverKeyFile));
        await start(["127.0.0.1"]);
        const cert = new X509Certificate(readFileSync(first.serverCertFile));
        expect(cert.checkPrivateKey(createPrivateKey(readFileSync(first.serverKeyFile)))).to.equal(
          true,
        );
      } finally {
        other.remove();
      }
    });

    it("stops with a clear error when the CA key is gone, instead of making a new CA", async () => {
      const first = await start(["127.0.0.1"]);
      rmSync(first.caKeyFile);
      let message = "";
      await start(["127.0.0.1"]).catch((err: Error) => (message = err.message));
      expect(message).to.match(/ca\.key is missing: restore it, or remove .*pki to start a new CA/);
    });

    it("rejects hosts that name nothing and a non-https server URL before writing files", async () => {
      let message = "";
      await start(["0.0.0.0"]).catch((err: Error) => (message = err.message));
      expect(message).to.equal("hosts must name at least one IP address or DNS name");
      await ensurePki({
        dataDir: dir.path,
        hosts: ["127.0.0.1"],
        serverUrl: "http://x:1",
        logger: silentLogger(),
      }).catch((err: Error) => (message = err.message));
      expect(message).to.equal("serverUrl: http://x:1 must be an https:// URL");
      expect(() => statSync(path.join(dir.path, "pki", "ca.crt"))).to.throw(/ENOENT/);
    });
  });

  describe("user-supplied files", () => {
    it("loads --tls-cert-file, --tls-private-key-file and --client-ca-file into a Pki", async () => {
      const loaded = await loadPkiFiles({
        tlsCertFile: pki.serverCertFile,
        tlsPrivateKeyFile: pki.serverKeyFile,
        clientCaFile: pki.caFile,
      });
      expect(loaded).to.deep.equal({
        caFile: pki.caFile,
        caCert: pki.caCert,
        serverCertFile: pki.serverCertFile,
        serverKeyFile: pki.serverKeyFile,
      });
      let message = "";
      await issueClientCertificate(loaded, { commonName: "x", organizations: [] }).catch(
        (err: Error) => (message = err.message),
      );
      expect(message).to.match(/CA key is not available/);
    });

    it("names the flag whose file is missing, mismatched or not a CA", async () => {
      const failure = (files: Parameters<typeof loadPkiFiles>[0]) =>
        loadPkiFiles(files).then(
          () => "",
          (err: Error) => err.message,
        );
      const base = {
        tlsCertFile: pki.serverCertFile,
        tlsPrivateKeyFile: pki.serverKeyFile,
        clientCaFile: pki.caFile,
      };
      expect(await failure({ ...base, clientCaFile: "/nonexistent/ca.crt" })).to.equal(
        "--client-ca-file /nonexistent/ca.crt: no such file",
      );
      expect(await failure({ ...base, tlsPrivateKeyFile: pki.adminKeyFile })).to.match(
        /^--tls-private-key-file .* does not match --tls-cert-file/,
      );
      expect(await failure({ ...base, clientCaFile: pki.adminCertFile })).to.match(
        /^--client-ca-file .*: not a CA certificate/,
      );
      expect(await failure({ ...base, tlsCertFile: pki.serverKeyFile })).to.match(
        /^--tls-cert-file .*: not a PEM certificate/,
      );
    });
  });
});
