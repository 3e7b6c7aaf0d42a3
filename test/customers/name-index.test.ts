import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { searchKey, searchKeysForName } from "../../lambda/customers/matching.js";
import { NameIndex } from "../../lambda/customers/name-index.js";

/** Ranks whose name has the key among its search keys (the DynamoDB store's definition), the slow way. */
function bruteForce(names: string[], key: string, fromRank: number, limit: number): number[] {
  const found: number[] = [];
  names.forEach((name, rank) => {
    if (rank >= fromRank && searchKeysForName(name).includes(key)) found.push(rank);
  });
  return found.slice(0, limit);
}

describe("NameIndex", () => {
  const words = ["ann", "anna", "annabel", "an", "bo", "bob", "smith", "smithers", "sm", "zoë", "a"];

  const name = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 });

  it("agrees with the search keys of every name, for small and large result ranges alike", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(name, { maxLength: 20 }),
          // Large enough that common keys select more suffixes than the index gathers per request.
          fc.array(name, { minLength: 300, maxLength: 600, size: "max" }),
        ),
        fc.constantFrom(
          "a",
          "an",
          "ann",
          "anna",
          "annab",
          "b",
          "bob",
          "s",
          "sm",
          "smith",
          "smithe",
          "zo",
          "ann s",
          "a a",
          "x",
        ),
        fc.nat(700),
        fc.integer({ min: 1, max: 101 }),
        (nameWords, query, fromRank, limit) => {
          const names = nameWords.map((w) => w.join(" "));
          const key = searchKey(query);
          expect(new NameIndex(names).matches(key, fromRank, limit)).toEqual(bruteForce(names, key, fromRank, limit));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("lists a customer once however many of its words match", () => {
    const index = new NameIndex(Array.from({ length: 300 }, () => "Ann Anna Annabel"));
    expect(index.matches("ann", 0, 1000)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(index.matches("ann", 298, 10)).toEqual([298, 299]);
  });
});
