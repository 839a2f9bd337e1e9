import { expect } from "chai";
import { writeFileSync } from "node:fs";
import type http from "node:http";
import path from "node:path";
import { createAuthenticator, isPublicPath } from "../../../../controller/auth/authenticate.js";
import { tempDir } from "../../../support/temp-dir.js";

const clientAuth = "1.3.6.1.5.5.7.3.2";
const serverAuth = "1.3.6.1.5.5.7.3.1";

interface FakeCert {
  subject?: { CN?: string | string[]; O?: string | string[] };
  ext_key_usage?: string[];
}

/** A request as the authenticator sees it: headers and, for TLS, the socket's peer certificate. */
function request(
  headers: Record<string, string> = {},
  tls?: { cert: FakeCert; authorized: boolean },
): http.IncomingMessage {
  const socket = tls
    ? { authorized: tls.authorized, getPeerCertificate: () => tls.cert }
    : { remoteAddress: "127.0.0.1" };
  return { headers, socket } as unknown as http.IncomingMessage;
}

describe("controller/auth createAuthenticator", () => {
  let dir: ReturnType<typeof tempDir>;
  let tokenFile: string;
  before(() => {
    dir = tempDir("authenticate");
    tokenFile = path.join(dir.path, "tokens.csv");
    writeFileSync(tokenFile, 'good-token,alice,uid-1,"devs,ops"\n');
  });
  after(() => dir.remove());

  it("maps a verified client certificate to CN and every O, plus system:authenticated", () => {
    const authenticate = createAuthenticator();
    const user = authenticate(
      request(
        {},
        {
          cert: {
            subject: { CN: "system:node:n1", O: ["system:nodes", "extra"] },
            ext_key_usage: [clientAuth],
          },
          authorized: true,
        },
      ),
    );
    expect(user).to.deep.equal({
      name: "system:node:n1",
      groups: ["system:nodes", "extra", "system:authenticated"],
    });
  });

  it("accepts a certificate without an extended key usage and a single O", () => {
    const user = createAuthenticator()(
      request({}, { cert: { subject: { CN: "bob", O: "team" } }, authorized: true }),
    );
    expect(user).to.deep.equal({ name: "bob", groups: ["team", "system:authenticated"] });
  });

  it("refuses an unverified certificate, a server-only certificate and an empty CN", () => {
    const authenticate = createAuthenticator();
    const cert = { subject: { CN: "mallory" }, ext_key_usage: [clientAuth] };
    expect(authenticate(request({}, { cert, authorized: false }))).to.equal("invalid");
    expect(
      authenticate(
        request({}, { cert: { ...cert, ext_key_usage: [serverAuth] }, authorized: true }),
      ),
    ).to.equal("invalid");
    expect(authenticate(request({}, { cert: { subject: { O: "x" } }, authorized: true }))).to.equal(
      "invalid",
    );
  });

  it("looks a bearer token up in the token file", () => {
    const authenticate = createAuthenticator({ tokenFile });
    expect(authenticate(request({ authorization: "Bearer good-token" }))).to.deep.equal({
      name: "alice",
      uid: "uid-1",
      groups: ["devs", "ops", "system:authenticated"],
    });
    expect(authenticate(request({ authorization: "bearer   good-token " }))).to.have.property(
      "name",
      "alice",
    );
  });

  it("answers invalid for an unknown token, and for any token without a token file", () => {
    expect(createAuthenticator({ tokenFile })(request({ authorization: "Bearer nope" }))).to.equal(
      "invalid",
    );
    expect(createAuthenticator()(request({ authorization: "Bearer good-token" }))).to.equal(
      "invalid",
    );
  });

  it("lets a valid certificate win over a wrong token, and a good token over a bad certificate", () => {
    const authenticate = createAuthenticator({ tokenFile });
    const cert = { subject: { CN: "carol" }, ext_key_usage: [clientAuth] };
    expect(
      authenticate(request({ authorization: "Bearer nope" }, { cert, authorized: true })),
    ).to.have.property("name", "carol");
    expect(
      authenticate(request({ authorization: "Bearer good-token" }, { cert, authorized: false })),
    ).to.have.property("name", "alice");
  });

  it("finds no credentials without a certificate or bearer token (Basic is not a credential here)", () => {
    const authenticate = createAuthenticator({ tokenFile });
    expect(authenticate(request())).to.equal(undefined);
    expect(authenticate(request({ authorization: "Basic YTpi" }))).to.equal(undefined);
    expect(authenticate(request({ authorization: "Bearer" }))).to.equal(undefined);
    expect(authenticate(request({}, { cert: {} as FakeCert, authorized: false }))).to.equal(
      undefined,
    );
  });

  it("admits only the health paths without credentials", () => {
    for (const p of ["/healthz", "/livez", "/readyz", "/readyz/etcd", "/healthz/ping"]) {
      expect(isPublicPath(p), p).to.equal(true);
    }
    for (const p of ["/version", "/api", "/healthzx", "/metrics", "/api/v1/healthz"]) {
      expect(isPublicPath(p), p).to.equal(false);
    }
  });
});
