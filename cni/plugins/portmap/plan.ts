import {
  parseChainComment,
  ruleArg,
  ruleLine,
  type SavedRule,
  type SavedTable,
} from "../common/iptables.js";
import { CniError, cniCode } from "../../spec/errors.js";
import {
  containerChainPrefix,
  dnatChain,
  dnatEntryRules,
  masqChain,
  masqEntryRule,
  masqRule,
  setMarkChain,
  setMarkRule,
  type ContainerRules,
  type Rule,
} from "./chains.js";
import type { PortmapConfig } from "./config.js";

/*
 * Builders of iptables-restore scripts (nat table, --noflush) from the table's current state.
 * Shared chains are created with -N, so a concurrent creator makes the script fail (and the
 * caller retry) instead of flushing the other's rules, as `:CHAIN` would. A script never both
 * deletes single rules of a chain and flushes that chain: iptables-nft then drops the deletions
 * and the chain removal that follows fails with EBUSY.
 */

const target = (r: SavedRule) => ruleArg(r, "-j");

export function sameRule(saved: SavedRule, want: Rule): boolean {
  return (
    saved.chain === want.chain &&
    saved.args.length === want.args.length &&
    saved.args.every((arg, i) => arg === want.args[i])
  );
}

const hasRule = (t: SavedTable, want: Rule) => t.rules.some((r) => sameRule(r, want));
const jumpsTo = (t: SavedTable, from: string, to: string) =>
  t.rules.some((r) => r.chain === from && target(r) === to);

/** The script that installs one container's mappings (and the shared chains they hang off). */
export function addScript(t: SavedTable, conf: PortmapConfig, own: ContainerRules): string[] {
  const creates: string[] = [];
  const shared: string[] = [];
  const ensureChain = (name: string) => {
    if (!t.chains.has(name)) creates.push(`-N ${name}`);
  };
  const ensureRule = (rule: Rule) => {
    if (!hasRule(t, rule)) shared.push(ruleLine("-A", rule.chain, rule.args));
  };
  ensureChain(dnatChain);
  for (const entry of dnatEntryRules()) {
    if (!jumpsTo(t, entry.chain, dnatChain)) shared.push(ruleLine("-A", entry.chain, entry.args));
  }
  if (conf.snat) {
    if (conf.externalSetMarkChain === undefined) {
      ensureChain(setMarkChain);
      ensureRule(setMarkRule(conf.markMasqBit));
    } else if (!t.chains.has(conf.externalSetMarkChain)) {
      throw new CniError(
        cniCode.tryAgainLater,
        "externalSetMarkChain does not exist in the nat table",
        conf.externalSetMarkChain,
      );
    }
    ensureChain(masqChain);
    ensureRule(masqRule(conf.markMasqBit));
    const entry = masqEntryRule();
    if (!jumpsTo(t, entry.chain, masqChain)) shared.push(ruleLine("-I", entry.chain, entry.args));
  }
  // A chain left by an ADD without DEL is flushed (`:CHAIN`) and its old jumps replaced.
  const declare = t.chains.has(own.chain) ? `:${own.chain} - [0:0]` : `-N ${own.chain}`;
  const staleJumps = t.rules
    .filter((r) => target(r) === own.chain && r.chain !== own.chain)
    .map((r) => `-D ${r.line}`);
  return [
    ...creates,
    declare,
    ...shared,
    ...staleJumps,
    ...own.rules.map((r) => ruleLine("-A", r.chain, r.args)),
    ...own.jumps.map((r) => ruleLine("-A", r.chain, r.args)),
  ];
}

/**
 * The script that removes `chains` and every jump into them; when that leaves the DNAT chain
 * empty, the shared chains go too (those nothing else still uses). Empty when nothing exists.
 */
export function removeScript(t: SavedTable, chains: Set<string>): string[] {
  const present = [...chains].filter((c) => t.chains.has(c));
  const jumps = t.rules.filter((r) => chains.has(target(r) ?? "") && !chains.has(r.chain));
  if (present.length === 0 && jumps.length === 0) return [];
  const left = t.rules.filter((r) => r.chain === dnatChain && !jumps.includes(r));
  const dropShared = t.chains.has(dnatChain) && left.length === 0;
  const lines = present.map((c) => `-F ${c}`);
  if (dropShared) lines.push(`-F ${dnatChain}`);
  for (const jump of jumps) {
    if (!(dropShared && jump.chain === dnatChain)) lines.push(`-D ${jump.line}`);
  }
  lines.push(...present.map((c) => `-X ${c}`));
  if (dropShared) lines.push(...sharedRemoval(t, new Set([...chains, dnatChain])));
  return lines;
}

function sharedRemoval(t: SavedTable, gone: Set<string>): string[] {
  const lines = t.rules
    .filter((r) => target(r) === dnatChain && !gone.has(r.chain))
    .map((r) => `-D ${r.line}`);
  lines.push(`-X ${dnatChain}`);
  const usersOf = (chain: string) =>
    t.rules.filter((r) => target(r) === chain && r.chain !== chain && !gone.has(r.chain));
  if (t.chains.has(setMarkChain) && usersOf(setMarkChain).length === 0) {
    lines.push(`-F ${setMarkChain}`, `-X ${setMarkChain}`);
  }
  const masqUsers = usersOf(masqChain);
  if (t.chains.has(masqChain) && masqUsers.every((r) => r.chain === "POSTROUTING")) {
    lines.push(...masqUsers.map((r) => `-D ${r.line}`), `-F ${masqChain}`, `-X ${masqChain}`);
  }
  return lines;
}

/**
 * Per-container chains of `network` whose rules' comments name a container not in `valid`.
 * Comments are `name: "<net>" id: "<cid>"`; the reference portmap's jumps say `dnat name: …`.
 */
export function staleChains(t: SavedTable, network: string, valid: Set<string>): Set<string> {
  const stale = new Set<string>();
  for (const r of t.rules) {
    const comment = ruleArg(r, "--comment");
    const tag = comment && parseChainComment(comment.replace(/^dnat /, ""));
    if (!tag || tag.network !== network || valid.has(tag.containerId)) continue;
    if (r.chain.startsWith(containerChainPrefix)) stale.add(r.chain);
    const to = target(r);
    if (to?.startsWith(containerChainPrefix)) stale.add(to);
  }
  return stale;
}

/** What is missing for one container's mappings to work, as readable rule texts. */
export function missingRules(t: SavedTable, conf: PortmapConfig, own: ContainerRules): string[] {
  const missing: string[] = [];
  for (const chain of [dnatChain, own.chain]) {
    if (!t.chains.has(chain)) missing.push(`chain ${chain}`);
  }
  for (const entry of dnatEntryRules()) {
    if (!jumpsTo(t, entry.chain, dnatChain)) missing.push(ruleLine("-A", entry.chain, entry.args));
  }
  const wanted = [...own.jumps, ...own.rules];
  if (conf.snat) {
    if (conf.externalSetMarkChain === undefined) wanted.push(setMarkRule(conf.markMasqBit));
    else if (!t.chains.has(conf.externalSetMarkChain)) {
      missing.push(`chain ${conf.externalSetMarkChain}`);
    }
    wanted.push(masqRule(conf.markMasqBit));
    if (!jumpsTo(t, "POSTROUTING", masqChain)) {
      missing.push(ruleLine("-A", "POSTROUTING", masqEntryRule().args));
    }
  }
  for (const rule of wanted) {
    if (!hasRule(t, rule)) missing.push(ruleLine("-A", rule.chain, rule.args));
  }
  return missing;
}
