import type { Container, ObjectReference, Pod } from "../../kube/types.js";
import type { PodStartObserver } from "../metrics/pod-start-tracker.js";
import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import { Backoff, imageBackoffKey } from "./backoff.js";
import type { PodApiPort, SpecPort } from "./sync-ports.js";

/** A container's image, ready to run. */
export interface PulledImage {
  /** The image id the runtime knows it by. */
  imageRef: string;
  /** The image config's User ("" when unset). */
  imageUser: string;
}

/** Why the image is not there: the container's waiting reason and message. */
export class ImagePullError extends Error {
  constructor(
    readonly reason: "ErrImagePull" | "ImagePullBackOff" | "ErrImageNeverPull" | "InvalidImageName",
    message: string,
  ) {
    super(message);
  }
}

export interface ImagePullerDeps {
  runtime: KubeletRuntime;
  spec: Pick<SpecPort, "pullPolicy">;
  api: Pick<PodApiPort, "recordEvent">;
  backoff?: Backoff;
  now?: () => number;
  /** Told when a pod's pulls start and succeed (the pod start SLI leaves pull time out). */
  podStarts?: Pick<PodStartObserver, "pullStarted" | "pullFinished">;
}

/**
 * kubelet's EnsureImageExists: by the container's pull policy (Never: only a present image;
 * IfNotPresent: pull when absent; Always: pull every start), with the events kubelet records and
 * a back-off per pod and image after a failed pull (ErrImagePull, then ImagePullBackOff).
 */
export class ImagePuller {
  private readonly backoff: Backoff;
  private readonly lastErrors = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly deps: ImagePullerDeps) {
    this.backoff = deps.backoff ?? new Backoff();
    this.now = deps.now ?? Date.now;
  }

  async ensure(pod: Pod, container: Container, ref: ObjectReference): Promise<PulledImage> {
    const image = container.image ?? "";
    const event = (type: "Normal" | "Warning", reason: string, message: string) =>
      this.deps.api.recordEvent(ref, type, reason, message);
    let policy: "Always" | "IfNotPresent" | "Never";
    try {
      policy = this.deps.spec.pullPolicy(container);
    } catch (err) {
      const message = `Failed to apply default image tag "${image}": ${(err as Error).message}`;
      event("Warning", "InspectFailed", message);
      throw new ImagePullError("InvalidImageName", message);
    }
    const present = await this.status(image);
    if (present && policy !== "Always") {
      event("Normal", "Pulled", `Container image "${image}" already present on machine`);
      return present;
    }
    if (policy === "Never") {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      event("Warning", "ErrImageNeverPull", message);
      throw new ImagePullError("ErrImageNeverPull", message);
    }
    const key = imageBackoffKey(pod.metadata?.uid ?? "", image);
    if (this.backoff.isInBackOffSinceUpdate(key, this.now())) {
      event("Normal", "BackOff", `Back-off pulling image "${image}"`);
      const last = this.lastErrors.get(key) ?? "";
      throw new ImagePullError(
        "ImagePullBackOff",
        `Back-off pulling image "${image}": ErrImagePull: ${last}`,
      );
    }
    event("Normal", "Pulling", `Pulling image "${image}"`);
    const started = this.now();
    const uid = pod.metadata?.uid ?? "";
    this.deps.podStarts?.pullStarted(uid);
    try {
      const { image_ref } = await this.deps.runtime.pullImage({ image: { image } });
      this.deps.podStarts?.pullFinished(uid);
      const seconds = ((this.now() - started) / 1000).toFixed(3);
      const pulled = (await this.status(image_ref)) ?? { imageRef: image_ref, imageUser: "" };
      event("Normal", "Pulled", `Successfully pulled image "${image}" in ${seconds}s`);
      this.backoff.reset(key);
      this.lastErrors.delete(key);
      return pulled;
    } catch (err) {
      const message = (err as Error).message;
      this.backoff.next(key, this.now());
      this.lastErrors.set(key, message);
      event("Warning", "Failed", `Failed to pull image "${image}": ${message}`);
      event("Warning", "Failed", "Error: ErrImagePull");
      throw new ImagePullError("ErrImagePull", message);
    }
  }

  /** Forgets a pod's pull back-offs. */
  forgetPod(uid: string): void {
    this.backoff.forgetPrefix(`${uid}/`);
    for (const key of this.lastErrors.keys())
      if (key.startsWith(`${uid}/`)) this.lastErrors.delete(key);
  }

  private async status(image: string): Promise<PulledImage | undefined> {
    const { image: found } = await this.deps.runtime.imageStatus({ image: { image } });
    if (!found) return undefined;
    return { imageRef: found.id, imageUser: found.uid ? found.uid.value : found.username };
  }
}
