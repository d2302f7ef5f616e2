// The Authorization header of every request: a bearer token (fixed, or read from a file that is
// re-read each minute because service-account tokens are rotated in place), or basic auth.
// Client certificates travel in the TLS handshake instead (see transport.ts).
import { readFileSync } from 'node:fs';
import type { Clock } from './clock.ts';
import type { RestConfig } from './rest-config.ts';

/** client-go's cached file token source re-reads the file after this long. */
const TOKEN_FILE_REFRESH_MS = 60_000;

export class Credentials {
  private fileToken: string | undefined;
  private readAt = -Infinity;

  constructor(
    private readonly config: Pick<RestConfig, 'bearerToken' | 'bearerTokenFile' | 'username' | 'password'>,
    private readonly clock: Clock,
    private readonly readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
  ) {}

  authorization(): string | undefined {
    const token = this.token();
    if (token) return `Bearer ${token}`;
    const { username, password } = this.config;
    if (username || password) return `Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64')}`;
    return undefined;
  }

  private token(): string | undefined {
    const file = this.config.bearerTokenFile;
    if (!file) return this.config.bearerToken;
    const now = this.clock.now();
    if (now - this.readAt >= TOKEN_FILE_REFRESH_MS) {
      try {
        this.fileToken = this.readFile(file).trim();
        this.readAt = now;
      } catch (err) {
        // Keep using the token we have; with none yet, the request cannot be authenticated.
        if (this.fileToken === undefined) throw new Error(`failed to read token file ${JSON.stringify(file)}: ${(err as Error).message}`);
      }
    }
    return this.fileToken;
  }
}
