import type { Container, Pod } from "../../agent/kube/types.js";

export const busybox = "docker.io/library/busybox:latest";

/** A script that prints, then waits for SIGTERM (PID 1 ignores signals it has no handler for). */
export function printThenWait(print: string): string[] {
  return ["/bin/sh", "-c", `${print}; trap 'exit 0' TERM; while true; do sleep 1; done`];
}

/** A busybox container with the image present (IfNotPresent), merged with what a test needs. */
export function busyboxContainer(name: string, command: string[], extra: Partial<Container> = {}) {
  return { name, image: busybox, imagePullPolicy: "IfNotPresent", command, ...extra } as Container;
}

/** A pod manifest for `kubectl apply`, with a short grace period so deletions are quick. */
export function podManifest(
  namespace: string,
  name: string,
  containers: Container[],
  spec: Partial<NonNullable<Pod["spec"]>> = {},
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { test: "kubelet-agent" } },
    spec: { terminationGracePeriodSeconds: 3, containers, ...spec },
  } as Pod;
}

/** A Deployment of busybox httpd pods, each serving "hello from <pod name>" on port 8080. */
export function httpdDeployment(namespace: string, name: string, replicas: number): object {
  const script =
    "mkdir -p /www && echo hello from $(POD_NAME) > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www";
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            busyboxContainer("httpd", ["/bin/sh", "-c", script], {
              env: [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
              ports: [{ containerPort: 8080 }],
            }),
          ],
        },
      },
    },
  };
}

/**
 * A Deployment of busybox pods that turn Ready (exec readiness probe) a second after they start
 * and exit on TERM, rolled one pod at a time (maxSurge 1, maxUnavailable 0); `version` is in
 * the pod template, so changing it starts a rollout.
 */
export function rollingDeployment(
  namespace: string,
  name: string,
  replicas: number,
  version: string,
): object {
  const script = `echo ${version}; sleep 1; touch /tmp/ready; trap 'exit 0' TERM; while true; do sleep 1; done`;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [
            busyboxContainer("app", ["/bin/sh", "-c", script], {
              env: [{ name: "VERSION", value: version }],
              readinessProbe: { exec: { command: ["cat", "/tmp/ready"] }, periodSeconds: 1 },
            }),
          ],
        },
      },
    },
  };
}
