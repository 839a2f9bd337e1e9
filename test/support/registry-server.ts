import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { tempDir } from "./temp-dir.js";
import { freePort } from "./free-port.js";

export interface TestRegistry {
  /** "127.0.0.1:PORT", as an image reference's domain. */
  host: string;
  /** "http://127.0.0.1:PORT" ("https://…" with tls). */
  url: string;
  /** The berth-test- temp dir holding the config, the htpasswd file and the storage. */
  root: string;
  /** Everything the registry wrote to stderr so far (its logs), for failure messages. */
  logs(): string;
  /** Kills the registry (by PID) and removes its temp dir. */
  stop(): Promise<void>;
}

export interface TestRegistryOptions {
  /** Require HTTP basic auth (htpasswd, bcrypt) with this one user. */
  auth?: { user: string; password: string };
  /** Serve HTTPS with this PEM certificate and key (files). */
  tls?: { certificate: string; key: string };
}

/**
 * Starts Debian's docker-registry on 127.0.0.1 and a free port, storing into a temp dir, with
 * deletes enabled; resolves once `/v2/` answers (200, or 401 when auth is on).
 */
export async function startRegistry(options: TestRegistryOptions = {}): Promise<TestRegistry> {
  const dir = tempDir("registry");
  try {
    // A free port can be taken between probing and binding: retry a few times.
    for (let attempt = 0; ; attempt++) {
      try {
        return await startOnce(dir, options);
      } catch (err) {
        if (attempt >= 3 || !String(err).includes("address already in use")) throw err;
      }
    }
  } catch (err) {
    dir.remove();
    throw err;
  }
}

async function startOnce(
  dir: { path: string; remove: () => void },
  options: TestRegistryOptions,
): Promise<TestRegistry> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const scheme = options.tls ? "https" : "http";
  const configPath = path.join(dir.path, "config.yml");
  writeFileSync(configPath, registryConfig(dir.path, host, options));
  const child = spawn("docker-registry", ["serve", configPath], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let logs = "";
  child.stderr?.on("data", (b: Buffer) => (logs += b.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, "SIGKILL");
    }
    await exited;
  };
  try {
    await waitUntilServing(child, `${scheme}://${host}`, () => logs);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host,
    url: `${scheme}://${host}`,
    root: dir.path,
    logs: () => logs,
    async stop() {
      await stop();
      dir.remove();
    },
  };
}

function registryConfig(root: string, host: string, options: TestRegistryOptions): string {
  const lines = [
    "version: 0.1",
    "log:",
    "  level: warn",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${path.join(root, "data")}`,
    "  delete:",
    "    enabled: true",
    "  maintenance:",
    "    uploadpurging:",
    "      enabled: false",
    "http:",
    `  addr: ${host}`,
  ];
  if (options.tls) {
    lines.push(
      "  tls:",
      `    certificate: ${options.tls.certificate}`,
      `    key: ${options.tls.key}`,
    );
  }
  if (options.auth) {
    const htpasswdPath = path.join(root, "htpasswd");
    writeFileSync(htpasswdPath, htpasswdLine(options.auth.user, options.auth.password));
    lines.push("auth:", "  htpasswd:", "    realm: berth-test", `    path: ${htpasswdPath}`);
  }
  return lines.join("\n") + "\n";
}

/** The registry only accepts bcrypt entries; apache2-utils' htpasswd makes them. */
function htpasswdLine(user: string, password: string): string {
  // -i reads the password from stdin so it never appears on a command line.
  return execFileSync("htpasswd", ["-niB", user], { input: password, encoding: "utf8" });
}

async function waitUntilServing(child: ChildProcess, base: string, logs: () => string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`docker-registry exited before serving: ${logs()}`);
    }
    if (await answers(`${base}/v2/`)) return;
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer: ${logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    // Readiness only: the test certificate need not be trusted here.
    const get = url.startsWith("https:") ? https.get : http.get;
    const req = get(url, { agent: false, timeout: 1000, rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 || res.statusCode === 401);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}
