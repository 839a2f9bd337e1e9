import { expect } from "chai";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parsePlatform } from "../../../../cli/commands/platform-flag.js";
import { credentialFiles, flagCredentials } from "../../../../cli/commands/registry-flags.js";
import { isBerthError } from "../../../../lib/errors.js";
import { tempDir } from "../../../support/temp-dir.js";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("berth image pull/push registry flags", () => {
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
      const err = thrown(() => parsePlatform(bad));
      expect(isBerthError(err, "InvalidArgument"), bad).to.equal(true);
      expect((err as Error).message).to.include("--platform");
    }
  });

  it("takes --username with --password, never one alone or both with --auth-file", () => {
    const base = { configDir: "/nonexistent" };
    expect(flagCredentials({ ...base, username: "u", password: "p" })).to.deep.equal({
      username: "u",
      password: "p",
    });
    expect(flagCredentials(base)).to.equal(undefined);
    const alone = thrown(() => flagCredentials({ ...base, username: "u" }));
    expect(isBerthError(alone, "InvalidArgument")).to.equal(true);
    const both = thrown(() =>
      flagCredentials({ ...base, username: "u", password: "p", authFile: "/x" }),
    );
    expect(isBerthError(both, "InvalidArgument")).to.equal(true);
  });

  it("reads the config dir's auth.json, then the user's Docker config; --auth-file alone", () => {
    const env = { HOME: "/home/someone" };
    expect(credentialFiles({ configDir: "/etc/berth" }, env)).to.deep.equal([
      "/etc/berth/auth.json",
      "/home/someone/.docker/config.json",
    ]);
    expect(
      credentialFiles({ configDir: "/etc/berth" }, { ...env, DOCKER_CONFIG: "/d" }),
    ).to.deep.equal(["/etc/berth/auth.json", "/d/config.json"]);
    const file = path.join(dir.path, "config.json");
    writeFileSync(file, JSON.stringify({ auths: {} }));
    expect(credentialFiles({ configDir: "/etc/berth", authFile: file }, env)).to.deep.equal([file]);
  });

  it("names --auth-file when the file is missing", () => {
    const err = thrown(() =>
      credentialFiles({ configDir: "/x", authFile: path.join(dir.path, "absent.json") }),
    );
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect((err as Error).message).to.include("--auth-file");
  });
});
