import { CniRunner, podIps, type AttachmentParams } from "../../cni/runner/cni-runner.js";
import { CniError, cniCode } from "../../cni/spec/errors.js";
import { BerthError, failedPrecondition, internal, unavailable } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import type { SandboxRecord } from "../runtime/records.js";
import type { NetworkOperation, NetworkOperationTimer } from "./network-plugin-metrics.js";
import type { NetworkCondition, PodNetwork } from "./pod-network.js";
import { cniPortMappings } from "./port-mappings.js";

const ifname = "eth0";

/** Pod networking through the node's CNI network config. */
export class CniPodNetwork implements PodNetwork {
  constructor(
    private readonly runner: CniRunner,
    private readonly logger: Logger,
    /** Times each ADD and DEL (kubelet_network_plugin_operations_*), when given. */
    private readonly operations?: NetworkOperationTimer,
  ) {}

  async attach(sandbox: SandboxRecord): Promise<string[]> {
    try {
      const result = await this.timed("set_up_pod", () => this.runner.add(this.params(sandbox)));
      return podIps(result);
    } catch (err) {
      throw asBerthError(err, "cannot attach the pod to the network");
    }
  }

  async detach(sandbox: SandboxRecord): Promise<void> {
    // The runner records an attachment before any plugin runs: with no record, no plugin ever
    // ran for this pod (or its DEL already finished), and a DEL could only fail on a bad config.
    if (!(await this.runner.isAttached(sandbox.id, ifname))) return;
    try {
      await this.timed("tear_down_pod", () => this.runner.del(this.params(sandbox)));
    } catch (err) {
      throw asBerthError(err, "cannot detach the pod from the network");
    }
  }

  async condition(): Promise<NetworkCondition> {
    try {
      const { file } = await this.runner.network();
      await this.runner.status();
      return { ready: true, reason: "", message: `CNI network from ${file}` };
    } catch (err) {
      return {
        ready: false,
        reason: "NetworkPluginNotReady",
        message: err instanceof Error ? err.message : String(err),
      };
    }
  }

  async collect(attached: string[]): Promise<void> {
    try {
      await this.runner.network();
    } catch {
      return; // no usable config: nothing can have been attached through it
    }
    await this.runner.gc(attached.map((containerID) => ({ containerID, ifname })));
    this.logger.info("network attachments collected", { kept: attached.length });
  }

  private timed<T>(operation: NetworkOperation, run: () => Promise<T>): Promise<T> {
    return this.operations ? this.operations.time(operation, run) : run();
  }

  private params(sandbox: SandboxRecord): AttachmentParams {
    const meta = sandbox.config.metadata;
    return {
      containerId: sandbox.id,
      ifname,
      netns: sandbox.namespaces.net ?? "",
      args: {
        IgnoreUnknown: "1",
        K8S_POD_NAMESPACE: meta?.namespace ?? "",
        K8S_POD_NAME: meta?.name ?? "",
        K8S_POD_INFRA_CONTAINER_ID: sandbox.id,
        K8S_POD_UID: meta?.uid ?? "",
      },
      capabilities: { portMappings: cniPortMappings(sandbox.config.port_mappings) },
    };
  }
}

/** A plugin's transient failure is Unavailable, a bad config or setup FailedPrecondition. */
function asBerthError(err: unknown, what: string): BerthError {
  if (err instanceof BerthError) return err;
  const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
  if (!(err instanceof CniError)) return internal(message, { cause: err });
  if (err.code === cniCode.tryAgainLater) return unavailable(message, { cause: err });
  if (err.code >= 100 || err.code === cniCode.io) return internal(message, { cause: err });
  return failedPrecondition(message, { cause: err });
}
