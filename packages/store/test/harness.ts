// Starts store members for tests: real etcd, or `k8ts store`, with the same etcd-style flags,
// on free ports of 127.0.0.1 — a single member here, several in cluster-harness.ts. Every
// process started here is stopped by its PID (and killed if the test process exits without
// stopping it).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EtcdClient } from '../src/client/etcd-client.ts';
import { findExecutable, K8TS_BIN } from './support/binaries.ts';
import { freePort } from './support/free-port.ts';

export type Target = 'etcd' | 'k8ts';

/** Who a member is within its cluster; a single member is "default" in a cluster of one. */
export interface MemberIdentity {
  name: string;
  /** The --initial-cluster value; undefined = just this member. */
  initialCluster?: string;
  /** The peer URL other members dial, when not the one it listens on (a proxy in between). */
  advertisePeerUrl?: string;
}

export interface MemberOptions {
  /** Defaults to a fresh temporary directory, removed by cleanup(). */
  dataDir?: string;
  /** More etcd-style flags, e.g. ['--quota-backend-bytes', '4194304']. */
  extraFlags?: string[];
  /** Picks the client and peer ports; defaults to freePort. */
  pickPort?: () => Promise<number>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const STDERR_TAIL_BYTES = 16_384;

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** The targets installed here; STORE_TARGETS=etcd,k8ts narrows the list. */
export function availableTargets(): Target[] {
  const installed: Target[] = [];
  if (findExecutable('etcd')) installed.push('etcd');
  if (fs.existsSync(K8TS_BIN)) installed.push('k8ts');
  const wanted = process.env.STORE_TARGETS?.split(',');
  return wanted ? installed.filter((target) => wanted.includes(target)) : installed;
}

export async function startMember(target: Target, options: MemberOptions = {}): Promise<Member> {
  const pickPort = options.pickPort ?? freePort;
  const clientPort = await pickPort();
  const peerPort = await pickPort();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `k8ts-${target}-`));
  const member = new Member(target, clientPort, peerPort, dataDir, ownsDataDir, options.extraFlags ?? [], { name: 'default' });
  try {
    await member.start();
  } catch (error) {
    await member.cleanup();
    throw error;
  }
  return member;
}

export class Member {
  readonly endpoint: string;
  readonly peerUrl: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stderr = '';
  private paused = false;

  constructor(
    readonly target: Target,
    readonly clientPort: number,
    readonly peerPort: number,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
    private readonly extraFlags: string[],
    readonly identity: MemberIdentity,
  ) {
    this.endpoint = `http://127.0.0.1:${clientPort}`;
    this.peerUrl = `http://127.0.0.1:${peerPort}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The flags both targets take. */
  flags(): string[] {
    const { name, initialCluster, advertisePeerUrl = this.peerUrl } = this.identity;
    return [
      '--name', name,
      '--data-dir', this.dataDir,
      '--listen-client-urls', this.endpoint,
      '--advertise-client-urls', this.endpoint,
      '--listen-peer-urls', this.peerUrl,
      '--initial-advertise-peer-urls', advertisePeerUrl,
      '--initial-cluster', initialCluster ?? `${name}=${advertisePeerUrl}`,
      ...this.extraFlags,
    ];
  }

  /** The same member (ports, data dir, identity) with more flags, for its next start. */
  withFlags(extra: string[]): Member {
    return new Member(this.target, this.clientPort, this.peerPort, this.dataDir, this.ownsDataDir, [...this.extraFlags, ...extra], this.identity);
  }

  /** Whether the process is running (possibly paused). */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the member wrote to stderr (etcd logs there). */
  stderrTail(): string {
    return this.stderr;
  }

  /** Starts the process and waits until it answers Status (for a cluster member: has a leader). */
  async start(): Promise<void> {
    this.spawn();
    await this.waitUntilServing();
  }

  /** Starts the process without waiting: cluster members can only serve once a quorum runs. */
  spawn(): void {
    const [command, args] =
      this.target === 'etcd'
        ? [findExecutable('etcd')!, this.flags()]
        : [process.execPath, [K8TS_BIN, 'store', ...this.flags()]];
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    this.stderr = '';
    running.add(child);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-STDERR_TAIL_BYTES);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => running.delete(child));
    this.paused = false;
  }

  /** SIGTERM, then wait for the process to exit (SIGKILL if it does not in 10 s). */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** SIGKILL: a crash, nothing flushed on the way out. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGSTOP: the process freezes with its sockets open, as a hung or partitioned member does. */
  pause(): void {
    if (!this.running || this.paused) return;
    this.child!.kill('SIGSTOP');
    this.paused = true;
  }

  /** SIGCONT after pause(). */
  resume(): void {
    if (!this.running || !this.paused) return;
    this.child!.kill('SIGCONT');
    this.paused = false;
  }

  /** Stops the member and starts it again on the same data directory and ports. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the member and removes its data directory if the harness created it. */
  async cleanup(): Promise<void> {
    await this.stop();
    if (this.ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    // A stopped process only acts on SIGTERM once it runs again.
    this.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  async waitUntilServing(): Promise<void> {
    const child = this.child;
    if (!child) throw new Error(`${this.target} ${this.identity.name} was never started`);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${this.target} exited (${child.exitCode ?? child.signalCode}) before serving:\n${this.stderr}`);
      }
      if (await this.answersStatus()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.kill9();
    throw new Error(`${this.target} did not answer Status within ${READY_TIMEOUT_MS} ms:\n${this.stderr}`);
  }

  private async answersStatus(): Promise<boolean> {
    const client = new EtcdClient(this.endpoint);
    try {
      await client.status({ deadline: Date.now() + 1000 });
      return true;
    } catch {
      return false;
    } finally {
      client.close();
    }
  }
}
