// What the numbers were measured on, for the report.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { findExecutable } from '../test/support/binaries.ts';

export interface Machine {
  cpus: number;
  cpuModel: string;
  platform: string;
  nodeVersion: string;
  /** e.g. "3.4.23 (go1.19.8)"; "not installed" without an etcd binary. */
  etcdVersion: string;
}

export function describeMachine(): Machine {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    nodeVersion: process.version,
    etcdVersion: etcdVersion(),
  };
}

function etcdVersion(): string {
  const etcd = findExecutable('etcd');
  if (!etcd) return 'not installed';
  const output = execFileSync(etcd, ['--version'], { encoding: 'utf8' });
  const version = /etcd Version: (\S+)/.exec(output)?.[1] ?? 'unknown';
  const go = /Go Version: (\S+)/.exec(output)?.[1];
  return go ? `${version} (${go})` : version;
}
