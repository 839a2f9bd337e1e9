import { expect } from "chai";
import { Readable } from "node:stream";
import {
  describeErrorBody,
  registryStatusError,
} from "../../../../agent/registry/transport/registry-errors.js";

describe("registry error answers", () => {
  it("surfaces the codes and messages of a distribution error body", () => {
    const body = JSON.stringify({
      errors: [
        { code: "MANIFEST_UNKNOWN", message: "manifest unknown", detail: { Tag: "x" } },
        { code: "DENIED", message: "requested access to the resource is denied" },
      ],
    });
    expect(describeErrorBody(body)).to.equal(
      "MANIFEST_UNKNOWN: manifest unknown; DENIED: requested access to the resource is denied",
    );
  });

  it("keeps short text bodies and drops HTML pages", () => {
    expect(describeErrorBody("too many\n requests")).to.equal("too many requests");
    expect(describeErrorBody("<html><body>502 Bad Gateway</body></html>")).to.equal("");
    expect(describeErrorBody("")).to.equal("");
  });

  it("maps statuses to error kinds and names the registry and request", async () => {
    const cases: [number, string][] = [
      [401, "Unauthenticated"],
      [403, "PermissionDenied"],
      [404, "NotFound"],
      [400, "InvalidArgument"],
      [429, "Unavailable"],
      [503, "Unavailable"],
      [405, "FailedPrecondition"],
    ];
    for (const [status, kind] of cases) {
      const err = await registryStatusError(
        "reg.example",
        "GET /v2/a/manifests/b",
        status,
        Readable.from([Buffer.from(JSON.stringify({ errors: [{ code: "X", message: "why" }] }))]),
      );
      expect(err.kind, String(status)).to.equal(kind);
      expect(err.message).to.equal(
        `registry reg.example: GET /v2/a/manifests/b: HTTP ${status}: X: why`,
      );
    }
  });
});
