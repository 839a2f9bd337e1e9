import path from "node:path";

/** A PodSandboxConfig as the kubelet sends it, with a log directory under `base`. */
export function podConfig(base: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    metadata: { name, uid: `uid-${name}`, namespace: "berth-test", attempt: 0 },
    hostname: name,
    log_directory: path.join(base, "logs", name),
    labels: { app: name },
    linux: {},
    ...extra,
  };
}

/** A ContainerConfig running `script` under /bin/sh in the test busybox image. */
export function containerConfig(name: string, script: string, extra: Record<string, unknown> = {}) {
  return {
    metadata: { name, attempt: 0 },
    image: { image: "busybox:latest" },
    command: ["/bin/sh", "-c", script],
    log_path: `${name}.log`,
    labels: { container: name },
    linux: {},
    ...extra,
  };
}
