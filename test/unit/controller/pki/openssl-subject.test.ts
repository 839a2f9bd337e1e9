import { expect } from "chai";
import { subjectArg } from "../../../../controller/pki/openssl.js";

describe("controller/pki certificate subjects", () => {
  it("puts every organization before the common name", () => {
    expect(
      subjectArg({ commonName: "system:node:n1", organizations: ["system:nodes", "extra"] }),
    ).to.equal("/O=system:nodes/O=extra/CN=system:node:n1");
  });

  it("escapes slashes and backslashes so a name cannot add attributes", () => {
    expect(subjectArg({ commonName: "a/O=system:masters", organizations: ["b\\c"] })).to.equal(
      "/O=b\\\\c/CN=a\\/O=system:masters",
    );
  });

  it("rejects empty values and control characters, naming the field", () => {
    expect(() => subjectArg({ commonName: "" })).to.throw("commonName must not be empty");
    expect(() => subjectArg({ commonName: "x", organizations: ["ok", ""] })).to.throw(
      "organizations[1] must not be empty",
    );
    expect(() => subjectArg({ commonName: "a\nb" })).to.throw(
      "commonName must not contain control characters",
    );
  });
});
