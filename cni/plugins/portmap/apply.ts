import { iptablesRestore, iptablesSave, type SavedTable } from "../common/iptables.js";

/** Attempts of a read-then-restore round before its failure is reported. */
const attempts = 4;

/**
 * Reads the nat table, builds a script from it and applies it atomically (one iptables-save and
 * one iptables-restore). Another plugin changing the table in between makes the restore fail;
 * the round is then repeated on a fresh read. Nothing to do (an empty script) is success.
 */
export async function applyNat(what: string, build: (t: SavedTable) => string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const lines = build(await iptablesSave("nat"));
    if (lines.length === 0) return;
    try {
      await iptablesRestore(what, "nat", lines);
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, attempt * (10 + Math.random() * 40)));
    }
  }
}
