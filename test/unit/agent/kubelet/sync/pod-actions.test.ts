import { expect } from "chai";
import type { Pod } from "../../../../../agent/kube/types.js";
import type { BackoffView } from "../../../../../agent/kubelet/sync/backoff.js";
import {
  computePodActions,
  type PodActions,
} from "../../../../../agent/kubelet/sync/pod-actions.js";
import type { RuntimePod } from "../../../../../agent/kubelet/sync/runtime-pod.js";
import { FakeProbes } from "./fake-ports.js";
import { hashOf, runtimeWith, testPod } from "./runtime-fixtures.js";

const noBackoff: BackoffView = { isInBackOffSince: () => false, delayMs: () => 0 };

interface Summary {
  createSandbox: boolean;
  killPod: boolean;
  attempt?: number;
  init: string[];
  start: string[];
  kill: string[];
}

function summarize(a: PodActions): Summary {
  return {
    createSandbox: a.createSandbox,
    killPod: a.killPod,
    ...(a.createSandbox ? { attempt: a.attempt } : {}),
    init: a.initContainersToStart.map((s) => s.container.name),
    start: a.containersToStart.map((s) => s.container.name),
    kill: a.containersToKill.map((k) => `${k.id} ${k.message}`),
  };
}

const app = { name: "app", image: "busybox:1" };
const hash = hashOf(app);
const inits = {
  initContainers: [
    { name: "init1", image: "i:1" },
    { name: "init2", image: "i:1" },
  ],
};
const nothing = { createSandbox: false, killPod: false, init: [], start: [], kill: [] };

interface Case {
  name: string;
  pod: Pod;
  runtime: RuntimePod;
  probes?: Record<string, { liveness?: "failure"; startup?: "failure" | "success" }>;
  want: Summary;
}

const cases: Case[] = [
  {
    name: "a new pod gets its first sandbox and its containers",
    pod: testPod(),
    runtime: {
      uid: "uid-1",
      name: "web",
      namespace: "default",
      sandboxes: [],
      containers: [],
      ips: [],
    },
    want: { createSandbox: true, killPod: true, attempt: 0, init: [], start: ["app"], kill: [] },
  },
  {
    name: "a running pod whose spec did not change needs nothing",
    pod: testPod(),
    runtime: runtimeWith([{ hash }]),
    want: nothing,
  },
  {
    name: "restartPolicy Always restarts a container that exited 0",
    pod: testPod({ restartPolicy: "Always" }),
    runtime: runtimeWith([{ hash, state: "exited", exitCode: 0 }]),
    want: { ...nothing, start: ["app"] },
  },
  {
    name: "restartPolicy OnFailure restarts a failed container",
    pod: testPod({ restartPolicy: "OnFailure" }),
    runtime: runtimeWith([{ hash, state: "exited", exitCode: 1 }]),
    want: { ...nothing, start: ["app"] },
  },
  {
    name: "restartPolicy OnFailure stops the pod once its containers succeeded",
    pod: testPod({ restartPolicy: "OnFailure" }),
    runtime: runtimeWith([{ hash, state: "exited", exitCode: 0 }]),
    want: { ...nothing, killPod: true },
  },
  {
    name: "restartPolicy Never stops the pod once its containers exited",
    pod: testPod({ restartPolicy: "Never" }),
    runtime: runtimeWith([{ hash, state: "exited", exitCode: 2 }]),
    want: { ...nothing, killPod: true },
  },
  {
    name: "a changed spec kills and restarts the container whatever the policy",
    pod: testPod({ restartPolicy: "Never" }),
    runtime: runtimeWith([{ hash: "old" }]),
    want: {
      ...nothing,
      start: ["app"],
      kill: ["c0 Container app definition changed, will be restarted"],
    },
  },
  {
    name: "a failed liveness probe kills and restarts the container",
    pod: testPod(),
    runtime: runtimeWith([{ hash }]),
    probes: { c0: { liveness: "failure" } },
    want: {
      ...nothing,
      start: ["app"],
      kill: ["c0 Container app failed liveness probe, will be restarted"],
    },
  },
  {
    name: "a failed startup probe under restartPolicy Never kills the container and ends the pod",
    pod: testPod({ restartPolicy: "Never" }),
    runtime: runtimeWith([{ hash }]),
    probes: { c0: { startup: "failure" } },
    want: { ...nothing, killPod: true, kill: ["c0 Container app failed startup probe"] },
  },
  {
    name: "a container in an unknown state is killed before it is started again",
    pod: testPod(),
    runtime: runtimeWith([{ hash, state: "unknown" }]),
    want: {
      ...nothing,
      start: ["app"],
      kill: ['c0 Container is in "unknown" state, try killing it before restart'],
    },
  },
  {
    name: "a dead sandbox is replaced (attempt + 1) after killing everything",
    pod: testPod(),
    runtime: runtimeWith([{ hash, state: "exited", exitCode: 137 }], { ready: false }),
    want: { createSandbox: true, killPod: true, attempt: 1, init: [], start: ["app"], kill: [] },
  },
  {
    name: "a sandbox without an IP is replaced",
    pod: testPod(),
    runtime: { ...runtimeWith([{ hash }]), ips: [] },
    want: { createSandbox: true, killPod: true, attempt: 1, init: [], start: ["app"], kill: [] },
  },
  {
    name: "a dead sandbox of a finished restartPolicy Never pod is not replaced",
    pod: testPod({ restartPolicy: "Never" }),
    runtime: runtimeWith([{ hash, state: "exited", exitCode: 0 }], { ready: false }),
    want: { ...nothing, killPod: true },
  },
  {
    name: "a pod being deleted restarts nothing",
    pod: testPod({}, { deletionTimestamp: "2025-01-01T00:00:00Z" }),
    runtime: runtimeWith([{ hash, state: "exited", exitCode: 1 }]),
    want: { ...nothing, killPod: true },
  },
  {
    name: "a running container the spec does not name is killed",
    pod: testPod(),
    runtime: runtimeWith([{ hash }, { name: "stray", id: "cx" }]),
    want: { ...nothing, kill: ["cx Container stray is not in the pod's spec"] },
  },
  {
    name: "a new sandbox of a pod with init containers starts the first one only",
    pod: testPod(inits),
    runtime: {
      uid: "uid-1",
      name: "web",
      namespace: "default",
      sandboxes: [],
      containers: [],
      ips: [],
    },
    want: { createSandbox: true, killPod: true, attempt: 0, init: ["init1"], start: [], kill: [] },
  },
  {
    name: "the next init container starts once the one before exited 0",
    pod: testPod(inits),
    runtime: runtimeWith([{ name: "init1", state: "exited", exitCode: 0 }]),
    want: { ...nothing, init: ["init2"] },
  },
  {
    name: "nothing else starts while an init container runs",
    pod: testPod(inits),
    runtime: runtimeWith([{ name: "init2" }, { name: "init1", state: "exited" }]),
    want: nothing,
  },
  {
    name: "app containers start when every init container succeeded",
    pod: testPod(inits),
    runtime: runtimeWith([
      { name: "init2", state: "exited" },
      { name: "init1", state: "exited" },
    ]),
    want: { ...nothing, start: ["app"] },
  },
  {
    name: "a failed init container under restartPolicy Never fails the pod",
    pod: testPod({ ...inits, restartPolicy: "Never" }),
    runtime: runtimeWith([{ name: "init1", state: "exited", exitCode: 1 }]),
    want: { ...nothing, killPod: true },
  },
  {
    name: "a failed init container is run again under restartPolicy Always",
    pod: testPod(inits),
    runtime: runtimeWith([{ name: "init1", state: "exited", exitCode: 1 }]),
    want: { ...nothing, init: ["init1"] },
  },
  {
    name: "a sidecar starts, and the next init container waits until it has started",
    pod: testPod({
      initContainers: [
        {
          name: "proxy",
          image: "p:1",
          restartPolicy: "Always",
          startupProbe: { exec: { command: ["true"] } },
        },
        { name: "init1", image: "i:1" },
      ],
    }),
    runtime: runtimeWith([{ name: "proxy", hash: hashOf({ name: "proxy", image: "p:1" }) }]),
    want: nothing,
  },
  {
    name: "a sidecar that stopped is restarted beside running app containers",
    pod: testPod({ initContainers: [{ name: "proxy", image: "p:1", restartPolicy: "Always" }] }),
    runtime: runtimeWith([{ hash }, { name: "proxy", state: "exited", exitCode: 1 }]),
    want: { ...nothing, init: ["proxy"] },
  },
];

describe("agent/kubelet/sync computePodActions", () => {
  for (const c of cases) {
    it(c.name, () => {
      const probes = new FakeProbes();
      for (const [id, r] of Object.entries(c.probes ?? {})) probes.results.set(id, r);
      const actions = computePodActions(c.pod, c.runtime, {
        hash: hashOf,
        probes,
        backoff: noBackoff,
      });
      expect(summarize(actions)).to.deep.equal(c.want);
    });
  }

  it("holds a restart back while the crash-loop back-off runs, saying until when", () => {
    const backoff: BackoffView = { isInBackOffSince: () => true, delayMs: () => 20_000 };
    const runtime = runtimeWith([{ hash, state: "exited", exitCode: 1, finishedAt: 5_000 }]);
    const actions = computePodActions(testPod(), runtime, {
      hash: hashOf,
      probes: new FakeProbes(),
      backoff,
    });
    expect(actions.containersToStart[0].backOff).to.deep.equal({
      readyAt: 25_000,
      delayMs: 20_000,
    });
    expect(actions.containersToStart[0].lastExit?.id).to.equal("c0");
  });
});
