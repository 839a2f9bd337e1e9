import { expect } from "chai";
import { parseWwwAuthenticate } from "../../../../agent/registry/transport/www-authenticate.js";

describe("WWW-Authenticate parsing", () => {
  it("reads a bearer challenge with realm, service and a scope holding commas", () => {
    const header =
      'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"';
    expect(parseWwwAuthenticate(header)).to.deep.equal([
      {
        scheme: "bearer",
        params: {
          realm: "https://auth.example/token",
          service: "registry.example",
          scope: "repository:a/b:pull,push",
        },
      },
    ]);
  });

  it("reads a basic challenge and lower-cases scheme and parameter names", () => {
    expect(parseWwwAuthenticate('BASIC Realm="Registry Realm"')).to.deep.equal([
      { scheme: "basic", params: { realm: "Registry Realm" } },
    ]);
  });

  it("splits several challenges in one header", () => {
    const parsed = parseWwwAuthenticate(
      'Basic realm="r1", Bearer realm="https://t/token", service=svc',
    );
    expect(parsed.map((c) => c.scheme)).to.deep.equal(["basic", "bearer"]);
    expect(parsed[1].params).to.deep.equal({ realm: "https://t/token", service: "svc" });
  });

  it("unescapes quoted-pair characters and tolerates spaces around =", () => {
    expect(parseWwwAuthenticate('Bearer realm = "a\\"b" , error="invalid_token"')).to.deep.equal([
      { scheme: "bearer", params: { realm: 'a"b', error: "invalid_token" } },
    ]);
  });

  it("gives nothing for an empty or schemeless header", () => {
    expect(parseWwwAuthenticate("")).to.deep.equal([]);
    expect(parseWwwAuthenticate('realm="x"')).to.deep.equal([]);
  });
});
