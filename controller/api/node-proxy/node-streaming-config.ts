/** How the controller reaches agents' streaming APIs (kube-apiserver's --kubelet-* flags). */
export interface NodeStreamingConfig {
  /** PEM: the client certificate and key the controller shows agents; the CA their serving
   * certificates must chain to, or undefined to accept any (agents sign their own by default). */
  tls: { cert: string; key: string; ca?: string };
  /** Node address types in order of preference: the first the node reports is dialled. */
  preferredAddressTypes: string[];
  /** The agent's port when a node reports none (kubelet's 10250). */
  defaultPort: number;
  /** Connecting to an agent (TCP and TLS) gives up after this long. */
  dialTimeoutMs: number;
}

/** kubeadm's --kubelet-preferred-address-types: reachable addresses first, the name last. */
export const defaultPreferredAddressTypes = ["InternalIP", "ExternalIP", "Hostname"];

export const nodeAddressTypes = [
  "Hostname",
  "InternalIP",
  "ExternalIP",
  "InternalDNS",
  "ExternalDNS",
];

export const defaultKubeletPort = 10250;
