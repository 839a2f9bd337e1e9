import type { DnsConfig, PluginInput } from "../../spec/types.js";
import { CniError, cniCode } from "../../spec/errors.js";

export interface BridgeConfig {
  network: string;
  bridge: string;
  mtu?: number;
  isGateway: boolean;
  isDefaultGateway: boolean;
  forceAddress: boolean;
  ipMasq: boolean;
  hairpinMode: boolean;
  promiscMode: boolean;
  ipamType: string;
  dns: DnsConfig;
}

function invalid(problem: string): CniError {
  return new CniError(cniCode.invalidConfig, problem);
}

const ifnamePattern = /^[^/\s:]{1,15}$/;

export function parseBridgeConfig(input: PluginInput): BridgeConfig {
  if (typeof input.name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(input.name)) {
    throw invalid(`name: invalid network name ${JSON.stringify(input.name)}`);
  }
  const bridge = input.bridge ?? "cni0";
  if (typeof bridge !== "string" || !ifnamePattern.test(bridge)) {
    throw invalid(
      `bridge: ${JSON.stringify(bridge)} is not a valid interface name (1-15 characters, no "/", ":" or spaces)`,
    );
  }
  const mtu = input.mtu;
  if (
    mtu !== undefined &&
    (!Number.isInteger(mtu) || (mtu as number) < 68 || (mtu as number) > 65535)
  ) {
    throw invalid(`mtu: ${JSON.stringify(mtu)} is not an MTU between 68 and 65535`);
  }
  const flag = (key: string): boolean => {
    const v = input[key];
    if (v === undefined) return false;
    if (typeof v !== "boolean") throw invalid(`${key}: must be true or false`);
    return v;
  };
  const isDefaultGateway = flag("isDefaultGateway");
  const hairpinMode = flag("hairpinMode");
  const promiscMode = flag("promiscMode");
  if (hairpinMode && promiscMode) {
    throw invalid("hairpinMode and promiscMode cannot both be set");
  }
  const ipamType = input.ipam?.type;
  if (typeof input.ipam !== "object" || input.ipam === null) {
    throw invalid("ipam: the bridge plugin needs an IPAM plugin (ipam.type)");
  }
  if (typeof ipamType !== "string" || ipamType === "") {
    throw invalid('ipam.type: must name the IPAM plugin, e.g. "berth-host-local"');
  }
  return {
    network: input.name,
    bridge,
    mtu: mtu as number | undefined,
    // isDefaultGateway implies isGateway: the default route points at the bridge's address.
    isGateway: flag("isGateway") || isDefaultGateway,
    isDefaultGateway,
    forceAddress: flag("forceAddress"),
    ipMasq: flag("ipMasq"),
    hairpinMode,
    promiscMode,
    ipamType,
    dns: input.dns ?? {},
  };
}
