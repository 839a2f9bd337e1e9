import { expect } from "chai";
import { X509Certificate } from "node:crypto";
import { promises as fs } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { kubeletTls } from "../../../../../agent/kubelet/kubelet-tls.js";
import { ensureServingCert } from "../../../../../agent/kubelet/serving-cert.js";
import { silentLogger } from "../../../../../lib/logger.js";
import { tempDir } from "../../../../support/temp-dir.js";

const rejection = (p: Promise<unknown>): Promise<Error | undefined> =>
  p.then(
    () => undefined,
    (err: Error) => err,
  );

describe("kubelet serving certificate: self-signed in <root>/pki unless one is given", function () {
  this.timeout(30_000);
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir("serving-cert")));
  afterEach(() => dir.remove());

  const ensure = (hosts = ["node-a", "127.0.0.1"]) =>
    ensureServingCert({
      dir: path.join(dir.path, "pki"),
      nodeName: "node-a",
      hosts,
      logger: silentLogger(),
    });

  it("makes a certificate for the node's names and IPs, with a private key file", async () => {
    const made = await ensure();
    const cert = new X509Certificate(made.cert);
    expect(cert.subjectAltName).to.equal("DNS:node-a, IP Address:127.0.0.1");
    expect(cert.subject).to.match(/^CN=node-a@\d+$/);
    expect(made.certFile).to.equal(path.join(dir.path, "pki", "kubelet.crt"));
    expect((await fs.stat(made.keyFile)).mode & 0o777).to.equal(0o600);
  });

  it("keeps the certificate across starts, and reissues it when the hosts change", async () => {
    const first = await ensure();
    expect((await ensure()).cert).to.equal(first.cert);
    const moved = await ensure(["node-a", "127.0.0.1", "10.0.0.5"]);
    expect(moved.cert).to.not.equal(first.cert);
    expect(new X509Certificate(moved.cert).subjectAltName).to.contain("IP Address:10.0.0.5");
  });

  it("serves HTTPS that a client trusting the certificate itself accepts", async () => {
    const made = await ensure();
    const server = https.createServer({ cert: made.cert, key: made.key }, (_req, res) =>
      res.end("ok"),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`https://127.0.0.1:${port}/`, { ca: made.cert, agent: false }, (res) => {
            let text = "";
            res.on("data", (b: Buffer) => (text += b.toString()));
            res.on("end", () => resolve(text));
          })
          .on("error", reject);
      });
      expect(body).to.equal("ok");
    } finally {
      server.close();
    }
  });

  it("uses given files and the given client CA; needs a client CA from somewhere", async () => {
    const made = await ensure();
    const tls = await kubeletTls({
      certFile: made.certFile,
      keyFile: made.keyFile,
      clusterCa: "-----BEGIN CERTIFICATE-----\ncluster\n",
      pkiDir: path.join(dir.path, "other"),
      nodeName: "node-a",
      hosts: ["node-a"],
      logger: silentLogger(),
    });
    expect(tls).to.deep.equal({
      cert: made.cert,
      key: made.key,
      ca: "-----BEGIN CERTIFICATE-----\ncluster\n",
    });
    const base = {
      pkiDir: dir.path,
      nodeName: "node-a",
      hosts: ["node-a"],
      logger: silentLogger(),
    };
    expect((await rejection(kubeletTls(base)))?.message).to.match(/--client-ca-file/);
    expect(
      await rejection(kubeletTls({ ...base, certFile: made.certFile, clusterCa: "x" })),
    ).to.have.property("field", "tls-private-key-file");
    const missing = await rejection(
      kubeletTls({ ...base, clientCaFile: path.join(dir.path, "nope.crt") }),
    );
    expect(missing?.message).to.match(/--client-ca-file .*nope\.crt: does not exist/);
  });
});
