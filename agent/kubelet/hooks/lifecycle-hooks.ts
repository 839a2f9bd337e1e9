import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../../../lib/logger.js";
import type { Container, LifecycleHandler, Pod } from "../../kube/types.js";
import { formatPod } from "../prober/format-pod.js";
import type { RecordEvent } from "../prober/probe-runner.js";
import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import type { HooksPort } from "../sync/sync-ports.js";
import { goQuote } from "../volumes/go-quote.js";
import { execHook } from "./exec-hook.js";
import { HookError } from "./hook-error.js";
import { httpHook } from "./http-hook.js";

export interface LifecycleHooksOptions {
  /** For exec hooks (ExecSync). */
  runtime: Pick<KubeletRuntime, "execSync">;
  /** The pod's primary IP, for HTTP hooks without a host. */
  podIP(podUid: string): string | undefined | Promise<string | undefined>;
  /** For LifecycleHTTPFallback warnings. */
  recordEvent: RecordEvent;
  logger: Logger;
}

/**
 * kubelet's lifecycle handler runner for postStart and preStop: exec (in the container, no
 * timeout of its own), httpGet (any answer will do), sleep. Failures throw a HookError with
 * kubelet's message ("Exec lifecycle hook ([…]) for Container "app" in Pod "web_ns(uid)" failed
 * - error: …"); the pod workers record it. A tcpSocket handler fails as in kubelet, which has
 * never run one (the API keeps the field for compatibility only).
 */
export class LifecycleHooks implements HooksPort {
  constructor(private readonly options: LifecycleHooksOptions) {}

  async runPostStart(pod: Pod, container: Container, containerId: string): Promise<void> {
    const handler = container.lifecycle?.postStart;
    if (handler)
      await this.run(pod, container, containerId, handler, 0, new AbortController().signal);
  }

  /** Runs the preStop hook until it finishes or the deadline passes (then it is abandoned). */
  async runPreStop(
    pod: Pod,
    container: Container,
    containerId: string,
    deadlineMs: number,
  ): Promise<void> {
    const handler = container.lifecycle?.preStop;
    const remainingMs = deadlineMs - Date.now();
    if (!handler || remainingMs <= 0) return;
    const abort = new AbortController();
    const hook = this.run(pod, container, containerId, handler, remainingMs, abort.signal);
    const expired = sleep(remainingMs, "expired" as const, { signal: abort.signal });
    try {
      const first = await Promise.race([hook.then(() => "done" as const), expired]);
      if (first === "expired") {
        this.options.logger.info("preStop hook not completed in the grace period", {
          pod: pod.metadata?.uid,
          container: container.name,
        });
      }
    } finally {
      abort.abort();
      expired.catch(() => undefined);
    }
  }

  private async run(
    pod: Pod,
    container: Container,
    containerId: string,
    handler: LifecycleHandler,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<void> {
    const where = `for Container ${goQuote(container.name)} in Pod ${goQuote(formatPod(pod))}`;
    if (handler.exec) {
      const cmd = handler.exec.command ?? [];
      const timeoutSeconds = Math.ceil(timeoutMs / 1000);
      const res = await execHook(this.options.runtime, containerId, cmd, timeoutSeconds);
      if (res.error === undefined) return;
      throw new HookError(
        `Exec lifecycle hook ([${cmd.join(" ")}]) ${where} failed - error: ${res.error}, message: ${goQuote(res.output)}`,
      );
    }
    if (handler.httpGet) {
      try {
        const podIP = handler.httpGet.host
          ? undefined
          : await this.options.podIP(pod.metadata?.uid ?? "");
        await httpHook(handler.httpGet, pod, container, podIP, timeoutMs, this.options.recordEvent);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw new HookError(
          `HTTP lifecycle hook (${handler.httpGet.path ?? ""}) ${where} failed - error: ${message}`,
          { cause: err },
        );
      }
      return;
    }
    if (handler.sleep) {
      await sleepHook(handler.sleep.seconds, where, signal);
      return;
    }
    const kind = handler.tcpSocket
      ? "tcpSocket is not supported as a lifecycle handler"
      : "no action set";
    throw new HookError(`Cannot run handler: invalid handler: ${kind}`);
  }
}

async function sleepHook(seconds: number, where: string, signal: AbortSignal): Promise<void> {
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new HookError(
      `Sleep lifecycle hook (${seconds}) ${where} failed - error: sleep.seconds must be a non-negative integer`,
    );
  }
  try {
    await sleep(seconds * 1000, undefined, { signal });
  } catch {
    throw new HookError(
      `Sleep lifecycle hook (${seconds}) ${where} failed - error: container terminated before sleep hook finished`,
    );
  }
}
