import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { reconcileDeployment } from "../../../../controller/workloads/deployment-controller.js";
import type { DeploymentPlan } from "../../../../controller/workloads/deployment-plan.js";
import { reconcileReplicaSet } from "../../../../controller/workloads/replicaset-controller.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- the world edits loosely typed objects */

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export interface WorldOptions {
  /** Pods whose first container has this image never become ready. */
  brokenImage?: string;
  stepMs?: number;
  /** ReplicaSet controllers run only every this many steps (the Deployment controller every step). */
  replicaSetEvery?: number;
  /** This ReplicaSet's controller sits out this step (one controller lagging behind another). */
  replicaSetSkips?: (rs: KubeObject, step: number) => boolean;
}

/**
 * A tiny cluster: an API that applies controller plans verbatim, a kubelet that makes pods
 * Running and Ready one step after they are created, and graceful deletion that keeps a deleted
 * pod (terminating, not ready) for one step before it is gone.
 */
export class World {
  now: number;
  deployment: KubeObject;
  replicaSets: KubeObject[] = [];
  pods: KubeObject[] = [];
  lastPlan?: DeploymentPlan;
  private nextId = 1;
  private steps = 0;
  private readonly stepMs: number;

  constructor(
    deployment: KubeObject,
    private readonly options: WorldOptions = {},
    start = Date.parse("2024-05-01T10:00:00Z"),
  ) {
    this.now = start;
    this.stepMs = options.stepMs ?? 1000;
    this.deployment = structuredClone(deployment);
    const meta = (this.deployment.metadata ??= {});
    meta.uid ??= "deploy-uid";
    meta.namespace ??= "default";
    meta.generation ??= 1;
    meta.creationTimestamp ??= iso(this.now);
  }

  get nowDate(): Date {
    return new Date(this.now);
  }

  /** Edit the Deployment's spec, as kubectl would; bumps metadata.generation. */
  updateSpec(edit: (spec: any) => void): void {
    edit(this.deployment.spec);
    this.deployment.metadata!.generation = (this.deployment.metadata!.generation ?? 0) + 1;
  }

  /** Advance the clock, let the kubelet act, then run the Deployment and ReplicaSet controllers. */
  step(afterKubelet?: () => void): void {
    this.now += this.stepMs;
    this.kubelet();
    afterKubelet?.();
    this.runDeploymentController();
    if (++this.steps % (this.options.replicaSetEvery ?? 1) === 0) this.runReplicaSetControllers();
  }

  kubelet(): void {
    this.pods = this.pods.filter((p) => !p.metadata?.deletionTimestamp);
    for (const pod of this.pods) {
      const status = pod.status as any;
      if (status.phase !== "Pending") continue;
      const image = (pod.spec as any)?.containers?.[0]?.image;
      (pod.spec as any).nodeName = "node-1";
      status.phase = "Running";
      status.conditions = [
        {
          type: "Ready",
          status: image === this.options.brokenImage ? "False" : "True",
          lastTransitionTime: iso(this.now),
        },
      ];
    }
  }

  runDeploymentController(): DeploymentPlan {
    const plan = reconcileDeployment(this.deployment, this.replicaSets, this.pods, this.nowDate);
    this.lastPlan = plan;
    for (const rs of [...plan.adopt, ...plan.release]) this.replaceReplicaSet(rs);
    if (plan.createReplicaSet) {
      const rs = structuredClone(plan.createReplicaSet);
      if (this.replicaSets.some((r) => r.metadata?.name === rs.metadata?.name)) {
        throw new Error(`AlreadyExists: ${rs.metadata?.name}`);
      }
      Object.assign(rs.metadata!, {
        uid: `rs-uid-${this.nextId++}`,
        creationTimestamp: iso(this.now),
        generation: 1,
      });
      rs.status = {};
      this.replicaSets.push(rs);
    }
    for (const bump of plan.revisionBumps) {
      const rs = this.replicaSet(bump.name);
      rs.metadata!.annotations = { ...rs.metadata!.annotations, ...bump.annotations };
      if (bump.minReadySeconds !== undefined) {
        (rs.spec as any).minReadySeconds = bump.minReadySeconds;
        rs.metadata!.generation = (rs.metadata!.generation ?? 0) + 1;
      }
    }
    for (const scale of plan.scale) {
      const rs = this.replicaSet(scale.name);
      rs.metadata!.annotations = { ...rs.metadata!.annotations, ...scale.annotations };
      if ((rs.spec as any).replicas !== scale.replicas) {
        (rs.spec as any).replicas = scale.replicas;
        rs.metadata!.generation = (rs.metadata!.generation ?? 0) + 1;
      }
    }
    this.replicaSets = this.replicaSets.filter((rs) => !plan.delete.includes(rs.metadata!.name!));
    if (plan.deploymentRevision !== undefined) {
      this.deployment.metadata!.annotations = {
        ...this.deployment.metadata!.annotations,
        "deployment.kubernetes.io/revision": plan.deploymentRevision,
      };
    }
    this.deployment.status = structuredClone(plan.status);
    return plan;
  }

  runReplicaSetControllers(): void {
    for (const rs of this.replicaSets) {
      if (this.options.replicaSetSkips?.(rs, this.steps)) continue;
      const plan = reconcileReplicaSet(rs, this.pods, this.nowDate);
      for (const pod of [...plan.adopt, ...plan.release]) {
        const i = this.pods.findIndex((p) => p.metadata?.uid === pod.metadata?.uid);
        this.pods[i] = structuredClone(pod);
      }
      for (const template of plan.create) {
        const pod = structuredClone(template);
        const id = this.nextId++;
        Object.assign(pod.metadata!, {
          name: `${pod.metadata!.generateName}${id}`,
          uid: `pod-uid-${id}`,
          creationTimestamp: iso(this.now),
        });
        pod.status = { phase: "Pending" };
        this.pods.push(pod);
      }
      for (const victim of plan.delete) {
        const pod = this.pods.find((p) => p.metadata?.uid === victim.metadata?.uid)!;
        pod.metadata!.deletionTimestamp = iso(this.now);
        (pod.status as any).conditions = [
          { type: "Ready", status: "False", lastTransitionTime: iso(this.now) },
        ];
      }
      rs.status = structuredClone(plan.status);
    }
  }

  replicaSet(name: string): KubeObject {
    const rs = this.replicaSets.find((r) => r.metadata?.name === name);
    if (!rs) throw new Error(`no ReplicaSet ${name}`);
    return rs;
  }

  private replaceReplicaSet(rs: KubeObject): void {
    const i = this.replicaSets.findIndex((r) => r.metadata?.uid === rs.metadata?.uid);
    this.replicaSets[i] = structuredClone(rs);
  }

  /** The ReplicaSet whose template runs image. */
  replicaSetForImage(image: string): KubeObject | undefined {
    return this.replicaSets.find(
      (rs) => (rs.spec as any).template.spec.containers[0].image === image,
    );
  }

  podsOf(rs: KubeObject | undefined): KubeObject[] {
    if (!rs) return [];
    return this.pods.filter((p) =>
      p.metadata?.ownerReferences?.some((r) => r.uid === rs.metadata?.uid),
    );
  }

  /** Pods not being deleted. */
  livePods(): KubeObject[] {
    return this.pods.filter((p) => !p.metadata?.deletionTimestamp);
  }

  availablePods(minReadySeconds = 0): KubeObject[] {
    return this.livePods().filter((p) => {
      const ready = ((p.status as any).conditions ?? []).find((c: any) => c.type === "Ready");
      if (ready?.status !== "True") return false;
      return Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000 <= this.now;
    });
  }

  condition(type: string): any {
    return ((this.deployment.status as any)?.conditions ?? []).find((c: any) => c.type === type);
  }

  /** What `kubectl rollout status` waits for. */
  rolloutComplete(): boolean {
    const status = this.deployment.status as any;
    const replicas = (this.deployment.spec as any).replicas;
    return (
      status !== undefined &&
      status.observedGeneration >= this.deployment.metadata!.generation! &&
      status.updatedReplicas === replicas &&
      status.replicas === replicas &&
      status.availableReplicas === replicas &&
      this.condition("Progressing")?.reason === "NewReplicaSetAvailable"
    );
  }

  /** Step until the rollout is complete (and every deleted pod gone); the steps it took. */
  runToCompletion(maxSteps = 200, check?: () => void): number {
    for (let i = 1; i <= maxSteps; i++) {
      this.step(check);
      check?.();
      if (this.rolloutComplete() && this.pods.length === this.livePods().length) return i;
    }
    throw new Error(
      `rollout not complete after ${maxSteps} steps: ${JSON.stringify(this.deployment.status)}`,
    );
  }
}

export function deployment(
  name: string,
  replicas: number,
  image: string,
  strategy: Record<string, unknown> = {
    type: "RollingUpdate",
    rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" },
  },
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default", uid: `${name}-uid`, generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image }] },
      },
      strategy,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...extra,
    },
  };
}
