import { describe, expect, it } from 'vitest';
import { parsePrometheusText, PrometheusTextError } from './prometheus-text.ts';

describe('parsePrometheusText', () => {
  it('reads samples with labels, Go-formatted values and timestamps, skipping comments', () => {
    const text = [
      '# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes',
      '# TYPE container_memory_working_set_bytes gauge',
      'container_memory_working_set_bytes{container="app",namespace="default",pod="web"} 3.3554432e+07 1735689610000',
      'resource_scrape_error 0',
      'odd{label="a\\"b\\\\c\\nd",other="x"} +Inf',
      '',
    ].join('\n');
    expect(parsePrometheusText(text)).toEqual([
      { name: 'container_memory_working_set_bytes', labels: { container: 'app', namespace: 'default', pod: 'web' }, value: 33554432, timestamp: 1735689610000 },
      { name: 'resource_scrape_error', labels: {}, value: 0 },
      { name: 'odd', labels: { label: 'a"b\\c\nd', other: 'x' }, value: Infinity },
    ]);
  });

  it('refuses text that is not the exposition format', () => {
    expect(() => parsePrometheusText('<html>nope</html>')).toThrow(PrometheusTextError);
    expect(() => parsePrometheusText('metric{a="1" 2')).toThrow(/bad labels/);
    expect(() => parsePrometheusText('metric twelve')).toThrow(/bad value/);
  });
});
