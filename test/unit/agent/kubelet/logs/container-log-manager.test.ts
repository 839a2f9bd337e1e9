import { expect } from "chai";
import { setTimeout as sleep } from "node:timers/promises";
import { startContainerLogManager } from "../../../../../agent/kubelet/logs/container-log-manager.js";
import { silentLogger } from "../../../../../lib/logger.js";
import { waitFor } from "../../../../support/wait-for.js";

describe("agent/kubelet/logs container log manager", () => {
  const counting = () => {
    const seen = { passes: 0, running: 0, overlapped: false };
    const runtime = {
      containers: async () => {
        seen.passes++;
        if (seen.running++ > 0) seen.overlapped = true;
        await sleep(5);
        seen.running--;
        return [];
      },
      reopenContainerLog: async () => undefined,
    };
    return { seen, runtime };
  };

  it("runs a pass every monitor interval until stopped", async () => {
    const { seen, runtime } = counting();
    const manager = startContainerLogManager({
      runtime,
      policy: { maxSizeBytes: 1000, maxFiles: 2, monitorIntervalMs: 20 },
      logger: silentLogger(),
    });
    try {
      await waitFor("three passes", async () => seen.passes >= 3 || undefined, 5_000);
    } finally {
      await manager.stop();
    }
    const after = seen.passes;
    await sleep(80);
    expect(seen.passes).to.equal(after);
  });

  it("runs passes asked for while one is in flight one after the other", async () => {
    const { seen, runtime } = counting();
    const manager = startContainerLogManager({
      runtime,
      policy: { maxSizeBytes: 1000, maxFiles: 2, monitorIntervalMs: 60_000 },
      logger: silentLogger(),
    });
    await Promise.all([manager.rotateLogs(), manager.rotateLogs(), manager.rotateLogs()]);
    await manager.stop();
    expect(seen.passes).to.equal(3);
    expect(seen.overlapped).to.equal(false);
  });

  it("keeps going after a pass fails", async () => {
    let calls = 0;
    const manager = startContainerLogManager({
      runtime: {
        containers: async () => {
          calls++;
          throw new Error("runtime unavailable");
        },
        reopenContainerLog: async () => undefined,
      },
      policy: { maxSizeBytes: 1000, maxFiles: 2, monitorIntervalMs: 10 },
      logger: silentLogger(),
    });
    try {
      await waitFor("two failing passes", async () => calls >= 2 || undefined, 5_000);
    } finally {
      await manager.stop();
    }
  });
});
