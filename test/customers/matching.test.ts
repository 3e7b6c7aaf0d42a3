import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareIds,
  MAX_SEARCH_CHARS,
  MAX_SEARCH_WORDS,
  normaliseForSearch,
  searchKey,
  searchKeysForName,
} from "../../lambda/customers/matching.js";
import { byUtf8 } from "./oracle.js";

describe("normaliseForSearch", () => {
  it.each([
    ["Ann Smith", "ann smith"],
    ["  ANN   SMITH ", "ann smith"],
    ["José Álvarez", "jose alvarez"],
    ["Mary-Jane O'Connor", "mary jane o connor"],
    ["İstanbul", "istanbul"],
    ["㎒ Radio", "mhz radio"],
    ["Zoë 2nd", "zoe 2nd"],
    ["Łukasz Wałęsa", "łukasz wałesa"],
    ["!!!", ""],
  ])("%j reads %j", (text, expected) => {
    expect(normaliseForSearch(text)).toBe(expected);
  });
});

describe("searchKey", () => {
  it("is empty for absent, blank and punctuation-only queries", () => {
    for (const query of [undefined, "", "   ", "-'."]) expect(searchKey(query)).toBe("");
  });

  it("cuts long queries at MAX_SEARCH_CHARS code points without leaving a trailing space or half a character", () => {
    expect(searchKey("a".repeat(40))).toHaveLength(MAX_SEARCH_CHARS);
    expect(searchKey(`${"a".repeat(MAX_SEARCH_CHARS - 1)} b`)).toBe("a".repeat(MAX_SEARCH_CHARS - 1));
    // U+20000 is a letter outside the BMP: two code units each.
    const astral = searchKey("\u{20000}".repeat(40));
    expect([...astral]).toHaveLength(MAX_SEARCH_CHARS);
    expect(astral).not.toMatch(/\p{Cs}/u);
  });
});

describe("searchKeysForName", () => {
  it("lists every prefix of the name from the start of each word, once", () => {
    expect(searchKeysForName("Anna Andrews").sort()).toEqual(
      [
        "a",
        "an",
        "ann",
        "anna",
        "anna a",
        "anna an",
        "anna and",
        "anna andr",
        "anna andre",
        "anna andrew",
        "anna andrews",
        "and",
        "andr",
        "andre",
        "andrew",
        "andrews",
      ].sort(),
    );
  });

  it("has no keys for a name without letters or digits", () => {
    expect(searchKeysForName("--")).toEqual([]);
  });

  it("bounds the keys of long names", () => {
    const name = Array.from({ length: 20 }, (_, i) => `word${String.fromCharCode(97 + i)}xxxxxxxx`).join(" ");
    const keys = searchKeysForName(name);
    expect(keys.every((key) => [...key].length <= MAX_SEARCH_CHARS && !key.endsWith(" "))).toBe(true);
    expect(keys.length).toBeLessThanOrEqual(MAX_SEARCH_WORDS * MAX_SEARCH_CHARS);
    expect(keys).toContain(`word${String.fromCharCode(97 + MAX_SEARCH_WORDS - 1)}`);
    expect(keys).not.toContain(`word${String.fromCharCode(97 + MAX_SEARCH_WORDS)}`);
  });

  it("finds a name for every query that prefixes one of its words, and for no other", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("ann", "anna", "b", "bob", "é", "zoë"), { minLength: 1, maxLength: 4 }),
        fc.string({ unit: fc.constantFrom("a", "n", "b", "o", " ", "e", "z"), maxLength: 6 }),
        (words, query) => {
          const keys = new Set(searchKeysForName(words.join(" ")));
          const name = normaliseForSearch(words.join(" "));
          const q = searchKey(query);
          const expected = name.split(" ").some((_, i) => name.split(" ").slice(i).join(" ").startsWith(q));
          if (q !== "") expect(keys.has(q)).toBe(expected);
        },
      ),
    );
  });
});

describe("compareIds", () => {
  it("orders ids as DynamoDB orders string keys (UTF-8 bytes)", () => {
    const unit = fc.constantFrom("a", "B", "0", "é", "\uE000", "\uFFFD", "\u{1F600}", "\u{10FFFF}");
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 5 }), fc.string({ unit, maxLength: 5 }), (a, b) => {
        expect(Math.sign(compareIds(a, b))).toBe(Math.sign(byUtf8(a, b)));
      }),
    );
  });

  it("differs from code-unit order only above U+FFFF", () => {
    expect(compareIds("\uFFFD", "\u{1F600}")).toBeLessThan(0);
    expect(compareIds("10", "9")).toBeLessThan(0);
  });
});
