import type { AttachTarget } from "../../streaming/attach-endpoint.js";
import type { StreamOptions } from "../../streaming/remote-command.js";

/** What an Exec, Attach or PortForward call asked for, kept until its client connects. */
export type CriStreamRequest =
  | { kind: "exec"; containerId: string; cmd: string[]; options: StreamOptions }
  | { kind: "attach"; target: AttachTarget; options: StreamOptions }
  | {
      kind: "portforward";
      /** The sandbox, for messages ("error forwarding port 80 to pod …"). */
      sandboxId: string;
      /** Its pinned network namespace; undefined for a pod on the host's network. */
      netnsPath?: string;
      ports: number[];
    };

/** Hands out the streaming URL for a request. */
export interface CriStreaming {
  url(request: CriStreamRequest): string;
}
