// Timestamps as the API writes them: metav1.Time (RFC 3339, whole seconds) and metav1.MicroTime.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';

export function apiTime(ms: number): string {
  return formatRfc3339(Math.floor(ms / 1000));
}

export function apiMicroTime(ms: number): string {
  const whole = Math.floor(ms);
  return formatRfc3339(Math.floor(whole / 1000), (whole % 1000) * 1000);
}
