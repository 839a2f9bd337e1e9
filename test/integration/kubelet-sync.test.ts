import { expect } from "chai";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { silentLogger } from "../../lib/logger.js";
import type { Pod } from "../../agent/kube/types.js";
import type { KubeletRuntime } from "../../agent/kubelet/runtime/kubelet-runtime.js";
import { createKubeletSync, type KubeletSync } from "../../agent/kubelet/sync/kubelet-sync.js";
import {
  openTestKubeletRuntime,
  type TestKubeletRuntime,
} from "../support/in-process-kubelet-runtime.js";
import { requireIntegration } from "../support/prerequisites.js";
import type { TestNetwork } from "../support/test-network.js";
import { waitFor } from "../support/wait-for.js";
import { FakeApi, FakeVolumes } from "../unit/agent/kubelet/sync/fake-ports.js";
import { simpleSpec } from "../unit/agent/kubelet/sync/simple-spec.js";

describe("kubelet pod sync on the real runtime, in-process", function () {
  this.timeout(120_000);
  let env: TestKubeletRuntime | undefined;
  let network: TestNetwork | undefined;
  let runtime: KubeletRuntime;
  let sync: KubeletSync | undefined;
  const api = new FakeApi();
  const volumes = new FakeVolumes();
  const uid = `uid-${randomBytes(4).toString("hex")}`;
  const pod: Pod = {
    metadata: { name: "web", namespace: "kubelet-sync", uid },
    spec: {
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 5,
      containers: [
        {
          name: "app",
          image: "busybox:latest",
          imagePullPolicy: "IfNotPresent",
          command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"],
        },
      ],
    },
  };
  const status = () => api.lastStatus(uid);

  before(async function () {
    requireIntegration(this, ["runc", "conmon", "unshare", "nsenter"]);
    env = await openTestKubeletRuntime("kubelet-sync");
    ({ runtime, network } = env);
    sync = createKubeletSync({
      runtime,
      spec: simpleSpec(path.join(env.base.path, "logs")),
      volumes,
      api,
      hostIPs: () => ["127.0.0.1"],
      logger: silentLogger(),
      relistMs: 200,
    });
    sync.start();
  });

  after(async () => {
    await sync?.stop();
    await env?.remove();
  });

  it("runs a busybox pod to Running with its pod IP and container ID", async () => {
    sync!.workers.update(pod);
    const s = await waitFor("the pod to run", async () =>
      status()?.phase === "Running" && status()?.containerStatuses?.[0].state?.running
        ? status()
        : undefined,
    );
    expect(s!.podIP!.startsWith(network!.prefix)).to.equal(true);
    expect(s!.containerStatuses![0].containerID).to.match(/^berth:\/\/[0-9a-f]{12,}$/);
    expect(s!.containerStatuses![0]).to.deep.include({ ready: true, restartCount: 0 });
    expect(s!.conditions!.find((c) => c.type === "Ready")?.status).to.equal("True");
    expect(api.reasons()).to.include.members(["Pulled", "Created", "Started"]);
  });

  it("restarts the container when its process is killed, counting the restart", async () => {
    const id = status()!.containerStatuses![0].containerID!.replace("berth://", "");
    const { info } = await runtime.containerStatus({ container_id: id, verbose: true });
    process.kill(JSON.parse(info.info).pid as number, "SIGKILL");
    const s = await waitFor(
      "the restarted container",
      async () => {
        const c = status()?.containerStatuses?.[0];
        return c?.restartCount === 1 && c.state?.running ? status() : undefined;
      },
      30_000,
    );
    const c = s!.containerStatuses![0];
    expect(c.containerID).to.not.equal(`berth://${id}`);
    expect(c.lastState?.terminated).to.deep.include({
      exitCode: 137,
      containerID: `berth://${id}`,
    });
  });

  it("cleans up a pod being deleted: nothing of it is left in the runtime", async () => {
    sync!.workers.update({
      ...pod,
      metadata: {
        ...pod.metadata,
        deletionTimestamp: new Date().toISOString(),
        deletionGracePeriodSeconds: 5,
      },
    });
    await waitFor(
      "the deletion to be confirmed",
      async () => (api.deleted.length > 0 ? true : undefined),
      30_000,
    );
    expect(api.deleted).to.deep.equal([`kubelet-sync/web/${uid}`]);
    expect((await runtime.listPodSandbox({})).items).to.deep.equal([]);
    expect((await runtime.listContainers({})).containers).to.deep.equal([]);
    expect(volumes.tornDown).to.deep.equal([uid]);
    expect(status()!.phase).to.equal("Succeeded");
  });
});
