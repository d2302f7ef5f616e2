import { describe, expect, it } from 'vitest';
import { replaceApiserverSection, SECTION_HEADING } from './benchmarks-doc.ts';

const STORE = '# Store benchmarks: `k8ts store` against etcd\n\n## Last run\n\n- Date: then\n';
const section = (date: string) => `${SECTION_HEADING}\n\n## Last run\n\n- Date: ${date}\n`;

describe('replaceApiserverSection', () => {
  it('appends the section after the store section, keeping it intact', () => {
    const doc = replaceApiserverSection(STORE, section('first'));
    expect(doc).toBe(`${STORE}\n${section('first')}`);
  });

  it('replaces its own section, and only it, on the next run', () => {
    const later = `# Other benchmarks\n\nmore\n`;
    const doc = `${STORE}\n${section('first')}\n${later}`;
    expect(replaceApiserverSection(doc, section('second'))).toBe(`${STORE}\n${section('second')}\n${later}`);
  });

  it('writes the section alone into a missing document', () => {
    expect(replaceApiserverSection('', section('first'))).toBe(section('first'));
  });
});
