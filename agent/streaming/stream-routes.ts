export type ContainerEndpoint = "containerLogs" | "exec" | "attach";

export type StreamRoute =
  | { endpoint: ContainerEndpoint; namespace: string; pod: string; container: string }
  | { endpoint: "portForward"; namespace: string; pod: string }
  | { endpoint: "healthz" };

const containerEndpoints: readonly string[] = ["containerLogs", "exec", "attach"];

/** The endpoint a path names, kubelet's layout: `/<endpoint>/<namespace>/<pod>[/<container>]`. */
export function matchRoute(pathname: string): StreamRoute | undefined {
  if (pathname === "/healthz") return { endpoint: "healthz" };
  const raw = pathname.split("/").slice(1);
  let parts: string[];
  try {
    parts = raw.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  if (parts.some((p) => p === "")) return undefined;
  const [endpoint, namespace, pod, container] = parts;
  if (containerEndpoints.includes(endpoint!) && parts.length === 4) {
    return {
      endpoint: endpoint as ContainerEndpoint,
      namespace: namespace!,
      pod: pod!,
      container: container!,
    };
  }
  if (endpoint === "portForward" && parts.length === 3) {
    return { endpoint: "portForward", namespace: namespace!, pod: pod! };
  }
  return undefined;
}
