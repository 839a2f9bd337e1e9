import { invalidArgument } from "../../lib/errors.js";
import type { PortMapping } from "../../lib/spdy/port-forward-client.js";

/** kubectl's port arguments: REMOTE, LOCAL:REMOTE, or :REMOTE for a free local port. */
export function parsePortSpecs(specs: string[]): PortMapping[] {
  return specs.map((spec) => {
    const match = /^(?:(\d*):)?(\d+)$/.exec(spec);
    const local = match ? (match[1] === undefined ? Number(match[2]) : Number(match[1] || 0)) : -1;
    const remote = match ? Number(match[2]) : 0;
    if (!match || local > 65535 || remote < 1 || remote > 65535) {
      throw invalidArgument(
        `port ${JSON.stringify(spec)}: expected [LOCAL:]REMOTE with ports from 1 to 65535`,
        { field: "port" },
      );
    }
    return { local, remote };
  });
}
