import type { Duplex } from "node:stream";

const lingerMs = 5_000;

/**
 * Relays bytes both ways between two connections until both are closed: when one side ends,
 * the other is ended after what is in flight is written (and destroyed if it lingers); an error
 * on either tears both down.
 */
export function spliceSockets(a: Duplex, b: Duplex): Promise<void> {
  return new Promise((resolve) => {
    let open = 2;
    const relay = (from: Duplex, to: Duplex) => {
      from.pipe(to);
      from.once("error", () => {
        a.destroy();
        b.destroy();
      });
      from.once("close", () => {
        if (!to.destroyed) {
          to.end();
          setTimeout(() => to.destroy(), lingerMs).unref();
        }
        if (--open === 0) resolve();
      });
    };
    relay(a, b);
    relay(b, a);
    a.resume();
    b.resume();
  });
}
