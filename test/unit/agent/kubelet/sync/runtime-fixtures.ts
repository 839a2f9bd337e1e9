import type { Container, Pod } from "../../../../../agent/kube/types.js";
import type {
  RuntimeContainer,
  RuntimePod,
} from "../../../../../agent/kubelet/sync/runtime-pod.js";

export const hashOf = (c: Container) => `h-${c.name}-${c.image ?? ""}`;

export function testPod(
  spec: Partial<NonNullable<Pod["spec"]>> = {},
  meta: Partial<NonNullable<Pod["metadata"]>> = {},
): Pod {
  return {
    metadata: { name: "web", namespace: "default", uid: "uid-1", ...meta },
    spec: { containers: [{ name: "app", image: "busybox:1" }], ...spec },
  };
}

/** A runtime view with one ready sandbox (with an IP) and the given containers. */
export function runtimeWith(
  containers: Partial<RuntimeContainer>[],
  sandbox: Partial<RuntimePod["sandboxes"][0]> = {},
): RuntimePod {
  return {
    uid: "uid-1",
    name: "web",
    namespace: "default",
    sandboxes: [
      { id: "sb1", ready: true, attempt: 0, createdAt: 1, hostNetwork: false, ...sandbox },
    ],
    containers: containers.map((c, i) => ({
      id: `c${i}`,
      sandboxId: "sb1",
      name: "app",
      state: "running",
      hash: "",
      restartCount: 0,
      createdAt: 1000 - i,
      exitCode: 0,
      reason: "",
      message: "",
      image: "busybox:1",
      imageRef: "sha256:b",
      logPath: "",
      ...c,
    })),
    ips: sandbox.ready === false ? [] : ["10.0.0.2"],
  };
}
