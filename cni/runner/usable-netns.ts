import { promises as fs } from "node:fs";

const nsfsMagic = 0x6e736673;

/**
 * The netns path for a DEL, or "" when it no longer names a network namespace (deleted, or an
 * unmounted pin file left behind): plugins then skip the in-netns part and still release IPAM.
 */
export async function usableNetns(netns: string | undefined): Promise<string> {
  if (!netns) return "";
  try {
    const st = await fs.statfs(netns);
    return st.type === nsfsMagic ? netns : "";
  } catch {
    return "";
  }
}
