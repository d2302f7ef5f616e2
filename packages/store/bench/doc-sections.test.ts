import { describe, expect, it } from 'vitest';
import { replaceStoreSubsection, STORE_HEADING, STORE_INTRO } from './doc-sections.ts';

const ONE = '## One member\n\nold one-member numbers\n\n### Results\n\n| a | 1 |';
const THREE = '## Three members\n\nold three-member numbers';
const APISERVER = '# Apiserver benchmarks\n\napiserver text\n\n## Results\n\napiserver numbers';

function doc(...parts: string[]): string {
  return `${parts.join('\n\n')}\n`;
}

describe('replaceStoreSubsection', () => {
  it('replaces only its own subsection, keeping the other one and the sections after the store', () => {
    const before = doc(STORE_HEADING, STORE_INTRO, ONE, THREE, APISERVER);
    const after = replaceStoreSubsection(before, '## One member\n\nnew numbers');
    expect(after).toBe(doc(STORE_HEADING, STORE_INTRO, '## One member\n\nnew numbers', THREE, APISERVER));
  });

  it('replaces the last subsection up to the next top-level section', () => {
    const before = doc(STORE_HEADING, STORE_INTRO, ONE, THREE, APISERVER);
    const after = replaceStoreSubsection(before, '## Three members\n\nnew');
    expect(after).toBe(doc(STORE_HEADING, STORE_INTRO, ONE, '## Three members\n\nnew', APISERVER));
  });

  it('adds a missing subsection at the end of the store section, not after other sections', () => {
    const before = doc(STORE_HEADING, STORE_INTRO, ONE, APISERVER);
    expect(replaceStoreSubsection(before, THREE)).toBe(doc(STORE_HEADING, STORE_INTRO, ONE, THREE, APISERVER));
  });

  it('creates the store section at the top of a document without one', () => {
    expect(replaceStoreSubsection(doc(APISERVER), THREE)).toBe(doc(STORE_HEADING, STORE_INTRO, THREE, APISERVER));
    expect(replaceStoreSubsection('', ONE)).toBe(doc(STORE_HEADING, STORE_INTRO, ONE));
  });

  it('refuses text that does not start with a subsection heading', () => {
    expect(() => replaceStoreSubsection('', '# Store\n\ntext')).toThrow(/## /);
  });
});
