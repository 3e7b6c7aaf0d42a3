/**
 * How both stores match and order customers. Kept in one place because the JSON store and the
 * DynamoDB store must agree to the character: a page token issued by one is valid in the other, and
 * the contract suite runs the same expectations against both.
 */

/** Workers are identities (SSO logins); Frontline may send them in any case. */
export function workerKey(worker: string): string {
  return worker.toLowerCase();
}

/**
 * Orders customer ids by Unicode code point, which is the UTF-8 byte order DynamoDB uses for string
 * keys. It equals plain code-unit order (`<`) unless ids mix characters above U+FFFF with U+E000..U+FFFF.
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Lifts surrogates above the rest of the BMP, so the first differing code unit decides as code points do. */
function codePointRank(codeUnit: number): number {
  return codeUnit >= 0xd800 && codeUnit <= 0xdfff ? codeUnit + 0x10000 : codeUnit;
}

/**
 * Search compares at most this many characters. Longer queries are cut here, so they may match
 * names that differ after that point; it bounds the index to a fixed number of entries per name.
 */
export const MAX_SEARCH_CHARS = 32;

/** Words after this many in a display name are not search starting points (they still match inside a longer query). */
export const MAX_SEARCH_WORDS = 8;

/**
 * Lower case, accents dropped ("José" finds "jose"), and every run of characters other than letters and
 * digits turned into one space, so "Mary-Jane", "mary jane" and "MARY  JANE" all read "mary jane".
 */
export function normaliseForSearch(text: string): string {
  // Lower case twice: "İ" lowers to i + a combining dot (dropped with the other marks), and
  // compatibility forms can decompose into capitals ("㎒" is "MHz").
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * The key a query is looked up by: its normalised text cut to MAX_SEARCH_CHARS code points.
 * The empty string means "no filter" (absent, blank, or punctuation-only queries).
 */
export function searchKey(query: string | undefined): string {
  if (query === undefined) return "";
  return truncateCodePoints(normaliseForSearch(query), MAX_SEARCH_CHARS).trimEnd();
}

/**
 * Where a search can start in a display name: the normalised name read from each of its first
 * MAX_SEARCH_WORDS words, cut to MAX_SEARCH_CHARS code points, without repeats. A query finds the
 * name exactly when one of these starts with the query's search key.
 */
export function searchSuffixesForName(displayName: string): string[] {
  const name = normaliseForSearch(displayName);
  if (name === "") return [];
  return [...new Set(wordStarts(name).map((start) => truncateCodePoints(name.slice(start), MAX_SEARCH_CHARS)))];
}

/**
 * Every search key that finds this display name: each prefix of its search suffixes, so "Ann Smith"
 * is found by "a", "ann s", "ann smith", "sm", ... Each key appears once, which is what makes search
 * results free of duplicates by construction.
 */
export function searchKeysForName(displayName: string): string[] {
  const keys = new Set<string>();
  for (const suffix of searchSuffixesForName(displayName)) {
    let key = "";
    for (const char of suffix) {
      key += char;
      // A query never ends in a space (searchKey trims it), so such a key could never be asked for.
      if (char !== " ") keys.add(key);
    }
  }
  return [...keys];
}

function wordStarts(name: string): number[] {
  const starts = [0];
  for (let i = name.indexOf(" "); i !== -1 && starts.length < MAX_SEARCH_WORDS; i = name.indexOf(" ", i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

function truncateCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  let chars = 0;
  for (const char of text) {
    if (chars === max) break;
    out += char;
    chars++;
  }
  return out;
}
