import { describe, expect, it } from 'vitest';
import { goString, goTypeName, goValue } from './go-format.ts';

describe("Go's fmt rendering of decoded JSON (used in error texts)", () => {
  it('prints maps with sorted keys and slices space-separated, like %v', () => {
    expect(goValue({ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 443 }] })).toBe(
      'map[image:nginx name:web ports:[map[containerPort:80] map[containerPort:443]]]',
    );
    expect(goValue({})).toBe('map[]');
    expect(goValue([null, true, 'x'])).toBe('[<nil> true x]');
  });

  it('prints whole numbers as int64 and fractions as float64 %g', () => {
    expect(goValue(80)).toBe('80');
    expect(goValue(0.5)).toBe('0.5');
    expect(goValue(1234567.5)).toBe('1.2345675e+06');
    expect(goValue(0.00001)).toBe('1e-05');
  });

  it('names reflect types and flags non-strings under %s', () => {
    expect(goTypeName({})).toBe('map[string]interface {}');
    expect(goTypeName([])).toBe('[]interface {}');
    expect(goTypeName(3)).toBe('int64');
    expect(goTypeName(3.5)).toBe('float64');
    expect(goTypeName(null)).toBe('%!s(<nil>)');
    expect(goString('merge')).toBe('merge');
    expect(goString(5)).toBe('%!s(int64=5)');
  });
});
