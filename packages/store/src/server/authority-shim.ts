// Why this exists: etcdctl 3.4 (through its Go gRPC client) dials the endpoint
// `http://127.0.0.1:2379` with that whole URL as the gRPC target, so some of its requests carry
// `:authority: http://127.0.0.1:2379`. Real etcd (Go's HTTP/2 server) accepts that. Node's
// HTTP/2 server (nghttp2, under grpc-js) checks :authority and `host` against the characters
// an authority may contain, finds the '/', and resets the stream with PROTOCOL_ERROR, so
// `etcdctl --endpoints=http://... endpoint status` fails. Neither nghttp2 nor grpc-js can be
// told to relax that check.
//
// So each client connection passes through a RequestHeaderRewriter before the HTTP/2 server
// sees it: in every request's header block, an :authority or host that is not an authority is
// repaired (the scheme, userinfo and path are dropped). Everything else passes through
// unchanged, and the server's responses go to the client untouched.
import type net from 'node:net';
import { Duplex } from 'node:stream';
import type { HeaderField } from './hpack.ts';
import { RequestHeaderRewriter } from './http2-request-rewriter.ts';

/**
 * The characters nghttp2 accepts in :authority and host: those of an RFC 3986 authority
 * (unreserved, pct-encoded, sub-delims, ':', '[', ']'), except the '@' of userinfo, which RFC
 * 9113 section 8.3.1 forbids in :authority.
 */
const AUTHORITY = /^[A-Za-z0-9\-._~%!$&'()*+,;=:[\]]*$/;
const SCHEME_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * `value` if it is an authority, otherwise the host[:port] inside it when it is a URL such as
 * `http://127.0.0.1:2379/`. A value that cannot be repaired is returned as it is, and the
 * server refuses the request as it would have without the shim.
 */
export function repairAuthority(value: string): string {
  if (AUTHORITY.test(value)) return value;
  const authority = value.replace(SCHEME_PREFIX, '').split(/[/?#]/, 1)[0];
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  return AUTHORITY.test(hostAndPort) ? hostAndPort : value;
}

/** The header list with its :authority and host repaired. */
export function repairAuthorities(fields: HeaderField[]): HeaderField[] {
  return fields.map((field) =>
    field.name === ':authority' || field.name === 'host' ? { ...field, value: repairAuthority(field.value) } : field,
  );
}

/**
 * A client connection as the HTTP/2 server should see it: reading yields what the client sent,
 * with authorities repaired; writing sends to the client unchanged. A client that breaks the
 * HTTP/2 framing or header compression loses its connection (the server never sees the rest).
 */
export class AuthorityRepairingConnection extends Duplex {
  private readonly rewriter = new RequestHeaderRewriter(repairAuthorities);

  constructor(private readonly socket: net.Socket) {
    super();
    socket.on('data', (chunk: Buffer) => this.fromClient(chunk));
    socket.on('end', () => this.push(null));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  private fromClient(chunk: Buffer): void {
    let toServer: Buffer[];
    try {
      toServer = this.rewriter.push(chunk);
    } catch {
      this.destroy();
      return;
    }
    let wantsMore = true;
    for (const buffer of toServer) wantsMore = this.push(buffer) && wantsMore;
    if (!wantsMore) this.socket.pause();
  }

  override _read(): void {
    this.socket.resume();
  }

  /**
   * The HTTP/2 session writes several buffers at a time; corking sends them in one syscall.
   * A write is done as soon as the socket has it, unless its buffer is full: then once it drains.
   */
  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.socket.cork();
    let hasRoom = true;
    for (const { chunk } of chunks) hasRoom = this.socket.write(chunk);
    this.socket.uncork();
    if (hasRoom) callback();
    else this.socket.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}
