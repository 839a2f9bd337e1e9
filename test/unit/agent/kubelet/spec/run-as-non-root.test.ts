import { expect } from "chai";
import type { Pod } from "../../../../../agent/kube/types.js";
import { ContainerConfigError } from "../../../../../agent/kubelet/spec/container-config-error.js";
import {
  imageUserIdentity,
  verifyRunAsNonRoot,
} from "../../../../../agent/kubelet/spec/run-as-non-root.js";
import { makePod } from "./pod-fixture.js";

const suffix = '(pod: "web_default(uid-1)", container: app)';

function check(
  imageUser: string,
  podSc: NonNullable<Pod["spec"]>["securityContext"],
  own = {},
): string | undefined {
  const pod = makePod({
    securityContext: podSc,
    containers: [{ name: "app", image: "x", securityContext: own }],
  });
  try {
    verifyRunAsNonRoot(pod, pod.spec!.containers[0], imageUser);
    return undefined;
  } catch (err) {
    expect(err).to.be.instanceOf(ContainerConfigError);
    return (err as Error).message;
  }
}

describe("agent/kubelet/spec runAsNonRoot", () => {
  it("reads the image's user as a uid when numeric, else a name; no user means root", () => {
    expect(imageUserIdentity("")).to.deep.equal({ uid: 0n });
    expect(imageUserIdentity("0")).to.deep.equal({ uid: 0n });
    expect(imageUserIdentity("1000:1000")).to.deep.equal({ uid: 1000n });
    expect(imageUserIdentity("root")).to.deep.equal({ username: "root" });
    expect(imageUserIdentity("app:staff")).to.deep.equal({ username: "app" });
  });

  it("checks nothing when runAsNonRoot is unset or false", () => {
    expect(check("", undefined)).to.equal(undefined);
    expect(check("0", { runAsNonRoot: false })).to.equal(undefined);
  });

  it("refuses an image that runs as root, by uid 0 or by having no user", () => {
    const message = `container has runAsNonRoot and image will run as root ${suffix}`;
    expect(check("0", { runAsNonRoot: true })).to.equal(message);
    expect(check("", { runAsNonRoot: true })).to.equal(message);
    expect(check("0:0", {}, { runAsNonRoot: true })).to.equal(message);
  });

  it("refuses an image user given by name, which cannot be checked", () => {
    expect(check("root", { runAsNonRoot: true })).to.equal(
      `container has runAsNonRoot and image has non-numeric user (root), cannot verify user is non-root ${suffix}`,
    );
    expect(check("app:staff", { runAsNonRoot: true })).to.equal(
      `container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root ${suffix}`,
    );
  });

  it("accepts a numeric non-zero image user", () => {
    expect(check("1000", { runAsNonRoot: true })).to.equal(undefined);
    expect(check("1000:1000", { runAsNonRoot: true })).to.equal(undefined);
  });

  it("refuses runAsUser 0 from the container or the pod, whatever the image", () => {
    const message = `container's runAsUser breaks non-root policy ${suffix}`;
    expect(check("1000", { runAsNonRoot: true, runAsUser: 0 })).to.equal(message);
    expect(check("1000", { runAsNonRoot: true }, { runAsUser: 0 })).to.equal(message);
  });

  it("trusts a non-zero runAsUser over the image's user", () => {
    expect(check("root", { runAsNonRoot: true, runAsUser: 1000 })).to.equal(undefined);
    expect(check("0", { runAsUser: 0 }, { runAsNonRoot: true, runAsUser: 1001 })).to.equal(
      undefined,
    );
  });

  it("lets the container's runAsNonRoot override the pod's", () => {
    expect(check("0", { runAsNonRoot: true }, { runAsNonRoot: false })).to.equal(undefined);
  });

  it("refuses an image uid above 2147483647", () => {
    expect(check("4294967296", { runAsNonRoot: true })).to.contain(
      "image has an invalid user id (4294967296)",
    );
  });
});
