// Runs the real kubectl binaries (1.27–1.33 are installed side by side) against a test
// control plane, each client with its own kubeconfig and a fresh discovery cache.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const KUBECTL_DIR = path.dirname(fs.realpathSync('/usr/bin/kubectl'));

export const KUBECTL_VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'] as const;
export type KubectlVersion = (typeof KUBECTL_VERSIONS)[number];

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A kubectl process still running (see Kubectl.start). */
export interface KubectlProcess {
  /** resolves when the process has exited */
  readonly exited: Promise<KubectlResult>;
  /** what it has printed on stdout so far */
  output(): string;
  kill(signal?: NodeJS.Signals): void;
  /** resolves once `predicate(stdout, stderr)` holds; fails with the output if it never does */
  waitFor(predicate: (stdout: string, stderr: string) => boolean, timeoutMs?: number): Promise<void>;
  /** stops it (SIGTERM) and resolves with everything it printed */
  stop(): Promise<KubectlResult>;
}

export class Kubectl {
  readonly home: string;
  private readonly kubeconfig: string;

  constructor(server: string, readonly version: KubectlVersion = '1.32') {
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), `kubectl-${version}-`));
    this.kubeconfig = path.join(this.home, 'config');
    fs.writeFileSync(
      this.kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: k8ts',
        '  cluster:',
        `    server: ${server}`,
        'contexts:',
        '- name: k8ts',
        '  context:',
        '    cluster: k8ts',
        '    user: admin',
        '    namespace: default',
        'current-context: k8ts',
        'users:',
        '- name: admin',
        '  user: {}',
        '',
      ].join('\n'),
    );
  }

  get binary(): string {
    return path.join(KUBECTL_DIR, `kubectl.${this.version}`);
  }

  /** Runs kubectl; never throws for a non-zero exit (tests assert on it). */
  run(args: string[], options: { stdin?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<KubectlResult> {
    const child = this.start(args, options);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    return child.exited.finally(() => clearTimeout(timer));
  }

  /** Starts a long-running kubectl (`get -w`, `wait`): read its output while it runs, then stop it. */
  start(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): KubectlProcess {
    const child = spawn(this.binary, ['--kubeconfig', this.kubeconfig, '--cache-dir', path.join(this.home, 'cache'), ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.home, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (t: string) => (output.stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (output.stderr += t));
    const exited = new Promise<KubectlResult>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code: code ?? -1, ...output }));
    });
    child.stdin.end(options.stdin ?? '');
    return {
      exited,
      output: () => output.stdout,
      kill: (signal = 'SIGTERM') => void child.kill(signal),
      async waitFor(predicate, timeoutMs = 15_000) {
        const deadline = Date.now() + timeoutMs;
        while (!predicate(output.stdout, output.stderr)) {
          if (Date.now() > deadline || child.exitCode !== null) {
            throw new Error(`kubectl ${args.join(' ')}: output never matched\nstdout: ${output.stdout}\nstderr: ${output.stderr}`);
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      async stop() {
        child.kill('SIGTERM');
        return exited;
      },
    };
  }

  /** Runs kubectl and fails with its output unless it exits 0. */
  async ok(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    }
    return result.stdout;
  }

  cleanup(): void {
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

/** Splits `kubectl get` output into rows of whitespace-separated cells (header first). */
export function tableRows(output: string): string[][] {
  return output
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s{2,}/));
}
