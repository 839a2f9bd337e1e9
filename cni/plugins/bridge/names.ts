import { createHash, randomBytes } from "node:crypto";

/**
 * The host end of an attachment's veth: "veth" + 8 hex of a hash of the attachment, so DEL and
 * CHECK can find it without state and two attachments never race for one name.
 */
export function hostVethName(containerId: string, ifname: string): string {
  return `veth${createHash("sha256").update(`${containerId}\n${ifname}`).digest("hex").slice(0, 8)}`;
}

/** A random locally administered unicast MAC, set at creation so no read-back is needed. */
export function randomMac(): string {
  const b = randomBytes(6);
  b[0] = (b[0] & 0xfe) | 0x02;
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join(":");
}
