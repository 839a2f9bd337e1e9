import type { NodeFacts } from "../../agent/kubelet/node/node-facts.js";

/** Fixed node facts for unit tests of registration and status. */
export const testNodeFacts: NodeFacts = {
  nodeName: "node-1",
  hostname: "host-1",
  capacity: { cpu: "2", memory: "2048000Ki", pods: "110", "ephemeral-storage": "1000000Ki" },
  allocatable: { cpu: "2", memory: "1945600Ki", pods: "110", "ephemeral-storage": "921600000" },
  nodeInfo: {
    operatingSystem: "linux",
    architecture: "amd64",
    containerRuntimeVersion: "berth://0",
  },
  addresses: [
    { type: "InternalIP", address: "192.0.2.1" },
    { type: "Hostname", address: "host-1" },
  ],
  daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
};
