// What every kubectl 1.32 suite file shares: one control plane per store backend (started once
// per file, to keep CI fast), one kubectl with its own discovery cache, a fresh namespace per
// test, and readers for what kubectl prints.
import { afterAll, beforeAll, describe } from 'vitest';
import { backends, ControlPlane } from '../support/control-plane.ts';
import { Kubectl } from '../support/kubectl.ts';

export interface SuiteContext {
  readonly plane: ControlPlane;
  readonly kubectl: Kubectl;
  /** creates a namespace of its own for one test and returns its name */
  namespace(prefix: string): Promise<string>;
}

/** `describe` once per installed store backend, with a running control plane and kubectl 1.32. */
export function describeKubectl(title: string, define: (ctx: SuiteContext) => void): void {
  describe.each(backends())(`${title} (store: %s)`, (backend) => {
    let plane: ControlPlane | undefined;
    let kubectl: Kubectl | undefined;
    let created = 0;
    const ctx: SuiteContext = {
      get plane() {
        return plane!;
      },
      get kubectl() {
        return kubectl!;
      },
      async namespace(prefix) {
        const name = `${prefix}-${++created}`;
        await kubectl!.ok(['create', 'namespace', name]);
        return name;
      },
    };
    beforeAll(async () => {
      plane = await ControlPlane.start(backend);
      kubectl = new Kubectl(plane.url, '1.32');
    });
    afterAll(async () => {
      kubectl?.cleanup();
      await plane?.stop();
    });
    define(ctx);
  });
}

/**
 * The rows of a kubectl table as records keyed by column header. Cells are cut at the header
 * positions (kubectl aligns every column under its header), so empty cells read as ''.
 */
export function table(output: string): Record<string, string>[] {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0] ?? '';
  const columns = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index }));
  return lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    columns.forEach((column, i) => {
      const end = columns[i + 1]?.start ?? line.length;
      row[column.name] = line.slice(column.start, end).trim();
    });
    return row;
  });
}

/** The header line's column names. */
export function headers(output: string): string[] {
  return (output.split('\n')[0] ?? '').trim().split(/\s{2,}/);
}

/** An AGE cell as kubectl prints it for an object created moments ago. */
export const RECENT_AGE = /^\d+s$/;
