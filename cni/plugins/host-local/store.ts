import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
  constants,
} from "node:fs";
import path from "node:path";
import { withFileLock } from "../../../lib/file-lock.js";
import { CniError } from "../../spec/errors.js";
import { toolFailureCode } from "../common/tool.js";

/** One reserved address: the file named by the IP holds `<containerID>\r\n<ifname>`. */
export interface Reservation {
  ip: string;
  containerId: string;
  ifname: string;
}

const lastReservedPrefix = "last_reserved_ip.";
const lineBreak = "\r\n";

/**
 * host-local's on-disk state, file-compatible with the reference plugin: one file per IP,
 * `last_reserved_ip.<set index>` and a `lock` file flock'ed around every operation.
 */
export class ReservationStore {
  constructor(readonly dir: string) {}

  /** Runs `fn` with the network's lock held, creating the directory on first use. */
  async locked<T>(fn: () => Promise<T> | T): Promise<T> {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    } catch (err) {
      throw new CniError(5, `cannot create IPAM data dir ${this.dir}`, (err as Error).message);
    }
    try {
      return await withFileLock(path.join(this.dir, "lock"), async () => fn());
    } catch (err) {
      if (err instanceof CniError) throw err;
      throw new CniError(toolFailureCode, "cannot lock the IPAM data dir", (err as Error).message);
    }
  }

  /** Takes `ip` for the attachment; false when someone holds it already. */
  reserve(ip: string, containerId: string, ifname: string, setIndex: number): boolean {
    let fd: number;
    try {
      fd = openSync(
        this.file(ip),
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
        0o644,
      );
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw new CniError(5, `cannot reserve ${ip}`, (err as Error).message);
    }
    try {
      writeSync(fd, `${containerId.trim()}${lineBreak}${ifname}`);
    } finally {
      closeSync(fd);
    }
    writeFileSync(path.join(this.dir, `${lastReservedPrefix}${setIndex}`), ip);
    return true;
  }

  lastReserved(setIndex: number): string | undefined {
    try {
      return readFileSync(path.join(this.dir, `${lastReservedPrefix}${setIndex}`), "utf8").trim();
    } catch {
      return undefined;
    }
  }

  /** Every reservation in the directory (empty when it does not exist yet). */
  list(): Reservation[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: Reservation[] = [];
    for (const name of names) {
      if (name === "lock" || name.startsWith(lastReservedPrefix) || name.startsWith(".")) continue;
      let text: string;
      try {
        text = readFileSync(path.join(this.dir, name), "utf8");
      } catch {
        continue;
      }
      // Files from before ifnames were recorded hold only the container ID.
      const [containerId, ifname = ""] = text.split(lineBreak);
      out.push({ ip: name, containerId: containerId.trim(), ifname: ifname.trim() });
    }
    return out;
  }

  byAttachment(containerId: string, ifname: string): Reservation[] {
    return this.list().filter((r) => r.containerId === containerId && r.ifname === ifname);
  }

  release(ip: string): void {
    rmSync(this.file(ip), { force: true });
  }

  private file(ip: string): string {
    return path.join(this.dir, ip);
  }
}
