import type { Socket } from 'node:net';
import { errorMessage } from '../errors/error-message';

/** The part of kafkajs' (2.2.x) internal Connection that the repair touches. */
interface KafkajsConnection {
  socket?: Socket | null;
  chunks: Buffer[];
  bytesBuffered: number;
  bytesNeeded: number;
  isConnected(): boolean;
  connect: (this: KafkajsConnection) => Promise<boolean>;
  processData: (this: KafkajsConnection, data: Buffer) => void;
}

const REPAIRED = Symbol.for('offline-sync.kafkajs-connection-repaired');

/** Bytes of a response's size field: what a connection waits for first. */
const SIZE_BYTES = 4;

function clearReceived(connection: KafkajsConnection): void {
  connection.chunks = [];
  connection.bytesBuffered = 0;
  connection.bytesNeeded = SIZE_BYTES;
}

/**
 * Repairs two faults of kafkajs' Connection (its pool reuses one per broker and purpose across
 * reconnects), once per process:
 *
 * - A reconnect keeps what the previous socket left half read (a response cut by a reset), and
 *   the previous socket still feeds the connection. The new socket's responses are then framed
 *   after stale bytes: a response "without match", then sizes that never arrive (every request on
 *   the connection times out, across consumer restarts) or that fall outside the buffer. Each
 *   socket now starts from an empty buffer, and a replaced socket is silenced and closed.
 * - Bytes that cannot be framed throw out of the socket's 'data' handler and end the process.
 *   They now fail the connection instead, as a network error, and kafkajs reconnects.
 */
export function repairKafkajsConnections(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Connection = require('kafkajs/src/network/connection') as {
    prototype: KafkajsConnection & { [REPAIRED]?: true };
  };
  const proto = Connection.prototype;
  if (proto[REPAIRED]) return;
  proto[REPAIRED] = true;

  const connect = proto.connect;
  proto.connect = function (this: KafkajsConnection): Promise<boolean> {
    if (!this.isConnected()) {
      const previous = this.socket;
      if (previous) {
        previous.removeAllListeners();
        previous.on('error', () => undefined);
        previous.destroy();
      }
      clearReceived(this);
    }
    return connect.call(this);
  };

  const processData = proto.processData;
  proto.processData = function (this: KafkajsConnection, data: Buffer): void {
    try {
      processData.call(this, data);
    } catch (error) {
      clearReceived(this);
      const reason = errorMessage(error);
      this.socket?.destroy(new Error(`response out of frame (${reason})`, { cause: error }));
    }
  };
}

repairKafkajsConnections();
