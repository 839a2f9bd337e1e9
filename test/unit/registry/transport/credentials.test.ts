import { expect } from "chai";
import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  basicCredentials,
  credentialsFromFiles,
  normalizeAuthKey,
} from "../../../../agent/registry/transport/credentials.js";
import { BerthError } from "../../../../lib/errors.js";
import { tempDir } from "../../../support/temp-dir.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("registry credentials", () => {
  let dir: { path: string; remove: () => void };
  beforeEach(() => (dir = tempDir("credentials")));
  afterEach(() => dir.remove());

  function authFile(name: string, content: unknown): string {
    const file = path.join(dir.path, name);
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  }

  it("normalises the keys config files use for a host", () => {
    expect(normalizeAuthKey("registry.example:5000")).to.equal("registry.example:5000");
    expect(normalizeAuthKey("https://Registry.Example/v1/")).to.equal("registry.example");
    expect(normalizeAuthKey("http://127.0.0.1:5000")).to.equal("127.0.0.1:5000");
    for (const hub of [
      "https://index.docker.io/v1/",
      "index.docker.io",
      "registry-1.docker.io",
      "docker.io",
    ]) {
      expect(normalizeAuthKey(hub), hub).to.equal("docker.io");
    }
  });

  it("reads user and password from `auth` (base64) or username/password", () => {
    expect(basicCredentials({ auth: b64("bob:pa:ss") })).to.deep.equal({
      username: "bob",
      password: "pa:ss",
    });
    expect(basicCredentials({ username: "bob", password: "x" })).to.deep.equal({
      username: "bob",
      password: "x",
    });
    expect(basicCredentials({ identityToken: "t" })).to.equal(undefined);
    expect(basicCredentials(undefined)).to.equal(undefined);
  });

  it("finds an `auth` entry under a URL-style key", () => {
    const file = authFile("config.json", {
      auths: { "https://reg.example:5000/v1/": { auth: b64("u:p") } },
    });
    expect(credentialsFromFiles([file], "reg.example:5000")).to.deep.include({ auth: b64("u:p") });
    expect(credentialsFromFiles([file], "reg.example")).to.equal(undefined);
  });

  it("finds username/password and identity token entries", () => {
    const file = authFile("config.json", {
      auths: {
        "a.example": { username: "u", password: "p" },
        "b.example": { auth: b64("u:"), identitytoken: "refresh" },
      },
    });
    expect(credentialsFromFiles([file], "a.example")).to.deep.include({
      username: "u",
      password: "p",
    });
    expect(credentialsFromFiles([file], "b.example")).to.deep.include({ identityToken: "refresh" });
  });

  it("matches Docker Hub's v1 key for docker.io", () => {
    const file = authFile("config.json", {
      auths: { "https://index.docker.io/v1/": { auth: b64("hub:pw") } },
    });
    expect(basicCredentials(credentialsFromFiles([file], "docker.io"))).to.deep.equal({
      username: "hub",
      password: "pw",
    });
  });

  it("takes the first file with an entry and skips missing files", () => {
    const first = authFile("first.json", { auths: { "other.example": { auth: b64("o:o") } } });
    const second = authFile("second.json", { auths: { "reg.example": { auth: b64("s:s") } } });
    const third = authFile("third.json", { auths: { "reg.example": { auth: b64("t:t") } } });
    const missing = path.join(dir.path, "missing.json");
    expect(credentialsFromFiles([missing, first, second, third], "reg.example")).to.deep.include({
      auth: b64("s:s"),
    });
  });

  it("ignores entries that carry nothing (a credsStore user's empty entries)", () => {
    const file = authFile("config.json", { auths: { "reg.example": {} }, credsStore: "desktop" });
    expect(credentialsFromFiles([file], "reg.example")).to.equal(undefined);
  });

  it("rejects a malformed file naming it and the field, never its content", () => {
    const broken = authFile("broken.json", '{"auths": {"reg.example": {"auth": "c2VjcmV0');
    const badType = authFile("bad-type.json", { auths: { "reg.example": { password: 12345678 } } });
    const badAuth = authFile("bad-auth.json", {
      auths: { "reg.example": { auth: b64("nocolon") } },
    });
    for (const [file, field] of [
      [broken, "auths"],
      [badType, 'auths["reg.example"].password'],
      [badAuth, 'auths["reg.example"].auth'],
    ]) {
      let err: unknown;
      try {
        credentialsFromFiles([file], "reg.example");
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(BerthError);
      expect((err as BerthError).kind).to.equal("InvalidArgument");
      expect((err as BerthError).field).to.equal(field);
      expect((err as BerthError).message)
        .to.include(file)
        .and.not.include("c2VjcmV0");
      expect((err as BerthError).message).not.to.include("12345678");
    }
  });
});
