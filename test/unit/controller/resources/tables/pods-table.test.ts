import { expect } from "chai";
import type { KubeObject } from "../../../../../controller/resources/kube-object.js";
import { podTable } from "../../../../../controller/resources/tables/pods-table.js";
import { ago, cellsByName, columnShapes, now } from "./table-fixtures.js";

function pod(overrides: { metadata?: object; spec?: object; status?: object }): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "web",
      namespace: "default",
      creationTimestamp: ago(300),
      ...overrides.metadata,
    },
    spec: { containers: [{ name: "app", image: "busybox" }], ...overrides.spec },
    status: overrides.status ?? {},
  };
}

const running = { running: { startedAt: ago(290) } };
const readyCondition = { type: "Ready", status: "True" };

function cells(p: KubeObject): Record<string, unknown> {
  return cellsByName(podTable, podTable.row(p, now));
}

function statusOf(p: KubeObject): unknown {
  return cells(p).Status;
}

describe("controller/resources/tables pods-table", () => {
  it("has kubectl's pod columns, the last four only with -o wide", () => {
    expect(columnShapes(podTable)).to.deep.equal([
      ["Name", "string", 0],
      ["Ready", "string", 0],
      ["Status", "string", 0],
      ["Restarts", "string", 0],
      ["Age", "string", 0],
      ["IP", "string", 1],
      ["Node", "string", 1],
      ["Nominated Node", "string", 1],
      ["Readiness Gates", "string", 1],
    ]);
    expect(podTable.columns.map((c) => c.format)).to.deep.equal([
      "name",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
    ]);
    expect(podTable.columns.every((c) => c.description.length > 0)).to.equal(true);
  });

  it("prints a running pod with its IP and node", () => {
    const p = pod({
      spec: { nodeName: "node-a" },
      status: {
        phase: "Running",
        podIP: "10.88.0.10",
        podIPs: [{ ip: "10.88.0.10" }],
        conditions: [readyCondition],
        containerStatuses: [{ name: "app", ready: true, restartCount: 0, state: running }],
      },
    });
    expect(podTable.row(p, now)).to.deep.equal([
      "web",
      "1/1",
      "Running",
      "0",
      "5m",
      "10.88.0.10",
      "node-a",
      "<none>",
      "<none>",
    ]);
  });

  it("prints Pending, 0/N and <none> for a pod nothing has happened to", () => {
    const p = pod({
      spec: { containers: [{ name: "a" }, { name: "b" }] },
      status: { phase: "Pending" },
    });
    expect(podTable.row(p, now)).to.deep.equal([
      "web",
      "0/2",
      "Pending",
      "0",
      "5m",
      "<none>",
      "<none>",
      "<none>",
      "<none>",
    ]);
  });

  it("shows a waiting container's reason: ContainerCreating, ErrImagePull, CrashLoopBackOff", () => {
    for (const reason of ["ContainerCreating", "ErrImagePull", "CrashLoopBackOff"]) {
      const p = pod({
        status: {
          phase: "Pending",
          containerStatuses: [{ name: "app", ready: false, state: { waiting: { reason } } }],
        },
      });
      expect(cells(p)).to.include({ Ready: "0/1", Status: reason });
    }
  });

  it("shows restarts with how long ago the last container terminated", () => {
    const p = pod({
      status: {
        phase: "Running",
        containerStatuses: [
          {
            name: "app",
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(120) } },
          },
        ],
      },
    });
    expect(cells(p)).to.include({ Status: "CrashLoopBackOff", Restarts: "3 (2m ago)" });
  });

  it("sums restarts over containers and dates them by the latest termination", () => {
    const p = pod({
      spec: { containers: [{ name: "a" }, { name: "b" }] },
      status: {
        phase: "Running",
        conditions: [readyCondition],
        containerStatuses: [
          {
            name: "a",
            ready: true,
            restartCount: 2,
            state: running,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * 3600) } },
          },
          {
            name: "b",
            ready: true,
            restartCount: 1,
            state: running,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(45) } },
          },
        ],
      },
    });
    expect(cells(p)).to.include({ Ready: "2/2", Status: "Running", Restarts: "3 (45s ago)" });
  });

  it("prints a bare restart count when no termination time is known", () => {
    const p = pod({
      status: {
        phase: "Running",
        containerStatuses: [{ name: "app", ready: true, restartCount: 4, state: running }],
      },
    });
    expect(cells(p).Restarts).to.equal("4");
  });

  it("shows Completed for a finished pod, and ExitCode:N or Signal:N when the runtime gave no reason", () => {
    const finished = (terminated: object, phase: string) =>
      pod({
        status: {
          phase,
          containerStatuses: [{ name: "app", ready: false, state: { terminated } }],
        },
      });
    expect(cells(finished({ exitCode: 0, reason: "Completed" }, "Succeeded"))).to.include({
      Ready: "0/1",
      Status: "Completed",
    });
    expect(statusOf(finished({ exitCode: 1, reason: "Error" }, "Failed"))).to.equal("Error");
    expect(statusOf(finished({ exitCode: 2 }, "Failed"))).to.equal("ExitCode:2");
    expect(statusOf(finished({ exitCode: 137, signal: 9 }, "Failed"))).to.equal("Signal:9");
  });

  it("shows the first container's state when several containers report one", () => {
    const p = pod({
      spec: { containers: [{ name: "a" }, { name: "b" }] },
      status: {
        phase: "Running",
        containerStatuses: [
          { name: "a", state: { waiting: { reason: "ImagePullBackOff" } } },
          { name: "b", state: { terminated: { exitCode: 1, reason: "Error" } } },
        ],
      },
    });
    expect(statusOf(p)).to.equal("ImagePullBackOff");
  });

  it("says Running or NotReady, not Completed, while another container still runs", () => {
    const status = (conditions: object[]) => ({
      phase: "Running",
      conditions,
      containerStatuses: [
        { name: "a", ready: false, state: { terminated: { exitCode: 0, reason: "Completed" } } },
        { name: "b", ready: true, state: running },
      ],
    });
    const spec = { containers: [{ name: "a" }, { name: "b" }] };
    expect(cells(pod({ spec, status: status([readyCondition]) }))).to.include({
      Ready: "1/2",
      Status: "Running",
    });
    expect(statusOf(pod({ spec, status: status([]) }))).to.equal("NotReady");
  });

  it("shows init progress as Init:i/n while an init container runs", () => {
    const spec = { initContainers: [{ name: "setup" }, { name: "migrate" }] };
    const first = pod({
      spec,
      status: {
        phase: "Pending",
        initContainerStatuses: [
          { name: "setup", state: running },
          { name: "migrate", state: { waiting: { reason: "PodInitializing" } } },
        ],
        containerStatuses: [{ name: "app", state: { waiting: { reason: "PodInitializing" } } }],
      },
    });
    expect(cells(first)).to.include({ Ready: "0/1", Status: "Init:0/2" });

    const second = pod({
      spec,
      status: {
        phase: "Pending",
        initContainerStatuses: [
          { name: "setup", state: { terminated: { exitCode: 0, reason: "Completed" } } },
          { name: "migrate", state: running },
        ],
      },
    });
    expect(statusOf(second)).to.equal("Init:1/2");
  });

  it("shows a failed or stuck init container as Init:<reason>", () => {
    const withInit = (state: object) =>
      pod({
        spec: { initContainers: [{ name: "setup" }] },
        status: { phase: "Pending", initContainerStatuses: [{ name: "setup", state }] },
      });
    expect(statusOf(withInit({ terminated: { exitCode: 1, reason: "Error" } }))).to.equal(
      "Init:Error",
    );
    expect(statusOf(withInit({ terminated: { exitCode: 3 } }))).to.equal("Init:ExitCode:3");
    expect(statusOf(withInit({ terminated: { exitCode: 137, signal: 9 } }))).to.equal(
      "Init:Signal:9",
    );
    expect(statusOf(withInit({ waiting: { reason: "CrashLoopBackOff" } }))).to.equal(
      "Init:CrashLoopBackOff",
    );
  });

  it("counts only init container restarts while the pod initializes", () => {
    const p = pod({
      spec: { initContainers: [{ name: "setup" }] },
      status: {
        phase: "Pending",
        initContainerStatuses: [
          {
            name: "setup",
            restartCount: 2,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 1, finishedAt: ago(30) } },
          },
        ],
        containerStatuses: [
          { name: "app", restartCount: 7, state: { waiting: { reason: "PodInitializing" } } },
        ],
      },
    });
    expect(cells(p)).to.include({ Status: "Init:CrashLoopBackOff", Restarts: "2 (30s ago)" });
  });

  it("counts a started sidecar (restartPolicy Always init container) as a container of the pod", () => {
    const p = pod({
      spec: { initContainers: [{ name: "proxy", restartPolicy: "Always" }] },
      status: {
        phase: "Running",
        conditions: [{ type: "Initialized", status: "True" }, readyCondition],
        initContainerStatuses: [
          {
            name: "proxy",
            started: true,
            ready: true,
            restartCount: 1,
            state: running,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(600) } },
          },
        ],
        containerStatuses: [{ name: "app", ready: true, restartCount: 0, state: running }],
      },
    });
    expect(cells(p)).to.include({ Ready: "2/2", Status: "Running", Restarts: "1 (10m ago)" });
  });

  it("shows Terminating for a pod being deleted, but keeps a finished pod's status", () => {
    const deleting = { deletionTimestamp: ago(10) };
    const runningPod = pod({
      metadata: deleting,
      status: {
        phase: "Running",
        containerStatuses: [{ name: "app", ready: true, state: running }],
      },
    });
    expect(statusOf(runningPod)).to.equal("Terminating");

    const donePod = pod({
      metadata: deleting,
      status: {
        phase: "Succeeded",
        containerStatuses: [
          { name: "app", state: { terminated: { exitCode: 0, reason: "Completed" } } },
        ],
      },
    });
    expect(statusOf(donePod)).to.equal("Completed");
  });

  it("shows Unknown for a deleted pod on a lost node, and the pod's own reason otherwise", () => {
    const lost = pod({
      metadata: { deletionTimestamp: ago(10) },
      status: { phase: "Running", reason: "NodeLost" },
    });
    expect(statusOf(lost)).to.equal("Unknown");
    expect(statusOf(pod({ status: { phase: "Failed", reason: "Evicted" } }))).to.equal("Evicted");
    expect(
      statusOf(
        pod({
          status: {
            phase: "Pending",
            conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }],
          },
        }),
      ),
    ).to.equal("SchedulingGated");
  });

  it("counts readiness gates whose condition is True", () => {
    const p = pod({
      spec: {
        readinessGates: [{ conditionType: "example.com/lb" }, { conditionType: "example.com/dns" }],
      },
      status: {
        phase: "Running",
        podIPs: [{ ip: "10.88.0.7" }, { ip: "fd00::7" }],
        nominatedNodeName: "node-b",
        conditions: [
          { type: "example.com/lb", status: "True" },
          { type: "example.com/dns", status: "False" },
        ],
      },
    });
    expect(cells(p)).to.include({
      IP: "10.88.0.7",
      "Nominated Node": "node-b",
      "Readiness Gates": "1/2",
    });
  });

  it("prints zero values instead of throwing on a pod with missing or ill-typed fields", () => {
    expect(podTable.row({}, now)).to.deep.equal([
      "",
      "0/0",
      "",
      "0",
      "<unknown>",
      "<none>",
      "<none>",
      "<none>",
      "<none>",
    ]);
    const garbled: KubeObject = {
      metadata: { name: "x", creationTimestamp: 5 as unknown as string },
      spec: { containers: "app", initContainers: [7] },
      status: { phase: 3, containerStatuses: [null, { state: "running", restartCount: "2" }] },
    };
    expect(podTable.row(garbled, now)).to.deep.equal([
      "x",
      "0/0",
      "",
      "0",
      "<unknown>",
      "<none>",
      "<none>",
      "<none>",
      "<none>",
    ]);
  });
});
