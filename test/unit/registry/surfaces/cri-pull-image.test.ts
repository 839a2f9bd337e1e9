import { expect } from "chai";
import { Registry } from "prom-client";
import {
  pullImage,
  registryAuth,
  type ImagePuller,
} from "../../../../agent/cri/image/pull-image.js";
import type { ImageRecord } from "../../../../agent/images/image-records.js";
import { PullMetrics } from "../../../../agent/registry/metrics.js";
import type { RegistryAuth } from "../../../../agent/registry/registry-api.js";
import { isBerthError, notFound } from "../../../../lib/errors.js";
import { silentLogger } from "../../../../lib/logger.js";
import type { AuthConfig__Output } from "../../../../proto/gen/runtime/v1/AuthConfig.js";
import type { PullImageRequest__Output } from "../../../../proto/gen/runtime/v1/PullImageRequest.js";

const id = `sha256:${"c".repeat(64)}`;
const record = { id, size: 1234 } as ImageRecord;

const emptyAuth: AuthConfig__Output = {
  username: "",
  password: "",
  auth: "",
  server_address: "",
  identity_token: "",
  registry_token: "",
};

function request(image: string, auth: Partial<AuthConfig__Output> | null = null) {
  return {
    image: { image, annotations: {}, user_specified_image: "", runtime_handler: "" },
    auth: auth ? { ...emptyAuth, ...auth } : null,
    sandbox_config: null,
  } as unknown as PullImageRequest__Output;
}

function deps(pull: ImagePuller) {
  const registry = new Registry();
  return { deps: { pull, metrics: new PullMetrics(registry), logger: silentLogger() }, registry };
}

describe("CRI PullImage", () => {
  it("pulls the normalized reference and answers the image id", async () => {
    const calls: { ref: string; auth?: RegistryAuth }[] = [];
    const { deps: d } = deps(async (ref, o) => {
      calls.push({ ref, auth: o.auth });
      return record;
    });
    const res = await pullImage(d, request("busybox"));
    expect(res.image_ref).to.equal(id);
    expect(calls).to.deep.equal([{ ref: "docker.io/library/busybox:latest", auth: undefined }]);
    await pullImage(d, request("127.0.0.1:5000/team/app:v1@sha256:" + "d".repeat(64)));
    expect(calls[1].ref).to.equal("127.0.0.1:5000/team/app:v1@sha256:" + "d".repeat(64));
  });

  it("passes AuthConfig's credentials on, in the transport's form", async () => {
    let seen: RegistryAuth | undefined;
    const { deps: d } = deps(async (_ref, o) => {
      seen = o.auth;
      return record;
    });
    await pullImage(d, request("busybox", { username: "u", password: "p", server_address: "x" }));
    expect(seen).to.deep.equal({ username: "u", password: "p" });
  });

  it("rejects an empty or malformed image as InvalidArgument naming image.image", async () => {
    const { deps: d } = deps(async () => record);
    for (const bad of ["", "Not A Ref!", "busybox@sha256:short"]) {
      const err = await pullImage(d, request(bad)).catch((e) => e);
      expect(isBerthError(err, "InvalidArgument"), bad).to.equal(true);
      expect(err.field).to.equal("image.image");
      expect(err.message).to.include("image.image");
    }
  });

  it("lets the pull's own error through (NotFound stays NotFound) and counts it", async () => {
    const { deps: d, registry } = deps(async () => {
      throw notFound("manifest unknown: 127.0.0.1:5000/team/app:nope");
    });
    const err = await pullImage(d, request("127.0.0.1:5000/team/app:nope")).catch((e) => e);
    expect(isBerthError(err, "NotFound")).to.equal(true);
    expect(await registry.metrics()).to.include(
      'berth_image_pull_errors_total{reason="not_found"} 1',
    );
  });
});

describe("registryAuth from CRI AuthConfig", () => {
  it("is undefined when nothing is set", () => {
    expect(registryAuth(null)).to.equal(undefined);
    expect(registryAuth(emptyAuth)).to.equal(undefined);
    expect(registryAuth({ ...emptyAuth, server_address: "r.example" })).to.equal(undefined);
  });

  it("maps every credential form", () => {
    expect(
      registryAuth({
        ...emptyAuth,
        auth: "dTpw",
        identity_token: "refresh",
        registry_token: "bearer",
      }),
    ).to.deep.equal({ auth: "dTpw", identityToken: "refresh", registryToken: "bearer" });
  });
});
