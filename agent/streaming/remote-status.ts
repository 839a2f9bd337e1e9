import type { KubeStatus } from "./kube-status.js";

/** How a remote command ended: its exit code, or why it could not run. */
export type RemoteOutcome = { exitCode: number } | { error: string };

/**
 * The Status kubelet reports on the error channel (v4 and later): Success for exit code 0,
 * NonZeroExitCode with an ExitCode cause (kubectl exits with that code), InternalError when the
 * command could not be run at all.
 */
export function outcomeStatus(outcome: RemoteOutcome): KubeStatus {
  if ("error" in outcome) {
    const message = `error executing command in container: ${outcome.error}`;
    return {
      metadata: {},
      status: "Failure",
      message: `Internal error occurred: ${message}`,
      reason: "InternalError",
      details: { causes: [{ message }] },
      code: 500,
    };
  }
  if (outcome.exitCode === 0) return { metadata: {}, status: "Success" };
  return {
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: exit status ${outcome.exitCode}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(outcome.exitCode) }] },
  };
}

/**
 * The error channel's payload: v4+ sends the Status as JSON; the unversioned protocols send
 * only a failure's message, and nothing for success. Undefined means "send nothing".
 */
export function errorChannelPayload(version: number, outcome: RemoteOutcome): Buffer | undefined {
  const status = outcomeStatus(outcome);
  if (version >= 4) return Buffer.from(JSON.stringify(status));
  return status.status === "Success" ? undefined : Buffer.from(status.message ?? "");
}
