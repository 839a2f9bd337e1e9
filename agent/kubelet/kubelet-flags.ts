import { isIP } from "node:net";
import { invalidArgument } from "../../lib/errors.js";
import type { Taint } from "./node/node-object.js";

const qualifiedName =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** kubelet's --node-labels: "key=value,key2=value2" (an empty text is no labels). */
export function parseNodeLabels(text: string, flag = "node-labels"): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of splitList(text)) {
    const at = item.indexOf("=");
    const key = at < 0 ? item : item.slice(0, at);
    const value = at < 0 ? undefined : item.slice(at + 1);
    if (value === undefined || !qualifiedName.test(key) || key.length > 316) {
      throw invalidArgument(
        `--${flag}: ${JSON.stringify(item)} is not key=value with a valid label key`,
        {
          field: flag,
        },
      );
    }
    if (value.length > 63 || !labelValue.test(value)) {
      throw invalidArgument(`--${flag}: ${JSON.stringify(value)} is not a valid label value`, {
        field: flag,
      });
    }
    labels[key] = value;
  }
  return labels;
}

/** kubelet's --register-with-taints: "key=value:Effect,key:Effect". */
export function parseTaints(text: string, flag = "register-with-taints"): Taint[] {
  return splitList(text).map((item) => {
    const match = /^([^=:]+)(?:=([^:]*))?:([A-Za-z]+)$/.exec(item);
    if (!match || !qualifiedName.test(match[1])) {
      throw invalidArgument(`--${flag}: ${JSON.stringify(item)} is not key[=value]:Effect`, {
        field: flag,
      });
    }
    const [, key, value, effect] = match;
    if (!effects.includes(effect)) {
      throw invalidArgument(
        `--${flag}: effect ${JSON.stringify(effect)} must be one of ${effects.join(", ")}`,
        { field: flag },
      );
    }
    if (value !== undefined && (value.length > 63 || !labelValue.test(value))) {
      throw invalidArgument(`--${flag}: ${JSON.stringify(value)} is not a valid taint value`, {
        field: flag,
      });
    }
    return { key, ...(value ? { value } : {}), effect } as Taint;
  });
}

/** --cluster-dns: comma-separated IP addresses. */
export function parseIpList(text: string, flag = "cluster-dns"): string[] {
  const ips = splitList(text);
  for (const ip of ips) {
    if (!isIP(ip)) {
      throw invalidArgument(`--${flag}: ${JSON.stringify(ip)} is not an IP address`, {
        field: flag,
      });
    }
  }
  return ips;
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
