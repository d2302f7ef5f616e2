import { describe, expect, it } from 'vitest';
import { existingAnalysis, replaceBenchSection, SECTION_HEADING } from './benchmarks-doc.ts';

const OTHER = '# Store benchmarks\n\nstore figures\n';
const section = (figures: string) => `${SECTION_HEADING}\n\n## Targets\n\n${figures}\n\n## Method\n\n- how\n`;

describe('the scheduler section of docs/benchmarks.md', () => {
  it('is appended after the other sections the first time', () => {
    const doc = replaceBenchSection(OTHER, section('300 pods/s'));
    expect(doc).toBe(`${OTHER}\n${section('300 pods/s')}`);
  });

  it('replaces only itself, keeping the sections before and after it', () => {
    const doc = `${OTHER}\n${section('old figures')}\n# Later benchmarks\n\nlater\n`;
    const updated = replaceBenchSection(doc, section('new figures'));
    expect(updated).toContain('store figures');
    expect(updated).toContain('# Later benchmarks\n\nlater');
    expect(updated).toContain('new figures');
    expect(updated).not.toContain('old figures');
  });

  it('keeps the hand-written analysis, placed before the method', () => {
    const analysis = '## Analysis\n\nThe apiserver is at 100% of a core.';
    const doc = `${OTHER}\n${section('old').replace('\n## Method', `\n${analysis}\n\n## Method`)}`;
    expect(existingAnalysis(doc)).toBe(analysis);
    const updated = replaceBenchSection(doc, section('new'));
    expect(updated).toMatch(/new\n\n## Analysis\n\nThe apiserver is at 100% of a core.\n\n## Method/);
    expect(existingAnalysis(OTHER)).toBe('');
  });
});
