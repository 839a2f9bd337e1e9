import { expect } from "chai";
import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  authFromFile,
  parsePlatform,
  pullCredentials,
} from "../../../../cli/commands/image-pull-options.js";
import { isBerthError } from "../../../../lib/errors.js";
import { tempDir } from "../../../support/temp-dir.js";

describe("berth image pull options", () => {
  let dir: ReturnType<typeof tempDir>;
  before(() => (dir = tempDir("pull-options")));
  after(() => dir.remove());

  it("parses os/arch and os/arch/variant, and refuses anything else naming --platform", () => {
    expect(parsePlatform("linux/amd64")).to.deep.equal({ os: "linux", architecture: "amd64" });
    expect(parsePlatform("linux/arm/v7")).to.deep.equal({
      os: "linux",
      architecture: "arm",
      variant: "v7",
    });
    for (const bad of ["linux", "linux/amd64/v1/x", "linux//amd64", "Linux/AMD64"]) {
      const err = (() => {
        try {
          return parsePlatform(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(isBerthError(err, "InvalidArgument"), bad).to.equal(true);
      expect((err as Error).message).to.include("--platform");
    }
  });

  it("takes --username with --password, never one alone or both with --auth-file", async () => {
    const base = { configDir: "/nonexistent" };
    expect(await pullCredentials({ ...base, username: "u", password: "p" }, "h")).to.deep.equal({
      username: "u",
      password: "p",
    });
    expect(await pullCredentials(base, "h")).to.equal(undefined);
    const alone = await pullCredentials({ ...base, username: "u" }, "h").catch((e) => e);
    expect(isBerthError(alone, "InvalidArgument")).to.equal(true);
    const both = await pullCredentials(
      { ...base, username: "u", password: "p", authFile: "/x" },
      "h",
    ).catch((e) => e);
    expect(isBerthError(both, "InvalidArgument")).to.equal(true);
  });

  it("reads the registry's entry from a Docker config.json, keyed by host or URL", async () => {
    const file = path.join(dir.path, "config.json");
    writeFileSync(
      file,
      JSON.stringify({
        auths: {
          "127.0.0.1:5000": { auth: "dTpw" },
          "https://index.docker.io/v1/": { username: "hub", password: "pw" },
          "https://r.example:8443/v2/": { identitytoken: "refresh" },
        },
      }),
    );
    expect(await authFromFile(file, "127.0.0.1:5000")).to.deep.equal({ auth: "dTpw" });
    expect(await authFromFile(file, "docker.io")).to.deep.equal({
      username: "hub",
      password: "pw",
    });
    expect(await authFromFile(file, "r.example:8443")).to.deep.equal({
      identityToken: "refresh",
    });
    expect(await authFromFile(file, "127.0.0.1:5001")).to.equal(undefined);
  });

  it("names --auth-file when the file is missing or not JSON", async () => {
    const bad = path.join(dir.path, "bad.json");
    writeFileSync(bad, "{nope");
    for (const f of [bad, path.join(dir.path, "absent.json")]) {
      const err = await authFromFile(f, "h").catch((e) => e);
      expect(isBerthError(err, "InvalidArgument")).to.equal(true);
      expect(err.message).to.include("--auth-file");
    }
  });
});
