import { expect } from "chai";
import type { CgroupStats } from "../../../../agent/runtime/cgroups/stats.js";
import { sampleCgroup } from "../../../../agent/runtime/stats/cgroup-sample.js";
import { CpuRateCache } from "../../../../agent/runtime/stats/cpu-rate-cache.js";
import {
  criCpuUsage,
  criFilesystemUsage,
  criMemoryUsage,
  criProcessUsage,
} from "../../../../agent/runtime/stats/cri-usage.js";

function stats(over: { cpu?: CgroupStats["cpu"]; memory?: CgroupStats["memory"] } = {}) {
  return { cpu: over.cpu ?? {}, memory: over.memory ?? {}, pids: {} } satisfies CgroupStats;
}

const sample = (s: CgroupStats, usageNanoCores?: number) => ({
  timestamp: "1700000000000000001",
  stats: s,
  ...(usageNanoCores !== undefined ? { usageNanoCores } : {}),
});

describe("cgroup samples → CRI usage messages", () => {
  it("maps cumulative CPU time and the rate, with the sample's timestamp", () => {
    expect(
      criCpuUsage(sample(stats({ cpu: { usageNs: 123_456_789 } }), 250_000_000)),
    ).to.deep.equal({
      timestamp: "1700000000000000001",
      usage_core_nano_seconds: { value: "123456789" },
      usage_nano_cores: { value: "250000000" },
    });
  });

  it("leaves what the host could not read absent rather than 0", () => {
    const cpu = criCpuUsage(sample(stats()));
    expect(cpu.usage_core_nano_seconds).to.equal(null);
    expect(cpu.usage_nano_cores).to.equal(null);
    const memory = criMemoryUsage(sample(stats()));
    expect(memory.working_set_bytes).to.equal(null);
    expect(memory.available_bytes).to.equal(null);
    expect(criProcessUsage(sample(stats()), undefined).process_count).to.equal(null);
  });

  it("maps memory, with available bytes = limit − working set only when limited", () => {
    const memory = {
      usageBytes: 10_000_000,
      workingSetBytes: 8_000_000,
      rssBytes: 6_000_000,
      pageFaults: 1234,
      majorPageFaults: 5,
    };
    expect(
      criMemoryUsage(sample(stats({ memory: { ...memory, limitBytes: 64 << 20 } }))),
    ).to.deep.equal({
      timestamp: "1700000000000000001",
      working_set_bytes: { value: "8000000" },
      available_bytes: { value: String((64 << 20) - 8_000_000) },
      usage_bytes: { value: "10000000" },
      rss_bytes: { value: "6000000" },
      page_faults: { value: "1234" },
      major_page_faults: { value: "5" },
    });
    expect(criMemoryUsage(sample(stats({ memory }))).available_bytes).to.equal(null);
    const over = { ...memory, workingSetBytes: 70 << 20, limitBytes: 64 << 20 };
    expect(criMemoryUsage(sample(stats({ memory: over }))).available_bytes).to.deep.equal({
      value: "0",
    });
  });

  it("maps the writable layer on the named filesystem and the process count", () => {
    expect(
      criFilesystemUsage({ timestamp: "5", usedBytes: 4096, inodesUsed: 3 }, "/var/lib/berth"),
    ).to.deep.equal({
      timestamp: "5",
      fs_id: { mountpoint: "/var/lib/berth" },
      used_bytes: { value: "4096" },
      inodes_used: { value: "3" },
    });
    expect(criProcessUsage(sample(stats()), 4)).to.deep.equal({
      timestamp: "1700000000000000001",
      process_count: { value: "4" },
    });
  });

  it("samples a cgroup twice to get a rate, keyed by the cgroup path", async () => {
    const usage = new Map([
      ["/p/a", 1_000_000],
      ["/p/other", 50_000_000],
    ]);
    const cgroups = { stats: async (p: string) => stats({ cpu: { usageNs: usage.get(p) } }) };
    const rates = new CpuRateCache();
    const started = process.hrtime.bigint();
    const first = await sampleCgroup(cgroups, rates, "/p/a");
    expect(first.usageNanoCores).to.equal(undefined);
    expect(first.stats.cpu.usageNs).to.equal(1_000_000);
    await new Promise((r) => setTimeout(r, 25));
    usage.set("/p/a", 21_000_000);
    const second = await sampleCgroup(cgroups, rates, "/p/a");
    const elapsed = Number(process.hrtime.bigint() - started);
    // 20 ms of CPU between readings at least 20 ms and at most `elapsed` apart.
    expect(second.usageNanoCores).to.be.at.least(Math.floor((20_000_000 * 1e9) / elapsed));
    expect(second.usageNanoCores).to.be.at.most(1e9);
    expect(BigInt(second.timestamp) > BigInt(first.timestamp)).to.equal(true);
    expect((await sampleCgroup(cgroups, rates, "/p/other")).usageNanoCores).to.equal(undefined);
  });
});
