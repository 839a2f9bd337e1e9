import { X509Certificate, createPrivateKey } from "node:crypto";
import { readFile } from "node:fs/promises";
import { errnoCode, invalidArgument } from "../../lib/errors.js";
import type { Pki } from "./pki.js";

export interface UserPkiFiles {
  /** --tls-cert-file: the serving certificate (PEM, may be followed by intermediates). */
  tlsCertFile: string;
  /** --tls-private-key-file */
  tlsPrivateKeyFile: string;
  /** --client-ca-file: the CA bundle client certificates are verified against. */
  clientCaFile: string;
}

/** User-supplied certificate files, checked (they parse, the key fits) and shaped as a Pki. */
export async function loadPkiFiles(files: UserPkiFiles): Promise<Pki> {
  const [certPem, keyPem, caPem] = await Promise.all([
    readFlagFile(files.tlsCertFile, "tls-cert-file"),
    readFlagFile(files.tlsPrivateKeyFile, "tls-private-key-file"),
    readFlagFile(files.clientCaFile, "client-ca-file"),
  ]);
  const cert = parsePem(certPem, "tls-cert-file", files.tlsCertFile);
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw invalidArgument(
      `--tls-private-key-file ${files.tlsPrivateKeyFile}: not a PEM private key (or it is encrypted)`,
      { field: "tls-private-key-file" },
    );
  }
  if (!cert.checkPrivateKey(key)) {
    throw invalidArgument(
      `--tls-private-key-file ${files.tlsPrivateKeyFile} does not match --tls-cert-file ${files.tlsCertFile}`,
      { field: "tls-private-key-file" },
    );
  }
  const ca = parsePem(caPem, "client-ca-file", files.clientCaFile);
  if (!ca.ca) {
    throw invalidArgument(`--client-ca-file ${files.clientCaFile}: not a CA certificate`, {
      field: "client-ca-file",
    });
  }
  return {
    caFile: files.clientCaFile,
    caCert: caPem,
    serverCertFile: files.tlsCertFile,
    serverKeyFile: files.tlsPrivateKeyFile,
  };
}

/** A flag's file, or an InvalidArgument naming the flag. */
export async function readFlagFile(file: string, flag: string): Promise<string> {
  if (!file) throw invalidArgument(`--${flag} must not be empty`, { field: flag });
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    const why = errnoCode(err) === "ENOENT" ? "no such file" : (err as Error).message;
    throw invalidArgument(`--${flag} ${file}: ${why}`, { field: flag });
  }
}

/** A flag's PEM certificate, or an InvalidArgument naming the flag. */
export function parsePem(pem: string, flag: string, file: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw invalidArgument(`--${flag} ${file}: not a PEM certificate`, { field: flag });
  }
}
