// One bench run: a control plane (store + apiserver processes) per backend, all running for
// the whole run, the phases measured on each, then the apiservers' CPU profiles cut by phase.
import fs from 'node:fs';
import { ControlPlane, type Backend } from '../../../test/support/control-plane.ts';
import { REPO_ROOT } from '../../store/test/support/binaries.ts';
import type { CpuProfile } from './cpu-profile.ts';
import { measureAlternately, type BackendResults, type Target } from './phases.ts';
import { findMainThreadProfile, profilePhases, type PhaseProfile } from './profile-report.ts';
import type { BenchSizes } from './sizes.ts';

/** Functions listed per phase in the profile summaries. */
const PROFILE_TOP = 12;

export interface BenchRunOptions {
  backends: readonly Backend[];
  sizes: BenchSizes;
  /** Run the apiservers under node --cpu-prof, writing profiles here. */
  profileDirectory?: string;
  log: (line: string) => void;
}

export interface BenchRunResult {
  results: Map<Backend, BackendResults>;
  /** By backend, when profiled. */
  profiles: Map<Backend, PhaseProfile[]>;
}

export async function runBench(options: BenchRunOptions): Promise<BenchRunResult> {
  const planes = new Map<Backend, ControlPlane>();
  const nodeFlags = options.profileDirectory ? ['--cpu-prof', '--cpu-prof-dir', options.profileDirectory] : [];
  let results: Map<Backend, BackendResults>;
  const pids = new Map<Backend, number>();
  // Interrupted: stop the processes this run started (by PID, in ControlPlane.stop) and their data.
  const interrupted = () => void stopAll(planes).finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    for (const backend of options.backends) {
      options.log(`starting ${backend} and an apiserver on it`);
      const plane = await ControlPlane.start(backend, [], { nodeFlags });
      planes.set(backend, plane);
      pids.set(backend, plane.apiserverPid!);
    }
    const targets = new Map<Backend, Target>(
      [...planes].map(([backend, plane]) => [
        backend,
        { url: plane.url, storeEndpoint: plane.store.endpoint, apiserverPid: plane.apiserverPid!, storePid: plane.store.pid! },
      ]),
    );
    results = await measureAlternately(targets, options.sizes, options.log);
  } finally {
    // Stopping the apiservers (SIGTERM, a clean exit) is what makes Node write their profiles.
    await stopAll(planes);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
  const profiles = new Map<Backend, PhaseProfile[]>();
  if (options.profileDirectory) {
    for (const [backend, pid] of pids) {
      const file = findMainThreadProfile(options.profileDirectory, pid);
      if (!file) throw new Error(`no CPU profile of the apiserver on ${backend} (pid ${pid}) in ${options.profileDirectory}`);
      const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
      profiles.set(backend, profilePhases(profile, results.get(backend)!.spans, { top: PROFILE_TOP, sourceRoot: REPO_ROOT }));
    }
  }
  return { results, profiles };
}

async function stopAll(planes: Map<Backend, ControlPlane>): Promise<void> {
  const stopping = [...planes.values()].map((plane) => plane.stop());
  planes.clear();
  await Promise.all(stopping);
}
