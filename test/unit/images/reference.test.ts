import { expect } from "chai";
import {
  formatReference,
  isRepositoryOnly,
  normalizeReference,
  parseReference,
} from "../../../agent/images/reference.js";
import { isBerthError } from "../../../lib/errors.js";

const digest = `sha256:${"ab".repeat(32)}`;

function normalized(text: string): string {
  return formatReference(normalizeReference(text));
}

describe("agent/images reference", () => {
  it("qualifies Docker Hub names the way Docker does", () => {
    expect(normalized("busybox")).to.equal("docker.io/library/busybox:latest");
    expect(normalized("busybox:1.36")).to.equal("docker.io/library/busybox:1.36");
    expect(normalized("team/app")).to.equal("docker.io/team/app:latest");
    expect(normalized("docker.io/library/busybox:latest")).to.equal(
      "docker.io/library/busybox:latest",
    );
    expect(normalized("docker.io/busybox")).to.equal("docker.io/library/busybox:latest");
  });

  it("keeps a registry given by a dot, a port or localhost", () => {
    expect(normalized("registry.example.com/app")).to.equal("registry.example.com/app:latest");
    expect(normalized("registry:5000/team/app:1.0")).to.equal("registry:5000/team/app:1.0");
    expect(normalized("localhost/app")).to.equal("localhost/app:latest");
    expect(normalized("localhost:5000/app:dev")).to.equal("localhost:5000/app:dev");
  });

  it("parses digest references without adding a tag", () => {
    expect(parseReference(`busybox@${digest}`)).to.deep.equal({
      repository: "docker.io/library/busybox",
      tag: undefined,
      digest,
    });
    expect(normalized(`registry:5000/app@${digest}`)).to.equal(`registry:5000/app@${digest}`);
    expect(normalized(`app:1.0@${digest}`)).to.equal(`docker.io/library/app:1.0@${digest}`);
  });

  it("tells a bare repository from a tagged or pinned one", () => {
    expect(isRepositoryOnly("busybox")).to.equal(true);
    expect(isRepositoryOnly("registry:5000/busybox")).to.equal(true);
    expect(isRepositoryOnly("busybox:1")).to.equal(false);
    expect(isRepositoryOnly(`busybox@${digest}`)).to.equal(false);
  });

  for (const bad of [
    "",
    "BusyBox",
    "busybox:",
    "busybox:-tag",
    "busybox@sha256:abc",
    "busybox@md5:" + "a".repeat(32),
    "/busybox",
    "team//app",
    "busy box",
    "x".repeat(5000),
  ]) {
    it(`rejects ${JSON.stringify(bad.length > 40 ? `${bad.slice(0, 10)}…` : bad)} as InvalidArgument, naming the field`, () => {
      let err: unknown;
      try {
        parseReference(bad, "image.image");
      } catch (e) {
        err = e;
      }
      expect(isBerthError(err, "InvalidArgument")).to.equal(true);
      expect((err as Error).message).to.match(/^image\.image: invalid image reference/);
    });
  }
});
