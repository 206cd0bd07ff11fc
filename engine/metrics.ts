/**
 * @module engine/metrics
 * Counters, gauges and summaries (sum and count of observations) with labels, rendered in the Prometheus text format at `/metrics`.
 * Owns: metric names and values of one process. Does not: push anywhere.
 * Concurrency: single-threaded increments; one registry per server (passed down, never global).
 */
type Labels = Readonly<Record<string, string>>;

interface Family {
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'summary';
  readonly values: Map<string, number>;
}

export class Metrics {
  private readonly families = new Map<string, Family>();
  private readonly collectors: Array<() => void> = [];

  /** Registers a callback that sets gauges just before each render (room and client counts, queue depths). */
  collect(fn: () => void): void {
    this.collectors.push(fn);
  }

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const f = this.family(name, help, 'counter');
    const k = labelKey(labels);
    f.values.set(k, (f.values.get(k) ?? 0) + by);
  }

  set(name: string, help: string, labels: Labels, value: number): void {
    this.family(name, help, 'gauge').values.set(labelKey(labels), value);
  }

  /** One observation of a duration or size; rendered as `<name>_sum` and `<name>_count`. */
  observe(name: string, help: string, labels: Labels, value: number): void {
    const f = this.family(name, help, 'summary');
    const k = labelKey(labels);
    f.values.set(k, (f.values.get(k) ?? 0) + value);
    const c = this.family(`${name}_count`, help, 'summary');
    c.values.set(k, (c.values.get(k) ?? 0) + 1);
  }

  get(name: string, labels: Labels = {}): number {
    return this.families.get(name)?.values.get(labelKey(labels)) ?? 0;
  }

  /** Sum over every label set of one metric. */
  total(name: string): number {
    let sum = 0;
    for (const v of this.families.get(name)?.values.values() ?? []) sum += v;
    return sum;
  }

  render(): string {
    for (const fn of this.collectors) fn();
    const lines: string[] = [];
    for (const [name, f] of this.families) {
      if (f.type === 'summary') {
        if (name.endsWith('_count')) continue; // rendered with its sum
        const counts = this.families.get(`${name}_count`)!;
        lines.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} summary`);
        for (const [k, v] of f.values) lines.push(`${name}_sum${k} ${v}`, `${name}_count${k} ${counts.values.get(k) ?? 0}`);
        continue;
      }
      lines.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`);
      for (const [k, v] of f.values) lines.push(`${name}${k} ${v}`);
    }
    return lines.join('\n') + '\n';
  }

  private family(name: string, help: string, type: Family['type']): Family {
    let f = this.families.get(name);
    if (!f) {
      f = { help, type, values: new Map() };
      this.families.set(name, f);
    }
    return f;
  }
}

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${String(labels[k]).replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}
