import path from "node:path";

/**
 * Where the runtime keeps its state. Records live under --root (they must survive an agent
 * restart); namespaces pins, bundles, rootfs mounts and runc/conmon state under --run-dir (they
 * only mean something until the host reboots).
 */
export class RuntimePaths {
  constructor(
    readonly root: string,
    readonly runDir: string,
  ) {}

  get sandboxRecords(): string {
    return path.join(this.root, "sandboxes");
  }
  get containerRecords(): string {
    return path.join(this.root, "containers");
  }
  /** runc's --root: its own state for every container. */
  get runcRoot(): string {
    return path.join(this.runDir, "runc");
  }
  /** conmon writes `<exits>/<container id>` with the exit status when a container ends. */
  get exits(): string {
    return path.join(this.runDir, "exits");
  }
  /** Short paths for conmon's attach sockets (unix socket paths are limited to 108 bytes). */
  get conmonSockets(): string {
    return path.join(this.runDir, "cs");
  }

  sandboxRun(id: string): string {
    return path.join(this.runDir, "sandboxes", id);
  }
  namespacePin(id: string, kind: "net" | "ipc" | "uts"): string {
    return path.join(this.sandboxRun(id), "ns", kind);
  }

  /** The container's writable layer: kept under --root so it survives an agent restart. */
  containerState(id: string): string {
    return path.join(this.containerRecords, id);
  }
  containerUpper(id: string): string {
    return path.join(this.containerState(id), "upper");
  }
  containerWork(id: string): string {
    return path.join(this.containerState(id), "work");
  }
  bundle(id: string): string {
    return path.join(this.runDir, "containers", id);
  }
  rootfs(id: string): string {
    return path.join(this.bundle(id), "rootfs");
  }
  /** conmon's persist dir: it writes the exit status here too, next to its own pid file. */
  conmonPersist(id: string): string {
    return path.join(this.bundle(id), "conmon");
  }

  all(): string[] {
    return [
      this.sandboxRecords,
      this.containerRecords,
      this.runcRoot,
      this.exits,
      this.conmonSockets,
      path.join(this.runDir, "sandboxes"),
      path.join(this.runDir, "containers"),
    ];
  }
}
