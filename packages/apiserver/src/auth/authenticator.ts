// Who is asking. Over the insecure port every request is the unsecured admin (kubectl sends
// no credentials over http, contract §10). Over TLS: a bearer token from --token-auth-file,
// else a client certificate verified against --client-ca-file (CN = user, O = groups), else
// system:anonymous.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from '../registry/strategy.ts';
import { errors } from '../http/api-error.ts';

export const UNSECURED_USER: UserInfo = { username: 'system:unsecured', groups: ['system:masters', 'system:authenticated'] };
const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** Parses a kube-apiserver token file: token,user,uid,"group1,group2" per line. */
export function parseTokenFile(text: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = splitCsv(line);
    if (fields.length < 3) throw new Error(`token file line ${index + 1}: want token,user,uid[,"groups"]`);
    const [token, username, uid, groups] = fields;
    tokens.set(token!, {
      username: username!,
      uid: uid!,
      groups: [...(groups ? groups.split(',').filter(Boolean) : []), 'system:authenticated'],
    });
  }
  return tokens;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of line.trim()) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

export class Authenticator {
  private readonly tokens: Map<string, UserInfo>;

  constructor(options: { tokenAuthFile?: string; anonymousAuth: boolean }) {
    this.tokens = options.tokenAuthFile ? parseTokenFile(readFileSync(options.tokenAuthFile, 'utf8')) : new Map();
    this.anonymous = options.anonymousAuth;
  }

  private readonly anonymous: boolean;

  authenticate(request: IncomingMessage, secure: boolean): UserInfo {
    if (!secure) return UNSECURED_USER;
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(.+)$/i.exec(header);
      const user = match ? this.tokens.get(match[1]!.trim()) : undefined;
      if (!user) throw errors.unauthorized();
      return user;
    }
    const socket = request.socket as TLSSocket;
    if (socket.authorized) {
      const cert = socket.getPeerCertificate();
      const subject = cert.subject as unknown as Record<string, string | string[]> | undefined;
      const cn = subject?.CN;
      if (typeof cn === 'string' && cn) {
        const org = subject?.O;
        const groups = Array.isArray(org) ? org : org ? [org] : [];
        return { username: cn, groups: [...groups, 'system:authenticated'] };
      }
    }
    if (!this.anonymous) throw errors.unauthorized();
    return ANONYMOUS;
  }
}

