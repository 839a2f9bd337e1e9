import type { CriClient } from "../../agent/cri/client.js";
import { runSession, type SessionFlags } from "./remote-session.js";

/** `berth cri attach`: the container's own stdio, as crictl attaches; resolves with 0 or fails. */
export async function attachToContainer(
  cri: CriClient,
  id: string,
  flags: SessionFlags,
): Promise<number> {
  const { url } = await cri.runtime("Attach", {
    container_id: id,
    tty: flags.tty,
    stdin: flags.interactive,
    stdout: true,
    stderr: !flags.tty,
  });
  return runSession(url, flags);
}
