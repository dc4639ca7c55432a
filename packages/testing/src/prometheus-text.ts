/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), as a Prometheus server reads a
 * scrape: `# HELP` and `# TYPE` lines, then samples `name{label="value",…} number`. A line it cannot read is an
 * error naming the line, so a malformed exposition fails the test that reads it. (The npm parser we tried loses
 * the labels of labelled histograms.)
 */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: PrometheusSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

function readLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`line ${line}: cannot read the labels {${text}}`);
    if (match[1] in labels) throw new Error(`line ${line}: label ${match[1]} appears twice`);
    labels[match[1]] = match[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function readValue(text: string, line: number): number {
  // As Prometheus reads them (Go's ParseFloat): Inf and NaN in any case.
  const special = text.toLowerCase();
  if (special === '+inf' || special === 'inf') return Infinity;
  if (special === '-inf') return -Infinity;
  if (special === 'nan') return Number.NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`line ${line}: "${text}" is not a number`);
  return value;
}

/** The families of an exposition, in order; a histogram's `_bucket`, `_sum` and `_count` samples belong to it. */
export function parsePrometheusText(text: string): PrometheusFamily[] {
  const families = new Map<string, PrometheusFamily>();
  const familyOf = (name: string) => {
    let family = families.get(name);
    if (!family) families.set(name, (family = { name, type: 'untyped', help: '', samples: [] }));
    return family;
  };
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const meta = /^#\s+(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(raw);
    if (meta) {
      if (!NAME.test(meta[2])) throw new Error(`line ${line}: "${meta[2]}" is not a metric name`);
      const family = familyOf(meta[2]);
      if (meta[1] === 'HELP') family.help = meta[3];
      else if (['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3])) family.type = meta[3] as PrometheusFamily['type'];
      else throw new Error(`line ${line}: unknown type "${meta[3]}"`);
      return;
    }
    if (raw.startsWith('#')) return;
    const match = SAMPLE.exec(raw.trim());
    if (!match) throw new Error(`line ${line}: cannot read "${raw}"`);
    const [, name, labelText, valueText] = match;
    const base = name.replace(/_(bucket|sum|count)$/, '');
    const owner = base !== name && families.get(base)?.type === 'histogram' ? base : name;
    familyOf(owner).samples.push({ name, labels: labelText ? readLabels(labelText, line) : {}, value: readValue(valueText, line) });
  });
  return [...families.values()];
}
