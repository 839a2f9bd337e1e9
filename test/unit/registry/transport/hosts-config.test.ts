import { expect } from "chai";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  loadHostsConfig,
  parseHostsConfig,
} from "../../../../agent/registry/transport/hosts-config.js";
import { parseTomlSubset } from "../../../../agent/registry/transport/toml-subset.js";
import { BerthError } from "../../../../lib/errors.js";
import { tempDir } from "../../../support/temp-dir.js";

const file = "/etc/berth/hosts.d/docker.io/hosts.toml";

function invalid(text: string): BerthError {
  try {
    parseHostsConfig(text, file);
  } catch (err) {
    expect(err).to.be.instanceOf(BerthError);
    return err as BerthError;
  }
  throw new Error("expected the hosts file to be rejected");
}

describe("hosts.toml", () => {
  it("reads containerd's example: an upstream server and ordered mirrors", () => {
    const config = parseHostsConfig(
      `# mirrors first
server = "https://registry-1.docker.io"   # the upstream

[host."http://127.0.0.1:5001"]
  capabilities = ["pull", "resolve"]
  skip_verify = true

[host."https://mirror.example/registry"]
  capabilities = [
    "pull",   # digests only
  ]
  ca = ["certs/mirror.pem", "/abs/ca.pem"]
  override_path = true
`,
      file,
    );
    expect(config.server?.url.toString()).to.equal("https://registry-1.docker.io/");
    expect([...config.server!.capabilities]).to.deep.equal(["pull", "resolve", "push"]);
    expect(config.mirrors.map((m) => m.url.toString())).to.deep.equal([
      "http://127.0.0.1:5001/",
      "https://mirror.example/registry",
    ]);
    expect([...config.mirrors[0].capabilities]).to.deep.equal(["pull", "resolve"]);
    expect(config.mirrors[0].skipVerify).to.equal(true);
    expect(config.mirrors[1]).to.deep.include({ overridePath: true, skipVerify: undefined });
    expect([...config.mirrors[1].capabilities]).to.deep.equal(["pull"]);
    expect(config.mirrors[1].caFiles).to.deep.equal([
      "/etc/berth/hosts.d/docker.io/certs/mirror.pem",
      "/abs/ca.pem",
    ]);
  });

  it("treats top-level TLS settings without a server as the default upstream's", () => {
    const config = parseHostsConfig(`skip_verify = true\nca = "ca.crt"\n`, file);
    expect(config.server).to.equal(undefined);
    expect(config.upstreamSkipVerify).to.equal(true);
    expect(config.upstreamCaFiles).to.deep.equal(["/etc/berth/hosts.d/docker.io/ca.crt"]);
    expect(config.mirrors).to.deep.equal([]);
  });

  it("defaults a scheme-less host to HTTPS", () => {
    const config = parseHostsConfig(`[host."mirror.example:5000"]\n`, file);
    expect(config.mirrors[0].url.toString()).to.equal("https://mirror.example:5000/");
  });

  it("rejects bad values naming the file, the key and the line", () => {
    let err = invalid(`[host."http://m"]\n  capabilities = ["pull", "fly"]\n`);
    expect(err.message).to.include(file).and.include('host."http://m".capabilities');
    expect(err.field).to.equal('host."http://m".capabilities');
    err = invalid(`skip_verify = "yes"\n`);
    expect(err.message).to.include("skip_verify");
    err = invalid(`server = "ftp://x"\n`);
    expect(err.message).to.include("server");
    err = invalid(`\n\nserver = "https://x\n`);
    expect(err.message).to.include("line 3").and.include("unterminated");
    err = invalid(`[[host]]\n`);
    expect(err.message).to.include("line 1");
  });

  it("loads <dir>/<host>/hosts.toml, else _default, else certs.d-style *.crt files", () => {
    const dir = tempDir("hosts-dir");
    try {
      mkdirSync(path.join(dir.path, "reg.example:5000"));
      writeFileSync(path.join(dir.path, "reg.example:5000", "hosts.toml"), `[host."http://m1"]\n`);
      mkdirSync(path.join(dir.path, "certs.example"));
      writeFileSync(path.join(dir.path, "certs.example", "b.crt"), "");
      writeFileSync(path.join(dir.path, "certs.example", "a.crt"), "");
      writeFileSync(path.join(dir.path, "certs.example", "client.key"), "");
      expect(loadHostsConfig(dir.path, "reg.example:5000").mirrors).to.have.length(1);
      expect(loadHostsConfig(dir.path, "certs.example").upstreamCaFiles).to.deep.equal([
        path.join(dir.path, "certs.example", "a.crt"),
        path.join(dir.path, "certs.example", "b.crt"),
      ]);
      expect(loadHostsConfig(dir.path, "other.example")).to.deep.equal({
        mirrors: [],
        upstreamCaFiles: [],
      });
      mkdirSync(path.join(dir.path, "_default"));
      writeFileSync(path.join(dir.path, "_default", "hosts.toml"), `[host."http://fallback"]\n`);
      expect(loadHostsConfig(dir.path, "other.example").mirrors[0].url.host).to.equal("fallback");
    } finally {
      dir.remove();
    }
  });
});

describe("TOML subset", () => {
  it("parses strings, literals, escapes, booleans, integers, arrays and nested tables", () => {
    expect(
      parseTomlSubset(
        `a = "x\\ty\\"z" # comment\nb = 'C:\\path'\nc = true\nd = -12\ne = ["#not a comment", 'q']\n[t."k.1".u]\nv = false\n`,
      ),
    ).to.deep.equal({
      a: 'x\ty"z',
      b: "C:\\path",
      c: true,
      d: -12,
      e: ["#not a comment", "q"],
      t: { "k.1": { u: { v: false } } },
    });
  });

  it("rejects duplicate keys and trailing garbage", () => {
    expect(() => parseTomlSubset(`a = 1\na = 2\n`)).to.throw(/line 2: duplicate key/);
    expect(() => parseTomlSubset(`a = 1 2\n`)).to.throw(/line 1: unexpected/);
  });
});
