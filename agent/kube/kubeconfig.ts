import { readFile } from "node:fs/promises";
import path from "node:path";
import YAML from "yaml";
import { errnoCode, invalidArgument } from "../../lib/errors.js";

/** What a client needs to reach and authenticate to the API server, from one kubeconfig context. */
export interface KubeCredentials {
  /** https://host:port (http:// is accepted for tests against plain servers). */
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecureSkipTlsVerify?: boolean;
}

type Entry = Record<string, unknown>;

/**
 * Reads the current (or `context`) context of a kubeconfig: its cluster's server and CA, its
 * user's client certificate, key and token, inline (`*-data`, base64) or from files resolved
 * against the kubeconfig's directory. Errors name the file and the field at fault.
 */
export async function loadKubeconfig(
  file: string,
  options: { context?: string } = {},
): Promise<KubeCredentials> {
  const text = await readText(file, "kubeconfig", file);
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw invalidArgument(`${file}: not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  if (!isEntry(doc)) {
    throw invalidArgument(`${file}: is not a kubeconfig (a YAML mapping)`);
  }
  return new KubeconfigReader(file, doc).credentials(options.context);
}

class KubeconfigReader {
  private readonly dir: string;

  constructor(
    private readonly file: string,
    private readonly doc: Entry,
  ) {
    this.dir = path.dirname(path.resolve(file));
  }

  async credentials(wanted: string | undefined): Promise<KubeCredentials> {
    const contextName = wanted ?? this.text(this.doc, "current-context", "current-context");
    if (!contextName) this.fail("current-context", "is not set and no context was given");
    const context = this.named("contexts", "context", contextName);
    const at = `contexts[${contextName}].context`;
    const clusterName = this.text(context, "cluster", `${at}.cluster`);
    if (!clusterName) this.fail(`${at}.cluster`, "is required");
    const userName = this.text(context, "user", `${at}.user`);
    return {
      ...(await this.cluster(clusterName)),
      ...(userName ? await this.user(userName) : {}),
    };
  }

  private async cluster(name: string): Promise<KubeCredentials> {
    const cluster = this.named("clusters", "cluster", name);
    const at = `clusters[${name}].cluster`;
    const server = this.text(cluster, "server", `${at}.server`);
    if (!server) this.fail(`${at}.server`, "is required");
    if (!/^https?:\/\/[^/]/.test(server)) {
      this.fail(`${at}.server`, `must be an https:// URL, not ${JSON.stringify(server)}`);
    }
    const insecure = cluster["insecure-skip-tls-verify"];
    if (insecure !== undefined && typeof insecure !== "boolean") {
      this.fail(`${at}.insecure-skip-tls-verify`, "must be true or false");
    }
    const ca = await this.material(cluster, "certificate-authority", at);
    if (insecure === true && ca !== undefined) {
      this.fail(`${at}.insecure-skip-tls-verify`, "cannot be used with a certificate-authority");
    }
    return {
      server: server.replace(/\/+$/, ""),
      ...(ca ? { ca } : {}),
      ...(insecure === true ? { insecureSkipTlsVerify: true } : {}),
    };
  }

  private async user(name: string): Promise<Omit<KubeCredentials, "server">> {
    const user = this.named("users", "user", name);
    const at = `users[${name}].user`;
    for (const unsupported of ["exec", "auth-provider", "username", "password"]) {
      if (user[unsupported] !== undefined) {
        this.fail(`${at}.${unsupported}`, "is not supported: use a client certificate or token");
      }
    }
    const cert = await this.material(user, "client-certificate", at);
    const key = await this.material(user, "client-key", at);
    if ((cert === undefined) !== (key === undefined)) {
      const missing = cert === undefined ? "client-certificate" : "client-key";
      this.fail(`${at}.${missing}`, "is required with the other half of the key pair");
    }
    let token = this.text(user, "token", `${at}.token`);
    const tokenFile = this.text(user, "tokenFile", `${at}.tokenFile`);
    if (!token && tokenFile) {
      token = (await readText(this.resolve(tokenFile), `${at}.tokenFile`, this.file)).trim();
      if (!token) this.fail(`${at}.tokenFile`, `${tokenFile} is empty`);
    }
    return { ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(token ? { token } : {}) };
  }

  /** `<name>-data` (base64) or `<name>` (a file), PEM either way; both at once is an error. */
  private async material(entry: Entry, name: string, at: string): Promise<Buffer | undefined> {
    const inline = this.text(entry, `${name}-data`, `${at}.${name}-data`);
    const fileName = this.text(entry, name, `${at}.${name}`);
    if (inline && fileName) this.fail(`${at}.${name}`, `cannot be set together with ${name}-data`);
    let data: Buffer | undefined;
    let field = `${at}.${name}`;
    if (inline) {
      field = `${at}.${name}-data`;
      if (!/^[A-Za-z0-9+/=\s]+$/.test(inline)) this.fail(field, "is not base64");
      data = Buffer.from(inline, "base64");
    } else if (fileName) {
      data = Buffer.from(await readText(this.resolve(fileName), field, this.file));
    }
    if (data && !data.includes("-----BEGIN ")) this.fail(field, "does not hold PEM data");
    return data;
  }

  private named(list: string, kind: string, name: string): Entry {
    const entries = this.doc[list];
    if (entries !== undefined && entries !== null && !Array.isArray(entries)) {
      this.fail(list, "must be a list");
    }
    const found = ((entries as unknown[] | null) ?? []).find(
      (e) => isEntry(e) && e.name === name,
    ) as Entry | undefined;
    if (!found) this.fail(list, `has no ${kind} named ${JSON.stringify(name)}`);
    const body = found[kind];
    if (body === undefined || body === null) return {};
    if (!isEntry(body)) this.fail(`${list}[${name}].${kind}`, "must be a mapping");
    return body;
  }

  private text(entry: Entry, key: string, field: string): string | undefined {
    const value = entry[key];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") this.fail(field, "must be a string");
    return value;
  }

  private resolve(file: string): string {
    return path.isAbsolute(file) ? file : path.join(this.dir, file);
  }

  private fail(field: string, problem: string): never {
    throw invalidArgument(`${this.file}: ${field ? `${field} ` : ""}${problem}`, {
      field: field || undefined,
    });
  }
}

async function readText(file: string, field: string, kubeconfig: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    const why = errnoCode(err) === "ENOENT" ? "does not exist" : (err as Error).message;
    const where = file === kubeconfig ? file : `${kubeconfig}: ${field}: ${file}`;
    throw invalidArgument(`${where} ${why}`, { field, cause: err });
  }
}

function isEntry(value: unknown): value is Entry {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
