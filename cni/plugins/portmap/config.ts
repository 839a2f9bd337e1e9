import { isIPv4, isIPv6 } from "node:net";
import type { PluginInput } from "../../spec/types.js";
import { CniError, cniCode } from "../../spec/errors.js";

export type Protocol = "tcp" | "udp" | "sctp";

/** One validated mapping; `hostIP` is an IPv4 address, or undefined for every local address. */
export interface Mapping {
  hostPort: number;
  containerPort: number;
  protocol: Protocol;
  hostIP?: string;
}

export interface PortmapConfig {
  network: string;
  snat: boolean;
  markMasqBit: number;
  externalSetMarkChain?: string;
  /** IPv4 mappings only: entries whose hostIP is IPv6 are dropped (IPv6 is not mapped). */
  mappings: Mapping[];
}

const protocols: Protocol[] = ["tcp", "udp", "sctp"];

/** Reads the portmap options and `runtimeConfig.portMappings` from a plugin's stdin. */
export function parseConfig(input: PluginInput): PortmapConfig {
  if (typeof input.name !== "string" || input.name === "") {
    throw invalid("name", "must be a non-empty string");
  }
  const snat = input.snat ?? true;
  if (typeof snat !== "boolean") throw invalid("snat", "must be a boolean");
  if (input.markMasqBit !== undefined && input.externalSetMarkChain !== undefined) {
    throw invalid("markMasqBit", "cannot be combined with externalSetMarkChain");
  }
  const markMasqBit = input.markMasqBit ?? 13;
  if (
    !Number.isInteger(markMasqBit) ||
    (markMasqBit as number) < 0 ||
    (markMasqBit as number) > 31
  ) {
    throw invalid("markMasqBit", "must be an integer 0-31");
  }
  const external = input.externalSetMarkChain;
  if (external !== undefined && (typeof external !== "string" || !validChain(external))) {
    throw invalid("externalSetMarkChain", "must be an iptables chain name (1-28 characters)");
  }
  for (const key of ["conditionsV4", "conditionsV6"]) {
    const value = input[key];
    if (Array.isArray(value) && value.length > 0) {
      throw new CniError(cniCode.unsupportedField, `${key} is not supported by berth-portmap`);
    }
  }
  return {
    network: input.name,
    snat,
    markMasqBit: markMasqBit as number,
    ...(external !== undefined ? { externalSetMarkChain: external as string } : {}),
    mappings: parseMappings(input.runtimeConfig?.portMappings),
  };
}

function parseMappings(value: unknown): Mapping[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid("runtimeConfig.portMappings", "must be an array");
  const mappings: Mapping[] = [];
  value.forEach((entry: unknown, i) => {
    const field = `runtimeConfig.portMappings[${i}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw invalid(field, "must be an object");
    }
    const e = entry as Record<string, unknown>;
    const hostPort = port(e.hostPort, `${field}.hostPort`);
    const containerPort = port(e.containerPort, `${field}.containerPort`);
    const protocol = String(e.protocol ?? "tcp").toLowerCase() as Protocol;
    if (!protocols.includes(protocol)) {
      throw invalid(`${field}.protocol`, `must be one of ${protocols.join(", ")}`);
    }
    const hostIP = e.hostIP ?? "";
    if (typeof hostIP !== "string" || (hostIP !== "" && !isIPv4(hostIP) && !isIPv6(hostIP))) {
      throw invalid(`${field}.hostIP`, "must be an IP address or empty");
    }
    if (isIPv6(hostIP)) return;
    const any = hostIP === "" || hostIP === "0.0.0.0";
    mappings.push({ hostPort, containerPort, protocol, ...(any ? {} : { hostIP }) });
  });
  return mappings;
}

function port(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw invalid(field, "must be an integer 1-65535");
  }
  return value;
}

function validChain(name: string): boolean {
  return /^[A-Za-z0-9_.-]{1,28}$/.test(name);
}

function invalid(field: string, why: string): CniError {
  return new CniError(cniCode.invalidConfig, `invalid ${field}`, `${field} ${why}`);
}
