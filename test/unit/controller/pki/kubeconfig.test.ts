import { expect } from "chai";
import YAML from "yaml";
import { kubeconfigYaml } from "../../../../controller/pki/kubeconfig.js";

const pem = (label: string) => `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("controller/pki kubeconfig", () => {
  it("embeds the CA, client certificate and key and selects its context", () => {
    const doc = YAML.parse(
      kubeconfigYaml({
        server: "https://127.0.0.1:6443",
        caPem: pem("CA"),
        clientCertPem: pem("CERTIFICATE"),
        clientKeyPem: pem("PRIVATE KEY"),
        user: "berth-admin",
      }),
    );
    expect(doc).to.deep.equal({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "berth",
          cluster: {
            server: "https://127.0.0.1:6443",
            "certificate-authority-data": b64(pem("CA")),
          },
        },
      ],
      users: [
        {
          name: "berth-admin",
          user: {
            "client-certificate-data": b64(pem("CERTIFICATE")),
            "client-key-data": b64(pem("PRIVATE KEY")),
          },
        },
      ],
      contexts: [{ name: "berth", context: { cluster: "berth", user: "berth-admin" } }],
      "current-context": "berth",
      preferences: {},
    });
  });

  it("takes a token user and a context name", () => {
    const doc = YAML.parse(
      kubeconfigYaml({
        server: "https://[::1]:1",
        caPem: pem("CA"),
        user: "alice",
        token: "t",
        context: "lab",
      }),
    );
    expect(doc.users).to.deep.equal([{ name: "alice", user: { token: "t" } }]);
    expect(doc["current-context"]).to.equal("lab");
    expect(doc.contexts[0].context).to.deep.equal({ cluster: "lab", user: "alice" });
  });

  it("rejects a plain-http server, a half certificate pair and a user without credentials", () => {
    const base = { caPem: pem("CA"), user: "u" };
    expect(() => kubeconfigYaml({ ...base, server: "http://127.0.0.1:8080", token: "t" })).to.throw(
      "server: http://127.0.0.1:8080 must be an https:// URL",
    );
    expect(() => kubeconfigYaml({ ...base, server: "not a url", token: "t" })).to.throw(
      /is not a URL/,
    );
    expect(() =>
      kubeconfigYaml({ ...base, server: "https://h:1", clientCertPem: pem("C") }),
    ).to.throw(/go together/);
    expect(() => kubeconfigYaml({ ...base, server: "https://h:1" })).to.throw(
      /needs a client certificate or a token/,
    );
  });
});
