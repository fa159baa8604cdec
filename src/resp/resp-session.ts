// One proxied Redis connection seen as commands: decides each request by the proxy's rules and keeps replies in request
// order.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { ReplyQueue } from './reply-queue.ts';
import { ReplyScanner } from './reply-scanner.ts';
import { RequestScanner, type CommandView } from './request-scanner.ts';
import type { RedisRuleSet } from './redis-rule.ts';
import {
  clusterAddressCommands,
  rewriteClusterReply,
  rewriteRedirect,
  type AddressRewrite,
} from './address-rewrite.ts';

/** After these the connection stops being request/reply (pub/sub, MONITOR, replication): it passes unparsed. */
const streamingCommands = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'MONITOR', 'SYNC', 'PSYNC']);
const streamingLengths = new Set([...streamingCommands, 'CLIENT'].map((name) => name.length));

function isStreaming(name: string, command: CommandView): boolean {
  return streamingCommands.has(name) || (name === 'CLIENT' && command.key()?.toUpperCase() === 'REPLY');
}

/** The client socket as the upstream link's source: emits only the request bytes that are forwarded. */
export class RequestGate extends EventEmitter {
  private readonly client: Socket;
  constructor(client: Socket, session: RespSession) {
    super();
    this.client = client;
    client.on('data', (data: Buffer) => session.onRequestData(data));
    client.on('end', () => this.emit('end'));
    client.on('close', () => this.emit('close'));
  }
  pause(): void {
    this.client.pause();
  }
  resume(): void {
    this.client.resume();
  }
  isPaused(): boolean {
    return this.client.isPaused();
  }
}

/** The client socket as the downstream link's sink: server replies go through the reply queue. */
export class ReplyGate extends EventEmitter {
  private readonly client: Socket;
  private readonly session: RespSession;
  constructor(client: Socket, session: RespSession) {
    super();
    this.client = client;
    this.session = session;
    client.on('drain', () => this.emit('drain'));
  }
  write(data: Buffer): boolean {
    this.session.onReplyData(data);
    return !this.client.writableNeedDrain;
  }
  get writableNeedDrain(): boolean {
    return this.client.writableNeedDrain;
  }
  get destroyed(): boolean {
    return this.client.destroyed;
  }
}

export class RespSession {
  readonly requests: RequestGate;
  readonly replies: ReplyGate;
  private readonly client: Socket;
  private readonly rules: RedisRuleSet;
  private readonly requestScanner = new RequestScanner();
  private readonly replyScanner = new ReplyScanner();
  private readonly queue: ReplyQueue;
  /** Requests pass unparsed from now on (a streaming command or a protocol error was forwarded). */
  private requestsRaw = false;
  /** A close or drop rule fired: later requests are swallowed. */
  private swallowing = false;
  /** Address rewriting: the pieces of an error reply (a possible MOVED/ASK) cut by a chunk boundary. */
  private errorParts: Buffer[] | null = null;

  constructor(client: Socket, rules: RedisRuleSet, closeConnection: () => void) {
    this.client = client;
    this.rules = rules;
    this.queue = new ReplyQueue({ write: (data) => void this.writeClient(data), closeConnection });
    this.requests = new RequestGate(client, this);
    this.replies = new ReplyGate(client, this);
  }

  onRequestData(data: Buffer): void {
    if (this.requestsRaw) {
      this.requests.emit('data', data);
      return;
    }
    if (this.swallowing || this.queue.hung) return;
    const specialBefore = this.queue.special;
    this.requestScanner.scan(data, this.decide, this.forwardRequest);
    if (this.requestScanner.broken && !this.requestsRaw) {
      this.requestsRaw = true;
      this.queue.add('raw');
    }
    // An injected error or a close needs no server reply: it may be due now.
    if (this.queue.special !== specialBefore) this.queue.pump();
  }

  onReplyData(data: Buffer): void {
    const queue = this.queue;
    if (queue.raw) {
      this.writeClient(data);
      return;
    }
    const rewrite = this.rules.rewrite;
    if (rewrite) {
      this.onReplyRewriting(data, rewrite);
      return;
    }
    if (queue.special === 0 && !queue.hung) {
      // Fast path: only pass-through commands are outstanding; count replies and forward the chunk as it came.
      this.replyScanner.scan(data, this.countPass);
      this.writeClient(data);
      return;
    }
    let from = 0;
    this.replyScanner.scan(data, (end, isPush) => {
      const piece = data.subarray(from, end);
      from = end;
      if (isPush) {
        queue.pump();
        this.writeClient(piece);
      } else {
        queue.assign(piece, true);
      }
    });
    if (from < data.length) queue.assign(data.subarray(from), false);
    queue.pump();
  }

  /**
   * Address rewriting: every top-level error reply is collected whole (it is one line) and a MOVED/ASK in it
   * rewritten. While only pass-through commands are outstanding, the rest of each chunk is written as it came (in
   * the pieces between errors); otherwise the general path.
   */
  private onReplyRewriting(data: Buffer, rewrite: AddressRewrite): void {
    const queue = this.queue;
    if (queue.special !== 0 || queue.hung) {
      this.onReplyRewritingQueued(data, rewrite);
      return;
    }
    let from = 0;
    let errorStart = this.errorParts || (this.replyScanner.atBoundary && data[0] === 0x2d) ? 0 : -1;
    this.replyScanner.scan(data, (end, isPush) => {
      if (!isPush) queue.passReplied();
      if (errorStart >= 0) {
        if (errorStart > from) this.writeClient(data.subarray(from, errorStart));
        this.writeClient(this.redirect(data.subarray(errorStart, end), rewrite));
        from = end;
        errorStart = -1;
      }
      if (end < data.length && data[end] === 0x2d) errorStart = end;
    });
    if (errorStart >= 0) {
      if (errorStart > from) this.writeClient(data.subarray(from, errorStart));
      (this.errorParts ??= []).push(data.subarray(errorStart));
    } else if (from < data.length) {
      this.writeClient(data.subarray(from));
    }
  }

  /** The general path with the same error handling: replies go through the queue. */
  private onReplyRewritingQueued(data: Buffer, rewrite: AddressRewrite): void {
    const queue = this.queue;
    let from = 0;
    let inError = this.errorParts !== null || (this.replyScanner.atBoundary && data[0] === 0x2d);
    this.replyScanner.scan(data, (end, isPush) => {
      let piece = data.subarray(from, end);
      from = end;
      if (inError) piece = this.redirect(piece, rewrite);
      inError = end < data.length && data[end] === 0x2d;
      if (isPush) {
        queue.pump();
        this.writeClient(piece);
      } else {
        queue.assign(piece, true);
      }
    });
    if (from < data.length) {
      const rest = data.subarray(from);
      if (inError) (this.errorParts ??= []).push(rest);
      else queue.assign(rest, false);
    }
    queue.pump();
  }

  /** The end of an error reply (with its earlier pieces, if it was cut): a MOVED/ASK comes back rewritten. */
  private redirect(last: Buffer, rewrite: AddressRewrite): Buffer {
    let frame = last;
    if (this.errorParts) {
      this.errorParts.push(last);
      frame = Buffer.concat(this.errorParts);
      this.errorParts = null;
    }
    const book = rewrite.book(this.client.localAddress);
    const rewritten = rewriteRedirect(frame, book);
    rewrite.record(book, rewritten !== frame, frame);
    return rewritten;
  }

  /** A CLUSTER SLOTS/SHARDS/NODES/REPLICAS command while rewriting is on: its reply's addresses get rewritten. */
  private clusterTransform(command: CommandView): ((reply: Buffer) => Buffer) | undefined {
    const rewrite = this.rules.rewrite;
    if (!rewrite || command.nameLength !== 7 || command.name() !== 'CLUSTER') return undefined;
    const subcommand = command.key()?.toUpperCase();
    if (subcommand === undefined || !clusterAddressCommands.has(subcommand)) return undefined;
    return (reply) => {
      const book = rewrite.book(this.client.localAddress);
      const rewritten = rewriteClusterReply(subcommand, reply, book);
      rewrite.record(book, rewritten !== reply);
      return rewritten;
    };
  }

  stop(): void {
    this.queue.stop();
  }

  private readonly countPass = (_end: number, isPush: boolean): void => {
    if (!isPush) this.queue.passReplied();
  };

  private readonly forwardRequest = (data: Buffer): void => {
    this.requests.emit('data', data);
  };

  private readonly decide = (command: CommandView, expectsReply: boolean): boolean => {
    if (this.swallowing || this.queue.hung) return false;
    if (!expectsReply || this.requestsRaw) return true;
    // Names are decoded only when a rule or a streaming command could care (GET and SET never are streaming).
    if (streamingLengths.has(command.nameLength) && isStreaming(command.name(), command)) {
      this.requestsRaw = true;
      this.queue.add('raw');
      return true;
    }
    const rule = this.rules.rules.length > 0 ? this.rules.match(command.name(), command.key()) : undefined;
    const transform = this.rules.rewrite ? this.clusterTransform(command) : undefined;
    if (!rule) {
      if (transform) this.queue.add('rewrite', undefined, transform);
      else this.queue.addPass();
      return true;
    }
    switch (rule.action) {
      case 'error':
        this.queue.add('error', rule);
        return false;
      case 'delay':
        this.queue.add('delay', rule, transform);
        return true;
      case 'drop':
        this.queue.add('drop', rule);
        this.swallowing = true;
        return true;
      case 'close':
        this.queue.add('close', rule);
        this.swallowing = true;
        return false;
    }
  };

  private writeClient(data: Buffer): boolean {
    if (this.client.destroyed) return true;
    return this.client.write(data);
  }
}
