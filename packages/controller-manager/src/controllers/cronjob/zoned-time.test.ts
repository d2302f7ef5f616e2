import { describe, expect, it } from 'vitest';
import { formatRfc1123zUtc, formatRfc3339In, instantOf, isKnownZone, offsetAt } from './zoned-time.ts';

describe('zoned time', () => {
  it('formats instants as Go does', () => {
    const t = Date.UTC(2025, 0, 6, 9, 5, 7);
    expect(formatRfc1123zUtc(t)).toBe('Mon, 06 Jan 2025 09:05:07 +0000');
    expect(formatRfc3339In(t, 'UTC')).toBe('2025-01-06T09:05:07Z');
    expect(formatRfc3339In(t, 'America/New_York')).toBe('2025-01-06T04:05:07-05:00');
    expect(formatRfc3339In(t, 'Asia/Kolkata')).toBe('2025-01-06T14:35:07+05:30');
  });

  it('converts wall-clock times of a zone to instants, around DST changes', () => {
    expect(offsetAt(Date.UTC(2025, 6, 1), 'Europe/Berlin')).toBe(2 * 3_600_000);
    // 02:30 on 2025-03-30 never happens in Berlin; on 2025-10-26 it happens twice (the first is CEST).
    expect(instantOf(Date.UTC(2025, 2, 30, 2, 30), 'Europe/Berlin')).toBeUndefined();
    expect(instantOf(Date.UTC(2025, 9, 26, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2025, 9, 26, 0, 30));
  });

  it('knows IANA zones and nothing else', () => {
    expect(isKnownZone('Europe/Berlin')).toBe(true);
    expect(isKnownZone('Mars/Olympus')).toBe(false);
  });
});
