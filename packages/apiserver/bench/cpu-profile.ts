// Where the apiserver spent its CPU during one phase: a V8 .cpuprofile (node --cpu-prof)
// read as self and inclusive time per function, over the samples inside a time window.
// V8 stamps samples with the monotonic clock process.hrtime() reads, so the bench's own
// phase boundaries (taken in another process on the same machine) select the samples.

/** The parts of V8's .cpuprofile JSON this reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds, monotonic clock. */
  startTime: number;
  endTime: number;
  /** The node that was on top of the stack, per sample. */
  samples: number[];
  /** Microseconds since the previous sample (the first: since startTime). */
  timeDeltas: number[];
}

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** A span of the monotonic clock, in microseconds. */
export interface TimeWindow {
  startUs: number;
  endUs: number;
}

export interface FunctionCost {
  /** "functionName file[:line]"; "(anonymous)" for unnamed functions, no location for V8 natives. */
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time in the window. */
  percent: number;
}

export interface ProfileSummary {
  /** Sampled time inside the window. */
  sampledMs: number;
  /** Time the thread waited for I/O. */
  idleMs: number;
  /** Time in V8's garbage collector. */
  gcMs: number;
  /** Functions by time on top of the stack (their own code). */
  self: FunctionCost[];
  /**
   * Our own functions (under sourceRoot, not node_modules) by time anywhere on the stack: their
   * code and all they called. Framework and Node.js frames, on every stack, would crowd the top.
   */
  inclusive: FunctionCost[];
}

const IDLE = '(idle)';
const GC = '(garbage collector)';

export function summarizeProfile(profile: CpuProfile, window: TimeWindow, options: { top: number; sourceRoot: string }): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const label = (node: ProfileNode) => frameLabel(node, options.sourceRoot);
  const root = options.sourceRoot.endsWith('/') ? options.sourceRoot : `${options.sourceRoot}/`;
  const isOurs = (node: ProfileNode) => {
    const file = node.callFrame.url.replace(/^file:\/\//, '');
    return file.startsWith(root) && !file.includes('/node_modules/');
  };

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let sampledUs = 0;
  let idleUs = 0;
  let gcUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    // A sample stands for the time until the next one.
    const durationUs = i + 1 < profile.samples.length ? profile.timeDeltas[i + 1]! : profile.endTime - at;
    if (at < window.startUs || at >= window.endUs || durationUs <= 0) continue;
    const top = byId.get(profile.samples[i]!)!;
    sampledUs += durationUs;
    if (top.callFrame.functionName === IDLE) {
      idleUs += durationUs;
      continue;
    }
    if (top.callFrame.functionName === GC) gcUs += durationUs;
    add(self, label(top), durationUs);
    // Each function once per sample, however often it recurs on the stack.
    const onStack = new Set<string>();
    for (let id: number | undefined = top.id; id !== undefined; id = parentOf.get(id)) {
      const node = byId.get(id)!;
      if (isOurs(node)) onStack.add(label(node));
    }
    for (const name of onStack) add(inclusive, name, durationUs);
  }

  const busyUs = sampledUs - idleUs;
  const ranked = (costs: Map<string, number>): FunctionCost[] =>
    [...costs]
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.top)
      .map(([name, us]) => ({ name, ms: us / 1000, percent: busyUs > 0 ? (us / busyUs) * 100 : 0 }));
  return { sampledMs: sampledUs / 1000, idleMs: idleUs / 1000, gcMs: gcUs / 1000, self: ranked(self), inclusive: ranked(inclusive) };
}

function add(costs: Map<string, number>, name: string, us: number): void {
  costs.set(name, (costs.get(name) ?? 0) + us);
}

/**
 * "handleCreate packages/apiserver/src/handlers/write.ts", "onEnd fastify/lib/reply.js:295".
 * tsx compiles each TypeScript module onto one line, so its frames all say line 0 there: the
 * line is left out then (and the functions of one name in one file are counted together).
 */
export function frameLabel(node: ProfileNode, sourceRoot: string): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const file = shortPath(url, sourceRoot);
  return lineNumber > 0 ? `${name} ${file}:${lineNumber + 1}` : `${name} ${file}`;
}

/** Repository-relative for our sources, "pkg/file" inside node_modules, node:… for Node's own. */
function shortPath(url: string, sourceRoot: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) return path.slice(inModules + '/node_modules/'.length);
  const root = sourceRoot.endsWith('/') ? sourceRoot : `${sourceRoot}/`;
  return path.startsWith(root) ? path.slice(root.length) : path;
}
