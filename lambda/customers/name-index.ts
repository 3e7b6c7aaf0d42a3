import { searchSuffixesForName } from "./matching.js";

/**
 * Ranges larger than this are answered from a list prepared at load; smaller ones are gathered and
 * sorted per request, which costs a few microseconds and keeps memory proportional to the names.
 */
const PREPARED_RANGE = 128;

/**
 * Name search over one worker's customers, numbered 0..n-1 in customer_id order ("ranks"). Answers
 * "customers whose name a search key finds, in rank order, from rank r on" in time that depends on
 * the page and the logarithm of the directory, never on how many customers match.
 *
 * It is a sorted array of every name's search suffixes. The suffixes starting with a key are one
 * contiguous range (two binary searches away); a customer may own several suffixes in it, so the
 * range is reduced to distinct ranks: directly for small ranges, from a prepared list for large ones.
 * Those large ranges are the nodes of the suffixes' prefix tree that hold over PREPARED_RANGE
 * suffixes, found in one pass over the longest common prefixes of neighbours.
 */
export class NameIndex {
  private readonly suffixes: string[];
  private readonly owners: Int32Array;
  /** Key: rangeKey(lo, hi). Value: distinct ranks owning suffixes lo..hi-1, ascending. */
  private readonly prepared = new Map<number, Int32Array>();

  /** `names[r]` is the display name of the customer of rank r. */
  constructor(names: readonly string[]) {
    const entries: Array<{ suffix: string; owner: number }> = [];
    names.forEach((name, owner) => {
      for (const suffix of searchSuffixesForName(name)) entries.push({ suffix, owner });
    });
    // Code-unit order is enough here: all that matters is that suffixes sharing a prefix are adjacent.
    entries.sort((a, b) => (a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0));
    this.suffixes = entries.map((entry) => entry.suffix);
    this.owners = Int32Array.from(entries, (entry) => entry.owner);
    this.prepareLargeRanges();
  }

  /** Up to `limit` distinct ranks >= `fromRank` whose name `key` (a non-empty search key) finds, ascending. */
  matches(key: string, fromRank: number, limit: number): number[] {
    const lo = this.firstNotBelow(key);
    const hi = this.firstNotStartingWith(key, lo);
    if (hi - lo <= 0) return [];
    const ranks = this.prepared.get(this.rangeKey(lo, hi)) ?? distinctSorted(this.owners.subarray(lo, hi));
    const start = lowerBound(ranks, fromRank);
    return Array.from(ranks.subarray(start, start + limit));
  }

  private firstNotBelow(key: string): number {
    let low = 0;
    let high = this.suffixes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.suffixes[mid]! < key) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private firstNotStartingWith(key: string, from: number): number {
    let low = from;
    let high = this.suffixes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.suffixes[mid]!.startsWith(key)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /**
   * Every range of two or more suffixes that a key can select is an lcp-interval: a maximal run whose
   * neighbours share at least some prefix length. A stack over the neighbours' common prefix lengths
   * yields each interval once (the textbook bottom-up traversal of a suffix array).
   */
  private prepareLargeRanges(): void {
    const n = this.suffixes.length;
    const stack: Array<{ lcp: number; lo: number }> = [{ lcp: 0, lo: 0 }];
    for (let i = 1; i <= n; i++) {
      const lcp = i < n ? commonPrefixLength(this.suffixes[i - 1]!, this.suffixes[i]!) : 0;
      let lo = i - 1;
      while (stack.at(-1)!.lcp > lcp) {
        const interval = stack.pop()!;
        lo = interval.lo;
        if (i - lo > PREPARED_RANGE)
          this.prepared.set(this.rangeKey(lo, i), distinctSorted(this.owners.subarray(lo, i)));
      }
      if (stack.at(-1)!.lcp < lcp) stack.push({ lcp, lo });
    }
  }

  private rangeKey(lo: number, hi: number): number {
    return lo * (this.suffixes.length + 1) + hi;
  }
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function distinctSorted(values: Int32Array): Int32Array {
  const sorted = Int32Array.from(values).sort();
  let length = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[length++] = sorted[i]!;
  }
  return sorted.subarray(0, length);
}

function lowerBound(values: Int32Array, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low;
}
