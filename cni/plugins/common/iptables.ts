import { createHash } from "node:crypto";
import { runTool } from "./tool.js";

export type IpFamily = 4 | 6;

/** iptables chain names are limited to 28 characters. */
export const maxChainLength = 28;

/**
 * The per-container chain name the reference plugins use: "CNI-" + prefix + sha512(name + id)
 * in hex, cut to 28 characters (e.g. CNI-<24 hex> for bridge masq, CNI-DN-<21 hex> for portmap).
 */
export function chainName(network: string, containerId: string, prefix = ""): string {
  const hash = createHash("sha512")
    .update(network + containerId)
    .digest("hex");
  return `CNI-${prefix}${hash}`.slice(0, maxChainLength);
}

/** The rule comment the reference plugins attach: `name: "<net>" id: "<cid>"` (Go %q quoting). */
export function chainComment(network: string, containerId: string): string {
  return `name: ${JSON.stringify(network)} id: ${JSON.stringify(containerId)}`;
}

/** Parses a comment made by chainComment back into its parts, or undefined. */
export function parseChainComment(
  comment: string,
): { network: string; containerId: string } | undefined {
  const m = /^name: ("(?:[^"\\]|\\.)*") id: ("(?:[^"\\]|\\.)*")$/.exec(comment);
  if (!m) return undefined;
  try {
    return { network: JSON.parse(m[1]) as string, containerId: JSON.parse(m[2]) as string };
  } catch {
    return undefined;
  }
}

/** Quotes one argument for an iptables-restore line (its tokenizer honours "…" and \"). */
export function quoteRestoreArg(arg: string): string {
  if (/^[A-Za-z0-9_.:/!+-]+$/.test(arg)) return arg;
  return `"${arg.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Builds one rule line (`-A CHAIN args…`) with every argument quoted as needed. */
export function ruleLine(op: "-A" | "-I" | "-D", chain: string, args: string[]): string {
  return [op, chain, ...args].map(quoteRestoreArg).join(" ");
}

/** A table as iptables-save printed it: chain names and the `-A …` rules, tokenized. */
export interface SavedTable {
  chains: Set<string>;
  rules: SavedRule[];
}

export interface SavedRule {
  chain: string;
  /** The tokens after `-A <chain>`, unquoted. */
  args: string[];
  /** The line exactly as printed, usable after `-D` in a restore script. */
  line: string;
}

export function saveCommand(family: IpFamily): string {
  return family === 6 ? "ip6tables-save" : "iptables-save";
}

export function restoreCommand(family: IpFamily): string {
  return family === 6 ? "ip6tables-restore" : "iptables-restore";
}

/** Reads one table with iptables-save (one spawn). */
export async function iptablesSave(table: string, family: IpFamily = 4): Promise<SavedTable> {
  const { stdout } = await runTool(`cannot read the ${table} table`, saveCommand(family), [
    "-t",
    table,
  ]);
  return parseSave(stdout);
}

export function parseSave(text: string): SavedTable {
  const chains = new Set<string>();
  const rules: SavedRule[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith(":")) {
      chains.add(line.slice(1).split(" ")[0]);
    } else if (line.startsWith("-A ")) {
      const tokens = tokenize(line);
      rules.push({ chain: tokens[1], args: tokens.slice(2), line: line.slice(3) });
    }
  }
  return { chains, rules };
}

/** The value following `flag` in a rule's arguments (e.g. "--comment", "-j", "-s"). */
export function ruleArg(rule: SavedRule, flag: string): string | undefined {
  const i = rule.args.indexOf(flag);
  return i >= 0 ? rule.args[i + 1] : undefined;
}

/** Splits an iptables-save line into arguments, honouring "…" quoting and \ escapes. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let inToken = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && i + 1 < line.length) {
      cur += line[++i];
      inToken = true;
    } else if (c === '"') {
      quoted = !quoted;
      inToken = true;
    } else if (c === " " && !quoted) {
      if (inToken) out.push(cur);
      cur = "";
      inToken = false;
    } else {
      cur += c;
      inToken = true;
    }
  }
  if (inToken) out.push(cur);
  return out;
}

/**
 * Applies `lines` to one table atomically with `iptables-restore --noflush` (one spawn). Beware:
 * a `:CHAIN - [0:0]` line creates the chain, or flushes it when it exists.
 */
export async function iptablesRestore(
  what: string,
  table: string,
  lines: string[],
  family: IpFamily = 4,
): Promise<void> {
  if (lines.length === 0) return;
  const input = `*${table}\n${lines.join("\n")}\nCOMMIT\n`;
  await runTool(what, restoreCommand(family), ["--noflush"], { input });
}
