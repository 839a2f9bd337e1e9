import { internal, unavailable } from "../../lib/errors.js";
import { dialSpdy, type SpdyDialed } from "../../lib/spdy/dial.js";

/** Upgrades the runtime's streaming URL to SPDY; a refusal says where and why. */
export async function dialStreamingUrl(url: string, protocols: string[]): Promise<SpdyDialed> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw internal(`the runtime returned an invalid streaming URL ${JSON.stringify(url)}`);
  }
  try {
    return await dialSpdy(target.href, { protocols });
  } catch (err) {
    // The origin only: the path holds the session's token.
    throw unavailable(`streaming from ${target.origin}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
