import { silentLogger } from "../../../../../lib/logger.js";
import type { Pod } from "../../../../../agent/kube/types.js";
import {
  createKubeletSync,
  type KubeletSync,
} from "../../../../../agent/kubelet/sync/kubelet-sync.js";
import { FakeApi, FakeHooks, FakeProbes, FakeVolumes } from "./fake-ports.js";
import { FakeRuntime } from "./fake-runtime.js";
import { simpleSpec } from "./simple-spec.js";

/** Pod workers over a fake runtime and fake ports, with a clock the test moves. */
export class WorkerHarness {
  readonly clock = { now: 1_700_000_000_000 };
  readonly runtime = new FakeRuntime(this.clock);
  readonly api = new FakeApi();
  readonly volumes = new FakeVolumes();
  readonly probes = new FakeProbes();
  readonly hooks = new FakeHooks();
  readonly sync: KubeletSync;

  constructor() {
    this.present("busybox:1");
    this.sync = createKubeletSync({
      runtime: this.runtime,
      spec: simpleSpec(),
      volumes: this.volumes,
      api: this.api,
      hooks: this.hooks,
      probes: this.probes,
      hostIPs: () => ["192.168.1.5"],
      logger: silentLogger(),
      resyncMs: 3_600_000,
      now: () => this.clock.now,
    });
  }

  /** Makes an image present under `ref` (and its id). */
  present(ref: string, id = `sha256:${ref}`): void {
    this.runtime.images.set(ref, { id, user: "" });
    this.runtime.images.set(id, { id, user: "" });
  }

  /** Hands the pod to the workers and waits for its sync and status write. */
  async update(pod: Pod): Promise<void> {
    this.sync.workers.update(pod);
    await this.settle(pod);
  }

  /** Wakes the pod's worker (as the PLEG would) and waits. */
  async wake(pod: Pod): Promise<void> {
    this.sync.workers.wake(pod.metadata!.uid!);
    await this.settle(pod);
  }

  async settle(pod: Pod): Promise<void> {
    await this.sync.workers.idle();
    await this.sync.status.flush(pod.metadata!.uid!);
  }

  status(pod: Pod) {
    return this.api.lastStatus(pod.metadata!.uid!);
  }

  advance(ms: number): void {
    this.clock.now += ms;
  }

  stop(): Promise<void> {
    return this.sync.stop();
  }
}
