import { promises as fs } from "node:fs";
import { errnoCode, failedPrecondition, invalidArgument } from "../../../lib/errors.js";
import { KeyedMutex } from "../../../lib/keyed-mutex.js";
import type { Logger } from "../../../lib/logger.js";
import type { Pod, Volume } from "../../kube/types.js";
import { volumeKind } from "./volume-kind.js";
import type { ResourceValue } from "./downward-api.js";
import { setUpEmptyDir } from "./empty-dir.js";
import { checkHostPath } from "./host-path.js";
import { validatePathComponent } from "./payload-path.js";
import { podFiles, type PodFiles, type VolumeKind } from "./pod-paths.js";
import {
  setUpConfigMapVolume,
  setUpDownwardApiVolume,
  setUpSecretVolume,
} from "./projected-volumes.js";
import { unmountUnder } from "./tmpfs.js";
import type { VolumeContext, VolumeObjectLookup } from "./volume-context.js";

export interface PodVolumesOptions {
  /** kubelet's pods dir, e.g. <root>/pods: one directory per pod uid. */
  podsRoot: string;
  logger: Logger;
  lookup: VolumeObjectLookup;
  /** Resolves downwardAPI resourceFieldRefs; without it such items fail with Unimplemented. */
  resourceValue?: ResourceValue;
  /** The node's allocatable memory in bytes: the cap of memory-backed volumes without sizeLimit. */
  nodeAllocatableMemory?: () => number | undefined;
}

/** Where a volume is on the host; the spec layer bind-mounts `hostPath` into the containers. */
export interface HostVolume {
  hostPath: string;
  kind: VolumeKind;
  /** configMap, secret and downwardAPI volumes are always mounted read-only, as in Kubernetes. */
  readOnly?: boolean;
}

/** A pod's volumes on the host, laid out as kubelet lays out <pods root>/<uid>/volumes. */
export class PodVolumes {
  private readonly perPod = new KeyedMutex();

  constructor(private readonly options: PodVolumesOptions) {}

  podFiles(uid: string): PodFiles {
    return podFiles(this.options.podsRoot, uid);
  }

  /**
   * Makes every volume of `pod` (idempotent) and refreshes configMap, secret and downwardAPI
   * contents. Every volume is attempted; the first failure is then thrown, its `field` naming the
   * volume (`spec.volumes[i]…`) — e.g. NotFound `configmap "x" not found`.
   */
  async setUp(pod: Pod): Promise<Map<string, HostVolume>> {
    const uid = validatePathComponent(pod.metadata?.uid, "metadata.uid");
    return this.perPod.run(uid, async () => {
      const files = this.podFiles(uid);
      await fs.mkdir(files.volumesDir, { recursive: true, mode: 0o750 });
      const result = new Map<string, HostVolume>();
      const failures: Error[] = [];
      for (const [i, volume] of (pod.spec?.volumes ?? []).entries()) {
        const field = `spec.volumes[${i}]`;
        try {
          const name = validatePathComponent(volume.name, `${field}.name`);
          if (result.has(name))
            throw invalidArgument(`duplicate volume name "${name}"`, { field: `${field}.name` });
          result.set(name, await this.setUpVolume(files, volume, this.context(pod, field)));
        } catch (err) {
          this.options.logger.warn("volume set-up failed", {
            pod: uid,
            volume: volume.name,
            error: String(err),
          });
          failures.push(err as Error);
        }
      }
      if (failures.length > 0) throw failures[0];
      return result;
    });
  }

  /**
   * Unmounts whatever is mounted under the pod's dir (found in /proc/self/mountinfo, so it also
   * cleans up after a crash) and removes the dir. Idempotent. hostPath volumes are never touched.
   */
  async tearDown(podUid: string): Promise<void> {
    const uid = validatePathComponent(podUid, "metadata.uid");
    await this.perPod.run(uid, async () => {
      const { podDir } = this.podFiles(uid);
      if (!(await fs.lstat(podDir).catch(() => undefined))) return;
      const left = await unmountUnder(podDir, this.options.logger);
      if (left.length > 0) {
        throw failedPrecondition(`pod ${uid}: ${podDir} still has mounts: ${left.join(", ")}`);
      }
      await fs.rm(podDir, { recursive: true, force: true });
      this.options.logger.info("removed pod volumes", { pod: uid });
    });
  }

  /** The uids that have a pod dir, for orphan clean-up. */
  async listPodDirs(): Promise<string[]> {
    try {
      const entries = await fs.readdir(this.options.podsRoot, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory()).map((e) => e.name);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return [];
      throw err;
    }
  }

  private async setUpVolume(
    files: PodFiles,
    volume: Volume,
    ctx: VolumeContext,
  ): Promise<HostVolume> {
    const kind = volumeKind(volume, ctx.field);
    if (kind === "hostPath") {
      const source = volume.hostPath!;
      await checkHostPath(source.path, source.type, `${ctx.field}.hostPath`);
      return { hostPath: source.path, kind };
    }
    const dir = files.volumeDir(kind, volume.name);
    if (kind === "emptyDir") {
      await setUpEmptyDir(dir, volume.emptyDir ?? {}, ctx);
      return { hostPath: dir, kind };
    }
    if (kind === "configMap") await setUpConfigMapVolume(dir, volume.configMap!, ctx);
    else if (kind === "secret") await setUpSecretVolume(dir, volume.secret!, ctx);
    else await setUpDownwardApiVolume(dir, volume.downwardAPI!, ctx);
    return { hostPath: dir, kind, readOnly: true };
  }

  private context(pod: Pod, field: string): VolumeContext {
    return {
      pod,
      namespace: pod.metadata?.namespace || "default",
      field,
      gid: pod.spec?.securityContext?.fsGroup,
      nodeAllocatableMemory: this.options.nodeAllocatableMemory?.(),
      lookup: this.options.lookup,
      resourceValue: this.options.resourceValue,
      logger: this.options.logger,
    };
  }
}
