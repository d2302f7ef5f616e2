// `npm run bench:store`: the same load against real etcd and `k8ts store`, in one run.
import { startMember } from '../test/harness.ts';
import { parseOptions } from './options.ts';
import { measureTarget, type TargetResults } from './phases.ts';
import { FULL_SIZES, QUICK_SIZES } from './sizes.ts';

const options = parseOptions(process.argv.slice(2));
const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;
const results = new Map<string, TargetResults>();
for (const target of options.targets) {
  console.log(`${target}:`);
  const member = await startMember(target);
  try {
    results.set(target, await measureTarget(member.endpoint, sizes, (line) => console.log(line)));
  } finally {
    await member.cleanup();
  }
}
for (const [target, r] of results) {
  for (const [c, p] of r.puts) console.log(target, 'put', c, p.perSecond.toFixed(0), p.p50Ms.toFixed(2), p.p99Ms.toFixed(2));
  console.log(target, 'range', r.ranges.perSecond.toFixed(0), r.ranges.p50Ms.toFixed(2), r.ranges.p99Ms.toFixed(2));
  console.log(target, 'watch', r.watch.perSecond.toFixed(0));
}
