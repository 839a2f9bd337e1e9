import type { Logger } from "../../lib/logger.js";
import { SpdyConnection } from "../../lib/spdy/connection.js";
import type { TerminalSize } from "../runtime/container/terminal-size.js";
import type { StreamSession } from "./endpoint-context.js";
import { runRemoteCommand, type RemoteProcess, type StreamOptions } from "./remote-command.js";
import { SpdyChannels, spdyRemoteCommandProtocols } from "./spdy-channels.js";
import { remoteCommandProtocols } from "./ws-channels.js";

/** An exec or attach as a session over either transport. */
export function remoteCommandSession(
  options: StreamOptions,
  start: (size: TerminalSize | undefined) => Promise<RemoteProcess>,
  logger: Logger,
): StreamSession {
  return {
    websocketProtocols: remoteCommandProtocols,
    spdyProtocols: spdyRemoteCommandProtocols,
    overWebSocket: (channels) => runRemoteCommand(channels, options, start, logger),
    async overSpdy(socket, head, protocol) {
      const connection = new SpdyConnection(socket, "server", head);
      const channels = await SpdyChannels.accept(connection, protocol, options);
      await runRemoteCommand(channels, options, start, logger);
    },
  };
}
