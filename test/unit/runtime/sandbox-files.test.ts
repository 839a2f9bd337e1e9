import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { writeSandboxFiles } from "../../../agent/runtime/sandbox/sandbox-files.js";
import { tempDir } from "../../support/temp-dir.js";

describe("sandbox files", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir("sandbox-files")));
  afterEach(() => dir.remove());

  it("writes resolv.conf from the pod's DNS config", async () => {
    const files = await writeSandboxFiles(dir.path, {
      hostname: "web",
      hostNetwork: false,
      dns: { servers: ["10.10.10.10"], searches: ["google.com"], options: ["ndots:8"] },
    });
    expect(readFileSync(files.resolvConf, "utf8")).to.equal(
      "nameserver 10.10.10.10\nsearch google.com\noptions ndots:8\n",
    );
    expect(readFileSync(files.hostname, "utf8")).to.equal("web\n");
    expect(readFileSync(files.hosts, "utf8"))
      .to.match(/127\.0\.0\.1\tlocalhost/)
      .and.match(/\tweb\n/);
  });

  it("uses the host's resolv.conf when the pod has no DNS config", async () => {
    const files = await writeSandboxFiles(dir.path, {
      hostname: "h",
      hostNetwork: false,
      dns: null,
    });
    const host = existsSync("/etc/resolv.conf") ? readFileSync("/etc/resolv.conf", "utf8") : "";
    expect(readFileSync(files.resolvConf, "utf8")).to.equal(host);
  });
});
