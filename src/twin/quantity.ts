// Kubernetes resource quantities ("100m", "1.5Gi", "2e3") as plain numbers, for comparing requests with allocatable.

const SUFFIX: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

// resource.Quantity's grammar: a signed decimal, then a binary or decimal SI suffix or a decimal exponent.
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/** The value of a quantity in base units (cores, bytes, count), or undefined if it is not one. */
export function parseQuantity(text: unknown): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? '']!;
}

/** A quantity for people: cores as `250m`/`2`, bytes in Mi/Gi, anything else as a number. */
export function formatQuantity(resource: string, value: number): string {
  if (resource === 'cpu') return value < 1 ? `${Math.round(value * 1000)}m` : `${+value.toFixed(3)}`;
  if (resource === 'memory' || resource.endsWith('storage')) {
    return value >= 2 ** 30 ? `${+(value / 2 ** 30).toFixed(2)}Gi` : `${+(value / 2 ** 20).toFixed(1)}Mi`;
  }
  return `${+value.toFixed(3)}`;
}
