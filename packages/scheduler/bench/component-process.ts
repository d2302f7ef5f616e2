// One k8ts component process of the bench cluster (scheduler, controller-manager, hollow nodes):
// started with its output in a log file (nothing for the bench to drain while it measures),
// stopped by its PID — SIGTERM, so that it exits cleanly and a --cpu-prof profile is written,
// then SIGKILL if it has not gone after a grace period.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { K8TS_BIN } from '../../store/test/support/binaries.ts';

const STOP_GRACE_MS = 15_000;
const POLL_MS = 100;

export class ComponentProcess {
  private readonly exited: Promise<void>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        resolve();
      }),
    );
  }

  /** `node [nodeFlags] k8ts <args>`, its stdout and stderr appended to `logFile`. */
  static start(name: string, args: string[], logFile: string, nodeFlags: string[] = []): ComponentProcess {
    const out = fs.openSync(logFile, 'a');
    try {
      const child = spawn(process.execPath, [...nodeFlags, K8TS_BIN, ...args], { stdio: ['ignore', out, out] });
      return new ComponentProcess(name, child, logFile);
    } finally {
      fs.closeSync(out);
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The end of the log, for failure messages. */
  logTail(chars = 4_000): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').slice(-chars);
    } catch {
      return '';
    }
  }

  /** Waits until the log matches `pattern` and answers the match; fails if the process exits or time runs out. */
  async waitForLog(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.logTail(64_000));
      if (match) return match;
      if (!this.running) throw new Error(`${this.name} exited (code ${this.exitCode}) before it printed ${pattern}:\n${this.logTail()}`);
      if (performance.now() > deadline) throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs / 1000} s:\n${this.logTail()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
