import { expect } from "chai";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { loadKubeconfig } from "../../../../agent/kube/kubeconfig.js";
import { isBerthError } from "../../../../lib/errors.js";
import { tempDir } from "../../../support/temp-dir.js";

const caPem = "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n";
const certPem = "-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n";
const keyPem = "-----BEGIN PRIVATE KEY-----\nS0VZ\n-----END PRIVATE KEY-----\n";
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("agent/kube loadKubeconfig", () => {
  let dir: { path: string; remove: () => void };

  beforeEach(() => (dir = tempDir("kubeconfig")));
  afterEach(() => dir.remove());

  const write = (doc: unknown, name = "config") => {
    const file = path.join(dir.path, name);
    writeFileSync(file, typeof doc === "string" ? doc : YAML.stringify(doc));
    return file;
  };
  const config = (
    cluster: Record<string, unknown>,
    user: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => ({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c1", cluster }],
    users: [{ name: "u1", user }],
    contexts: [{ name: "ctx", context: { cluster: "c1", user: "u1" } }],
    "current-context": "ctx",
    ...extra,
  });
  const rejection = async (file: string, options?: { context?: string }) => {
    try {
      await loadKubeconfig(file, options);
    } catch (err) {
      expect(isBerthError(err, "InvalidArgument"), String(err)).to.equal(true);
      return err as Error & { field?: string };
    }
    throw new Error("expected loadKubeconfig to fail");
  };

  it("reads inline CA, client certificate and key from the current context", async () => {
    const file = write(
      config(
        { server: "https://10.0.0.1:6443/", "certificate-authority-data": b64(caPem) },
        { "client-certificate-data": b64(certPem), "client-key-data": b64(keyPem) },
      ),
    );
    const creds = await loadKubeconfig(file);
    expect(creds.server).to.equal("https://10.0.0.1:6443");
    expect(creds.ca?.toString()).to.equal(caPem);
    expect(creds.cert?.toString()).to.equal(certPem);
    expect(creds.key?.toString()).to.equal(keyPem);
    expect(creds.token).to.equal(undefined);
    expect(creds.insecureSkipTlsVerify).to.equal(undefined);
  });

  it("resolves file paths against the kubeconfig's directory and reads a tokenFile", async () => {
    mkdirSync(path.join(dir.path, "pki"));
    writeFileSync(path.join(dir.path, "pki", "ca.crt"), caPem);
    writeFileSync(path.join(dir.path, "pki", "node.crt"), certPem);
    writeFileSync(path.join(dir.path, "pki", "node.key"), keyPem);
    writeFileSync(path.join(dir.path, "token"), "s3cret\n");
    const file = write(
      config(
        { server: "https://api:6443", "certificate-authority": "pki/ca.crt" },
        {
          "client-certificate": path.join(dir.path, "pki", "node.crt"),
          "client-key": "pki/node.key",
          tokenFile: "token",
        },
      ),
    );
    const creds = await loadKubeconfig(file);
    expect(creds.ca?.toString()).to.equal(caPem);
    expect(creds.cert?.toString()).to.equal(certPem);
    expect(creds.key?.toString()).to.equal(keyPem);
    expect(creds.token).to.equal("s3cret");
  });

  it("uses a named context over the current one", async () => {
    const doc = config(
      { server: "https://one:6443", "insecure-skip-tls-verify": true },
      {
        token: "t1",
      },
    );
    doc.clusters.push({ name: "c2", cluster: { server: "https://two:6443" } });
    doc.contexts.push({ name: "other", context: { cluster: "c2", user: "u1" } });
    const file = write(doc);
    expect((await loadKubeconfig(file)).insecureSkipTlsVerify).to.equal(true);
    const other = await loadKubeconfig(file, { context: "other" });
    expect(other.server).to.equal("https://two:6443");
    expect(other.token).to.equal("t1");
  });

  it("names the missing context, cluster or user", async () => {
    const noCurrent = await rejection(
      write(config({ server: "https://a" }, {}, { "current-context": "" })),
    );
    expect(noCurrent.message).to.match(/current-context is not set/);
    const wrongContext = await rejection(write(config({ server: "https://a" }, {})), {
      context: "nope",
    });
    expect(wrongContext.message).to.match(/contexts has no context named "nope"/);
    const doc = config({ server: "https://a" }, {});
    doc.contexts[0].context.cluster = "gone";
    const missingCluster = await rejection(write(doc));
    expect(missingCluster.message).to.match(/clusters has no cluster named "gone"/);
  });

  it("names the bad field: server, base64, PEM, half a key pair, both file and data", async () => {
    const cases: [Record<string, unknown>, Record<string, unknown>, RegExp, string][] = [
      [{}, {}, /clusters\[c1\]\.cluster\.server is required/, "clusters[c1].cluster.server"],
      [{ server: "ftp://x" }, {}, /must be an https:\/\/ URL/, "clusters[c1].cluster.server"],
      [
        { server: "https://a", "certificate-authority-data": "***" },
        {},
        /certificate-authority-data is not base64/,
        "clusters[c1].cluster.certificate-authority-data",
      ],
      [
        { server: "https://a" },
        { "client-certificate-data": b64("not pem"), "client-key-data": b64(keyPem) },
        /client-certificate-data does not hold PEM data/,
        "users[u1].user.client-certificate-data",
      ],
      [
        { server: "https://a" },
        { "client-certificate-data": b64(certPem) },
        /client-key is required/,
        "users[u1].user.client-key",
      ],
      [
        {
          server: "https://a",
          "certificate-authority": "ca.crt",
          "certificate-authority-data": b64(caPem),
        },
        {},
        /cannot be set together with certificate-authority-data/,
        "clusters[c1].cluster.certificate-authority",
      ],
      [
        { server: "https://a" },
        { exec: { command: "aws" } },
        /exec is not supported/,
        "users[u1].user.exec",
      ],
    ];
    for (const [cluster, user, message, field] of cases) {
      const err = await rejection(write(config(cluster, user)));
      expect(err.message).to.match(message);
      expect(err.field).to.equal(field);
    }
  });

  it("says which referenced file is missing, and rejects a file that is not a kubeconfig", async () => {
    const file = write(config({ server: "https://a", "certificate-authority": "nope/ca.crt" }, {}));
    const err = await rejection(file);
    expect(err.message).to.include("certificate-authority");
    expect(err.message).to.include(path.join(dir.path, "nope/ca.crt"));
    expect(err.message).to.include("does not exist");
    expect((await rejection(write("- just\n- a list\n"))).message).to.match(/not a kubeconfig/);
    expect((await rejection(write("a: [\n"))).message).to.match(/not valid YAML/);
    expect((await rejection(path.join(dir.path, "absent"))).message).to.match(/does not exist/);
  });
});
