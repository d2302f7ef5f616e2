// Reading the Prometheus text exposition format (0.0.4), as far as a kubelet's
// /metrics/resource uses it: comment lines, then one sample per line,
//   name{label="value",…} value [timestamp-in-ms]
// with \\, \" and \n escapes in label values. Lines that are not samples are skipped.

export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** epoch milliseconds, when the sample carries one */
  timestamp?: number;
}

export class PrometheusTextError extends Error {
  override readonly name = 'PrometheusTextError';
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new PrometheusTextError(`failed parsing metrics: bad value ${JSON.stringify(text)} in ${JSON.stringify(line)}`);
  return value;
}

/** The labels starting at `text[0] === '{'`, and where they end. */
function parseLabels(text: string, line: string): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = 1;
  const fail = () => new PrometheusTextError(`failed parsing metrics: bad labels in ${JSON.stringify(line)}`);
  while (true) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, end: i + 1 };
    const name = NAME.exec(text.slice(i))?.[0];
    if (!name || text[i + name.length] !== '=' || text[i + name.length + 1] !== '"') throw fail();
    i += name.length + 2;
    let value = '';
    for (; i < text.length && text[i] !== '"'; i++) {
      if (text[i] === '\\') {
        i++;
        value += text[i] === 'n' ? '\n' : (text[i] ?? '');
      } else {
        value += text[i];
      }
    }
    if (i >= text.length) throw fail();
    labels[name] = value;
    i++;
  }
}

export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const name = NAME.exec(line)?.[0];
    if (!name) throw new PrometheusTextError(`failed parsing metrics: bad line ${JSON.stringify(line)}`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(rest, line);
      labels = parsed.labels;
      rest = rest.slice(parsed.end);
    }
    const [valueText = '', stampText, ...extra] = rest.trim().split(/\s+/);
    if (extra.length > 0) throw new PrometheusTextError(`failed parsing metrics: bad line ${JSON.stringify(line)}`);
    const sample: PrometheusSample = { name, labels, value: parseValue(valueText, line) };
    if (stampText !== undefined) {
      const timestamp = Number(stampText);
      if (!Number.isInteger(timestamp)) throw new PrometheusTextError(`failed parsing metrics: bad timestamp in ${JSON.stringify(line)}`);
      sample.timestamp = timestamp;
    }
    samples.push(sample);
  }
  return samples;
}
