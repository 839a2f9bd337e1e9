import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { run } from "../../lib/exec.js";
import { invalidArgument } from "../../lib/errors.js";

// Certificates are made by the openssl CLI (OpenSSL 3): Node's crypto cannot build X.509
// certificates, and a hand-written DER encoder is the kind of code that should not be ours.
// openssl cannot read a key from a pipe, so keys pass through a private work dir made next to
// the CA key (same protection as the CA key itself), removed when the command is done.

const timeoutMs = 30_000;

export type CertificateUsage = "ca" | "server" | "client";

export interface CertificateSubject {
  commonName: string;
  organizations?: string[];
}

export interface SubjectAltNames {
  ips: string[];
  dnsNames: string[];
}

/** A new EC P-256 private key, PEM (PKCS#8). */
export async function generatePrivateKey(): Promise<string> {
  const { stdout } = await run(
    "openssl",
    ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    { timeoutMs },
  );
  return stdout;
}

/** A self-signed CA certificate for the key, PEM; `workParent` is a private dir for work files. */
export async function selfSignCa(
  keyPem: string,
  subject: CertificateSubject,
  days: number,
  workParent: string,
): Promise<string> {
  return withWorkDir(workParent, async (dir) => {
    const config = path.join(dir, "openssl.cnf");
    const key = path.join(dir, "key.pem");
    await writeFile(config, requestConfig + extensionSection("ca"));
    await writeFile(key, keyPem, { mode: 0o600 });
    const { stdout } = await run(
      "openssl",
      [
        "req",
        "-x509",
        "-new",
        "-key",
        key,
        "-config",
        config,
        "-extensions",
        "v3",
        "-utf8",
        "-subj",
        subjectArg(subject),
        "-days",
        String(days),
        "-set_serial",
        randomSerial(),
      ],
      { timeoutMs },
    );
    return stdout;
  });
}

export interface SignRequest {
  keyPem: string;
  caCertFile: string;
  caKeyFile: string;
  subject: CertificateSubject;
  days: number;
  usage: Exclude<CertificateUsage, "ca">;
  sans?: SubjectAltNames;
}

/** A certificate for the request's key, signed by the CA, PEM. */
export async function signCertificate(request: SignRequest): Promise<string> {
  return withWorkDir(path.dirname(request.caKeyFile), async (dir) => {
    const config = path.join(dir, "openssl.cnf");
    const csr = path.join(dir, "request.csr");
    const key = path.join(dir, "key.pem");
    await writeFile(config, requestConfig + extensionSection(request.usage, request.sans));
    await writeFile(key, request.keyPem, { mode: 0o600 });
    const { stdout: csrPem } = await run(
      "openssl",
      [
        "req",
        "-new",
        "-key",
        key,
        "-config",
        config,
        "-utf8",
        "-subj",
        subjectArg(request.subject),
      ],
      { timeoutMs },
    );
    await writeFile(csr, csrPem);
    const { stdout } = await run(
      "openssl",
      [
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        request.caCertFile,
        "-CAkey",
        request.caKeyFile,
        "-days",
        String(request.days),
        "-extfile",
        config,
        "-extensions",
        "v3",
        "-set_serial",
        randomSerial(),
      ],
      { timeoutMs },
    );
    return stdout;
  });
}

// -subj needs a [req] section with a distinguished_name, even an empty one.
const requestConfig = "[req]\ndistinguished_name = dn\n[dn]\n";

function extensionSection(usage: CertificateUsage, sans?: SubjectAltNames): string {
  if (usage === "ca") {
    return [
      "[v3]",
      "basicConstraints = critical,CA:TRUE",
      "keyUsage = critical,keyCertSign,cRLSign,digitalSignature",
      "subjectKeyIdentifier = hash",
      "",
    ].join("\n");
  }
  const lines = [
    "[v3]",
    "basicConstraints = critical,CA:FALSE",
    "keyUsage = critical,digitalSignature,keyEncipherment",
    `extendedKeyUsage = ${usage === "server" ? "serverAuth" : "clientAuth"}`,
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid",
  ];
  if (sans && sans.ips.length + sans.dnsNames.length > 0) {
    lines.push("subjectAltName = @alt", "[alt]");
    sans.ips.forEach((ip, i) => lines.push(`IP.${i + 1} = ${ip}`));
    sans.dnsNames.forEach((dns, i) => lines.push(`DNS.${i + 1} = ${dns}`));
  }
  return lines.join("\n") + "\n";
}

/** The subject as openssl's -subj wants it: /O=…/CN=…, with '/' and '\' escaped. */
export function subjectArg(subject: CertificateSubject): string {
  const parts = [
    ...(subject.organizations ?? []).map((o, i) => ["O", o, `organizations[${i}]`]),
    ["CN", subject.commonName, "commonName"],
  ];
  return parts
    .map(([type, value, field]) => {
      if (value.length === 0) throw invalidArgument(`${field} must not be empty`, { field });
      if (/[\p{Cc}]/u.test(value)) {
        throw invalidArgument(`${field} must not contain control characters`, { field });
      }
      return `/${type}=${value.replace(/[\\/]/g, (c) => `\\${c}`)}`;
    })
    .join("");
}

// RFC 5280: a positive serial of at most 20 bytes; 16 random bytes make collisions moot.
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return `0x${bytes.toString("hex")}`;
}

async function withWorkDir<T>(parent: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(parent, ".work-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
