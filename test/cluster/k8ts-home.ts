// The $K8TS_HOME of launcher tests: one directory shared by every test file (and by test runs
// going on at the same time), as a user's ~/.k8ts is shared by their clusters — so the port
// choice of clusters created at once is exercised. Each test gets cluster names with a suffix of
// its own and deletes only those (with `k8ts delete`), never another test's clusters.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { K8TS_BIN } from '../../packages/cli/src/cluster/k8ts-bin.ts';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const KUBECTL = path.join(path.dirname(fs.realpathSync('/usr/bin/kubectl')), 'kubectl.1.32');

function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number, stdin?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (stdin !== undefined) child.stdin!.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

export class K8tsHome {
  readonly dir = path.join(os.tmpdir(), 'k8ts-test-home');
  private readonly suffix = randomBytes(3).toString('hex');
  private readonly names = new Set<string>();

  /** A cluster name of this test's own: "life" → "life-3fa9c1". */
  cluster(base: string): string {
    const name = `${base}-${this.suffix}`;
    this.names.add(name);
    return name;
  }

  /** `k8ts ARGS` with K8TS_HOME set to this home. */
  k8ts(args: string[], timeoutMs = 180_000): Promise<RunResult> {
    return run(process.execPath, [K8TS_BIN, ...args], { K8TS_HOME: this.dir }, timeoutMs);
  }

  /** `k8ts ARGS`, failing with its output unless it exits 0. */
  async ok(args: string[], timeoutMs?: number): Promise<string> {
    const result = await this.k8ts(args, timeoutMs);
    if (result.code !== 0) throw new Error(`k8ts ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    return result.stdout;
  }

  clusterDir(name: string): string {
    return path.join(this.dir, name);
  }

  adminKubeconfig(name: string): string {
    return path.join(this.clusterDir(name), 'admin.kubeconfig');
  }

  /** kubectl 1.32 as the cluster's admin, with a cache of its own; `stdin` feeds `-f -`. */
  kubectl(name: string, args: string[], options: { kubeconfig?: string; stdin?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    const kubeconfig = options.kubeconfig ?? this.adminKubeconfig(name);
    const cache = path.join(this.dir, `.kube-cache-${name}`);
    return run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cache, ...args], { HOME: this.dir }, options.timeoutMs ?? 30_000, options.stdin);
  }

  async kubectlOk(name: string, args: string[], options: { stdin?: string; timeoutMs?: number } = {}): Promise<string> {
    const result = await this.kubectl(name, args, options);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    return result.stdout;
  }

  /** processes.json of a cluster: the supervisor's record of its processes. */
  processes(name: string): { supervisor: { pid: number }; components: Array<{ name: string; pid?: number; restarts: number; readyAt?: string }> } {
    return JSON.parse(fs.readFileSync(path.join(this.clusterDir(name), 'processes.json'), 'utf8'));
  }

  /** Deletes this test's clusters (and kubectl caches); the home goes once no cluster is left. */
  async cleanup(): Promise<void> {
    for (const name of this.names) {
      if (fs.existsSync(this.clusterDir(name))) await this.k8ts(['delete', '--name', name]);
      fs.rmSync(path.join(this.dir, `.kube-cache-${name}`), { recursive: true, force: true });
    }
    try {
      fs.rmdirSync(this.dir);
    } catch {
      // other tests' clusters (or their lock) are still there
    }
  }
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
