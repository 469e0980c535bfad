// Socket fan-out of the live hub: one serialized message per audience goes to every socket of it, a
// few sockets per turn of the event loop, and a socket that cannot keep up skips to the newest.
/** The part of a `ws` WebSocket the hub uses (`ws` ships no type declarations of its own). */
export interface LiveSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string, cb?: (err?: Error) => void): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'pong' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** `ws` ready states. */
export const OPEN = 1;
export const CLOSED = 3;

/** Sockets sent to per turn of the event loop (see broadcast). */
const BROADCAST_CHUNK = 50;

export interface Sent {
  version: number;
  /** The audience payload as JSON, to recognise a rebuild that changed nothing for it. */
  body: string;
  message: string;
}

/** A socket and the newest version it was sent. */
export interface Receiver {
  readonly socket: LiveSocket;
  lastVersion: number;
}

export interface AudienceState<C extends Receiver> {
  clients: Set<C>;
  /** Latest snapshot of the audience; dropped when its last client leaves (it would go stale). */
  last: Sent | null;
}

export interface SendStats {
  sent: number;
  skipped: number;
}

export interface Sender {
  /** Sends a message of this socket alone (hello, pong), if it is open. */
  sendRaw(c: Receiver, message: string): void;
  /** Sends the audience's latest message unless the client has it or cannot take it now. */
  sendLatest<C extends Receiver>(c: C, st: AudienceState<C>): void;
  /** Sends the audience's latest message to all of its sockets. */
  broadcast<C extends Receiver>(st: AudienceState<C>): void;
}

export function createSender(options: {
  /** A socket with more unsent bytes than this skips snapshots until it drains. */
  maxBufferedBytes: number;
  /** Counted into (the hub's stats). */
  stats: SendStats;
  /** True once the hub closes: a broadcast under way stops. */
  stopped: () => boolean;
}): Sender {
  const { maxBufferedBytes, stats, stopped } = options;

  const sendRaw = (c: Receiver, message: string): void => {
    if (c.socket.readyState === OPEN) c.socket.send(message);
  };

  const sendLatest = <C extends Receiver>(c: C, st: AudienceState<C>): void => {
    const last = st.last;
    if (!last || c.lastVersion >= last.version || c.socket.readyState !== OPEN) return;
    if (c.socket.bufferedAmount > maxBufferedBytes) {
      // Never queue unboundedly: this socket gets the newest snapshot once its buffer drains.
      stats.skipped++;
      return;
    }
    c.lastVersion = last.version;
    stats.sent++;
    c.socket.send(last.message, (err) => {
      // A newer snapshot may have been skipped while this one was in flight: catch up now.
      if (!err && st.last && c.lastVersion < st.last.version) sendLatest(c, st);
    });
  };

  // A send costs the event loop a syscall (on loopback also the receiver's TCP work): 2,000 sockets
  // in one go held it for ~100 ms, during which no score was acknowledged. So a broadcast goes out
  // BROADCAST_CHUNK sockets per turn of the loop; requests and database replies get a turn in between.
  // Later chunks send whatever is latest by then (sendLatest), never an outdated snapshot.
  const broadcast = <C extends Receiver>(st: AudienceState<C>): void => {
    const clients = [...st.clients];
    let i = 0;
    const step = (): void => {
      const end = Math.min(i + BROADCAST_CHUNK, clients.length);
      for (; i < end; i++) sendLatest(clients[i]!, st);
      if (i < clients.length && !stopped()) setImmediate(step);
    };
    step();
  };

  return { sendRaw, sendLatest, broadcast };
}
