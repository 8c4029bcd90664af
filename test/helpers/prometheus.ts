/**
 * Scraping a gateway's `GET /metrics` in tests, parsed with parse-prometheus-text-format.
 * That parser keeps a histogram's labels only when `le` is its one label, so histograms are
 * read as their plain series (`name_bucket`, `name_sum`, `name_count`, each with its labels).
 */
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';

/** A scrape: the status, the raw text and every series by family name. */
export interface Scrape {
  status: number;
  contentType: string | null;
  text: string;
  families: Map<string, PrometheusFamily>;
}

/** Parses Prometheus text into families by name (histograms as their `_bucket`, `_sum` and `_count` series). */
export function parseMetrics(text: string): Map<string, PrometheusFamily> {
  const plain = text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped');
  const families = new Map<string, PrometheusFamily>();
  // Series of one histogram come interleaved (`_bucket`, `_sum`, `_count` per label set): the parser
  // starts a family at each change of name, so the pieces of a name are joined again.
  for (const family of parsePrometheusTextFormat(plain)) {
    const known = families.get(family.name);
    if (known) known.metrics.push(...family.metrics);
    else families.set(family.name, family);
  }
  return families;
}

/** GETs `/metrics`. */
export async function scrape(origin: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const response = await fetch(`${origin}/metrics`, { headers });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text, families: response.ok ? parseMetrics(text) : new Map() };
}

/**
 * The sum of the samples of `name` whose labels include `labels` (0 when none matches).
 * @param name a counter's or gauge's name, or a histogram's `_count`/`_sum` series
 */
export function value(families: Map<string, PrometheusFamily>, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name);
  let total = 0;
  for (const sample of family?.metrics ?? []) {
    const own = sample.labels ?? {};
    if (Object.entries(labels).every(([key, wanted]) => own[key] === wanted)) total += Number(sample.value);
  }
  return total;
}

/** Every value the label `label` takes in any family. */
export function labelValues(families: Map<string, PrometheusFamily>, label: string): Set<string> {
  const values = new Set<string>();
  for (const family of families.values()) for (const sample of family.metrics) if (sample.labels?.[label] !== undefined) values.add(sample.labels[label]);
  return values;
}
