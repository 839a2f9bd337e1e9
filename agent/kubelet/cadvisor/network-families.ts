import type { ContainerFamily } from "./family.js";
import type { InterfaceCounters } from "./net-dev.js";

type Counter = keyof Omit<InterfaceCounters, "name">;

function network(name: string, help: string, key: Counter): ContainerFamily {
  return {
    name,
    help,
    type: "counter",
    timestamped: true,
    extraLabel: "interface",
    values: (s) => (s.network ?? []).map((i) => ({ value: i[key], extra: i.name })),
  };
}

/** Per-interface counters of the pod's network namespace, as cAdvisor names them. */
export const networkFamilies: ContainerFamily[] = [
  network("container_network_receive_bytes_total", "Cumulative count of bytes received", "rxBytes"),
  network(
    "container_network_receive_packets_total",
    "Cumulative count of packets received",
    "rxPackets",
  ),
  network(
    "container_network_receive_packets_dropped_total",
    "Cumulative count of packets dropped while receiving",
    "rxDropped",
  ),
  network(
    "container_network_receive_errors_total",
    "Cumulative count of errors encountered while receiving",
    "rxErrors",
  ),
  network(
    "container_network_transmit_bytes_total",
    "Cumulative count of bytes transmitted",
    "txBytes",
  ),
  network(
    "container_network_transmit_packets_total",
    "Cumulative count of packets transmitted",
    "txPackets",
  ),
  network(
    "container_network_transmit_packets_dropped_total",
    "Cumulative count of packets dropped while transmitting",
    "txDropped",
  ),
  network(
    "container_network_transmit_errors_total",
    "Cumulative count of errors encountered while transmitting",
    "txErrors",
  ),
];
