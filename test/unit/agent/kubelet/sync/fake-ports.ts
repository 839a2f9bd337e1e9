import type { ObjectReference, Pod, PodStatus } from "../../../../../agent/kube/types.js";
import type {
  HostVolume,
  HooksPort,
  PodApiPort,
  ProbeResult,
  ProbeResultsPort,
  VolumesPort,
} from "../../../../../agent/kubelet/sync/sync-ports.js";

export interface RecordedEvent {
  ref: ObjectReference;
  type: string;
  reason: string;
  message: string;
}

/** The API as the kubelet sees it, recording what it was told. */
export class FakeApi implements PodApiPort {
  readonly statuses: { uid: string; status: PodStatus }[] = [];
  readonly deleted: string[] = [];
  readonly events: RecordedEvent[] = [];
  failPatches = 0;

  async patchPodStatus(_ns: string, _name: string, uid: string, status: PodStatus) {
    if (this.failPatches > 0) {
      this.failPatches--;
      throw new Error("the server is unavailable");
    }
    this.statuses.push({ uid, status: structuredClone(status) });
  }

  async deletePod(ns: string, name: string, uid: string) {
    this.deleted.push(`${ns}/${name}/${uid}`);
  }

  recordEvent(ref: ObjectReference, type: "Normal" | "Warning", reason: string, message: string) {
    this.events.push({ ref, type, reason, message });
  }

  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }

  lastStatus(uid: string): PodStatus | undefined {
    return this.statuses.filter((s) => s.uid === uid).at(-1)?.status;
  }
}

export class FakeVolumes implements VolumesPort {
  readonly setUps: string[] = [];
  readonly tornDown: string[] = [];
  fail?: Error;

  async setUp(pod: Pod): Promise<ReadonlyMap<string, HostVolume>> {
    if (this.fail) throw this.fail;
    this.setUps.push(pod.metadata?.uid ?? "");
    return new Map();
  }

  async tearDown(uid: string) {
    this.tornDown.push(uid);
  }
}

/** Probe results a test sets by container id. */
export class FakeProbes implements ProbeResultsPort {
  readonly results = new Map<
    string,
    { liveness?: ProbeResult; readiness?: ProbeResult; startup?: ProbeResult }
  >();
  liveness = (id: string) => this.results.get(id)?.liveness;
  readiness = (id: string) => this.results.get(id)?.readiness;
  startup = (id: string) => this.results.get(id)?.startup;
}

export class FakeHooks implements HooksPort {
  readonly calls: string[] = [];
  failPostStart?: string;

  async runPostStart(_pod: Pod, container: { name: string }) {
    this.calls.push(`postStart ${container.name}`);
    if (this.failPostStart) throw new Error(this.failPostStart);
  }

  async runPreStop(_pod: Pod, container: { name: string }) {
    this.calls.push(`preStop ${container.name}`);
  }
}
