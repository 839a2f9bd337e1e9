import type { Command } from "commander";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { registryConfig } from "../../agent/registry/registry-config.js";
import type { RegistryAuth } from "../../agent/registry/registry-api.js";
import {
  createRegistryTransport,
  type ClosableRegistryTransport,
} from "../../agent/registry/transport/create-transport.js";
import { invalidArgument } from "../../lib/errors.js";

/** The registry flags `berth image pull` and `push` share. */
export interface RegistryFlags {
  root?: string;
  runDir?: string;
  criSocket?: string;
  username?: string;
  password?: string;
  authFile?: string;
  configDir: string;
}

/** Credentials and config-dir flags of the commands that talk to registries. */
export function withRegistryFlags(command: Command): Command {
  return command
    .option("--username <name>", "registry user (with --password)")
    .option("--password <secret>", "registry password (with --username)")
    .option(
      "--auth-file <file>",
      "credentials in Docker's config.json form, instead of the defaults",
    )
    .option(
      "--config-dir <dir>",
      "registry config: certs.d/<host>/hosts.toml mirrors and CAs, auth.json",
      "/etc/berth",
    );
}

/** --username/--password, which win over any credentials file for the named registry. */
export function flagCredentials(flags: RegistryFlags): RegistryAuth | undefined {
  if ((flags.username === undefined) !== (flags.password === undefined)) {
    throw invalidArgument("--username and --password go together", { field: "username" });
  }
  if (flags.username !== undefined && flags.authFile !== undefined) {
    throw invalidArgument("--auth-file or --username/--password, not both", { field: "auth-file" });
  }
  return flags.username === undefined
    ? undefined
    : { username: flags.username, password: flags.password };
}

/**
 * The credentials files a CLI command reads, first entry for a host wins: --auth-file alone when
 * given (as skopeo's --authfile), else the config dir's auth.json, then the user's Docker config.
 */
export function credentialFiles(flags: RegistryFlags, env = process.env): string[] {
  if (flags.authFile !== undefined) {
    if (!existsSync(flags.authFile)) {
      throw invalidArgument(`--auth-file ${flags.authFile}: no such file`, { field: "auth-file" });
    }
    return [flags.authFile];
  }
  const dockerDir = env.DOCKER_CONFIG ?? path.join(env.HOME ?? os.homedir(), ".docker");
  return [...registryConfig(flags.configDir).authFiles, path.join(dockerDir, "config.json")];
}

/** A transport configured from the command's flags and config dir (mirrors, CAs, credentials). */
export function cliTransport(flags: RegistryFlags): ClosableRegistryTransport {
  return createRegistryTransport({
    hostsDir: registryConfig(flags.configDir).hostsDir,
    authFiles: credentialFiles(flags),
  });
}
