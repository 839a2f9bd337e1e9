import path from "node:path";
import { startBerthProcess, type BerthProcess } from "./berth-process.js";

export interface ControllerProcess extends BerthProcess {
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  /** <data dir>/admin.kubeconfig, written by the controller. */
  kubeconfig: string;
}

const servingUrl = (stderr: string) => /"url":"(https:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)?.[1];

/**
 * Starts `berth controller` against `etcd` with its data dir under `base`, on 127.0.0.1 and
 * `port` (0: a free one); resolves once it serves.
 */
export async function startControllerProcess(
  base: string,
  etcd: string,
  options: { port?: number; args?: string[] } = {},
): Promise<ControllerProcess> {
  const dataDir = path.join(base, "controller");
  const started = await startBerthProcess(
    [
      "controller",
      "--etcd-servers",
      etcd,
      "--listen",
      `127.0.0.1:${options.port ?? 0}`,
      "--data-dir",
      dataDir,
      ...(options.args ?? []),
    ],
    (stderr) => servingUrl(stderr) !== undefined,
  );
  const url = servingUrl(started.stderr())!;
  return {
    ...started,
    url,
    port: Number(new URL(url).port),
    kubeconfig: path.join(dataDir, "admin.kubeconfig"),
  };
}
