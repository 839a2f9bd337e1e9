import type { ContainerPort, LifecycleHandler } from "../../kube/types.js";
import { criAnnotations, criLabels } from "./pod-labels.js";

/** A CRI ListPodSandbox / ListContainers entry, input or output form. */
export interface LabeledRuntimeObject {
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  metadata?: { name?: string; namespace?: string; uid?: string; attempt?: number } | null;
}

export interface SandboxIdentity {
  podName: string;
  podNamespace: string;
  podUid: string;
  attempt: number;
}

export interface ContainerIdentity {
  podName: string;
  podNamespace: string;
  podUid: string;
  containerName: string;
  restartCount: number;
  /** The spec hash it was created from ("" when unknown). */
  hash: string;
  terminationMessagePath: string;
  terminationMessagePolicy: string;
  containerType?: "init" | "container";
  terminationGracePeriodSeconds?: number;
  deletionGracePeriodSeconds?: number;
  preStop?: LifecycleHandler;
  ports?: ContainerPort[];
}

/** Which pod a sandbox belongs to, or undefined when it carries no pod uid (not the kubelet's). */
export function sandboxIdentity(entry: LabeledRuntimeObject): SandboxIdentity | undefined {
  const labels = entry.labels ?? {};
  const podUid = labels[criLabels.podUid];
  if (!podUid) return undefined;
  return {
    podName: labels[criLabels.podName] ?? entry.metadata?.name ?? "",
    podNamespace: labels[criLabels.podNamespace] ?? entry.metadata?.namespace ?? "",
    podUid,
    attempt: entry.metadata?.attempt ?? 0,
  };
}

/**
 * Which pod and container spec a runtime container was made for, read back from the labels and
 * annotations the kubelet gave it; undefined when it carries no pod uid or container name.
 * Unreadable numbers fall back (restart count to the CRI attempt), unreadable JSON is left out.
 */
export function containerIdentity(entry: LabeledRuntimeObject): ContainerIdentity | undefined {
  const labels = entry.labels ?? {};
  const notes = entry.annotations ?? {};
  const podUid = labels[criLabels.podUid];
  const containerName = labels[criLabels.containerName] ?? entry.metadata?.name;
  if (!podUid || !containerName) return undefined;
  const type = notes[criAnnotations.containerType];
  const identity: ContainerIdentity = {
    podName: labels[criLabels.podName] ?? "",
    podNamespace: labels[criLabels.podNamespace] ?? "",
    podUid,
    containerName,
    restartCount: integer(notes[criAnnotations.restartCount]) ?? entry.metadata?.attempt ?? 0,
    hash: notes[criAnnotations.hash] ?? "",
    terminationMessagePath: notes[criAnnotations.terminationMessagePath] ?? "",
    terminationMessagePolicy: notes[criAnnotations.terminationMessagePolicy] ?? "",
  };
  if (type === "init" || type === "container") identity.containerType = type;
  const grace = integer(notes[criAnnotations.terminationGracePeriod]);
  if (grace !== undefined) identity.terminationGracePeriodSeconds = grace;
  const deletionGrace = integer(notes[criAnnotations.deletionGracePeriod]);
  if (deletionGrace !== undefined) identity.deletionGracePeriodSeconds = deletionGrace;
  const preStop = json<LifecycleHandler>(notes[criAnnotations.preStopHandler]);
  if (preStop && typeof preStop === "object") identity.preStop = preStop;
  const ports = json<ContainerPort[]>(notes[criAnnotations.ports]);
  if (Array.isArray(ports)) identity.ports = ports;
  return identity;
}

function integer(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function json<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
