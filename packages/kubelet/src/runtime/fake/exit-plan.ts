// When does a simulated container exit, and with what code? The fake runtime runs no processes,
// so it reads the container's command line the way a person would: `sleep 30` ends after 30 s,
// `sh -c "sleep 5; exit 3"` after 5 s with code 3, `echo hi` at once; a server (nginx, anything
// it does not recognise, a `while` loop, `sleep infinity`) runs until it is stopped. A pod can
// also say so explicitly with annotations, which win over the command line:
//   fake.k8ts.io/exit-after: "<seconds>"   exit that long after starting
//   fake.k8ts.io/exit-code:  "<n>"          the exit code (default 0; alone: exit at once)

export const EXIT_AFTER_ANNOTATION = 'fake.k8ts.io/exit-after';
export const EXIT_CODE_ANNOTATION = 'fake.k8ts.io/exit-code';

export interface ExitPlan {
  /** milliseconds after the container started */
  afterMs: number;
  exitCode: number;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
/** Commands that finish at once with code 0 (what tutorials use to print something and end). */
const INSTANT_COMMANDS = new Set(['echo', 'printf', 'true', ':', 'date', 'env', 'printenv', 'hostname', 'ls', 'cat', 'pwd', 'whoami', 'id', 'uname', 'nslookup', 'wget', 'curl']);
/** Interpreters whose one-liners (`perl -e '…'`, `python -c '…'`) run to completion. */
const ONE_LINER_FLAGS: Record<string, RegExp> = { perl: /^-\w*e$/, python: /^-c$/, python3: /^-c$/, node: /^-e$/ };
const SLEEP_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `sleep`'s argument in seconds (GNU sleep accepts a suffix); undefined for infinity or nonsense. */
function sleepSeconds(arg: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(arg ?? '');
  if (!match) return undefined;
  return Number(match[1]) * SLEEP_UNITS[match[2]!]!;
}

type StepOutcome = { kind: 'wait'; seconds: number } | { kind: 'exit'; code: number } | { kind: 'status'; code: number } | { kind: 'forever' };

/** What one simple command does, when we can tell. */
function step(argv: string[]): StepOutcome {
  const name = basename(argv[0] ?? '');
  if (name === 'sleep') {
    const seconds = sleepSeconds(argv[1]);
    return seconds === undefined ? { kind: 'forever' } : { kind: 'wait', seconds };
  }
  if (name === 'exit') {
    const code = argv[1] === undefined ? 0 : Number(argv[1]);
    return Number.isInteger(code) ? { kind: 'exit', code: code & 0xff } : { kind: 'forever' };
  }
  if (name === 'false') return { kind: 'status', code: 1 };
  if (INSTANT_COMMANDS.has(name)) return { kind: 'status', code: 0 };
  const oneLiner = ONE_LINER_FLAGS[name];
  if (oneLiner && argv.slice(1).some((a) => oneLiner.test(a))) return { kind: 'status', code: 0 };
  return { kind: 'forever' };
}

/** Runs a shell script's simple commands (separated by `;`, `&&` or newlines) in order. */
function scriptPlan(script: string): ExitPlan | undefined {
  let seconds = 0;
  let status = 0;
  for (const raw of script.split(/;|&&|\n/)) {
    const words = raw.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    if (words.some((w) => w === '||' || w === '|' || w === 'while' || w === 'until' || w === 'for' || w === 'do')) return undefined;
    const outcome = step(words);
    switch (outcome.kind) {
      case 'forever':
        return undefined;
      case 'wait':
        seconds += outcome.seconds;
        status = 0;
        break;
      case 'status':
        status = outcome.code;
        break;
      case 'exit':
        return { afterMs: seconds * 1000, exitCode: outcome.code };
    }
  }
  return { afterMs: seconds * 1000, exitCode: status };
}

function parseAnnotationNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** How the container ends; undefined when it runs until stopped. */
export function exitPlanFor(command: string[], args: string[], annotations: Record<string, string>): ExitPlan | undefined {
  const exitAfter = parseAnnotationNumber(annotations[EXIT_AFTER_ANNOTATION]);
  const exitCode = parseAnnotationNumber(annotations[EXIT_CODE_ANNOTATION]);
  if (exitAfter !== undefined || exitCode !== undefined) {
    return { afterMs: (exitAfter ?? 0) * 1000, exitCode: Math.trunc(exitCode ?? 0) & 0xff };
  }
  // With no command the image's entrypoint runs the args; we cannot know it, so judge by args.
  const argv = command.length > 0 ? [...command, ...args] : args;
  if (argv.length === 0) return undefined;
  if (SHELLS.has(basename(argv[0]!))) {
    const c = argv.indexOf('-c');
    return c === -1 || argv[c + 1] === undefined ? undefined : scriptPlan(argv[c + 1]!);
  }
  const outcome = step(argv);
  switch (outcome.kind) {
    case 'wait':
      return { afterMs: outcome.seconds * 1000, exitCode: 0 };
    case 'status':
    case 'exit':
      return { afterMs: 0, exitCode: outcome.code };
    case 'forever':
      return undefined;
  }
}
