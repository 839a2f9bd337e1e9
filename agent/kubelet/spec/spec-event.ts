/** An event kubelet would record while building a config; the sync layer posts it on the pod. */
export interface SpecEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}
