import { parseNetDevCounters, readNetDevOf, type InterfaceCounters } from "./cadvisor/net-dev.js";

/** One interface's counters, as the kubelet's Summary API names them. */
export interface InterfaceStats {
  name: string;
  rxBytes: number;
  rxErrors: number;
  txBytes: number;
  txErrors: number;
}

function summaryInterface(c: InterfaceCounters): InterfaceStats {
  return {
    name: c.name,
    rxBytes: c.rxBytes,
    rxErrors: c.rxErrors,
    txBytes: c.txBytes,
    txErrors: c.txErrors,
  };
}

/** /proc/net/dev text as per-interface counters (loopback left out, as the kubelet does). */
export function parseNetDev(text: string): InterfaceStats[] {
  return parseNetDevCounters(text).map(summaryInterface);
}

/**
 * The network counters of the namespace process `pid` lives in (/proc/<pid>/net/dev shows the
 * process's own network namespace): a pod's, read through one of its containers. Undefined
 * when the process is gone.
 */
export async function readNetworkStats(
  pid: number,
  procRoot = "/proc",
): Promise<InterfaceStats[] | undefined> {
  return (await readNetDevOf(pid, procRoot))?.map(summaryInterface);
}
