import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Customer } from "../../lambda/customers/customer.js";
import { type CustomerDirectory, InvalidPageTokenError, MAX_PAGE_SIZE } from "../../lambda/customers/directory.js";
import { ALICE, BOB, bigDirectory, SMALL } from "./fixtures.js";
import { expectedIds, expectedSummary, pageWithAnchors, pageWithTokens } from "./oracle.js";

/** Builds a directory holding exactly these customers (a fresh one per call). */
export type DirectoryFactory = (customers: Customer[]) => Promise<CustomerDirectory>;

export interface ContractOptions {
  /** fast-check runs of the paging model test; each run builds a directory. */
  propertyRuns: number;
}

const ids = (page: { customers: { customer_id: string }[] }) => page.customers.map((c) => c.customer_id);

/** Everything the CRM callback relies on, run against each store. */
export function customerDirectoryContract(factory: DirectoryFactory, options: ContractOptions): void {
  const big = bigDirectory();
  let small: CustomerDirectory;
  let large: CustomerDirectory;

  beforeAll(async () => {
    [small, large] = await Promise.all([factory(SMALL), factory(big)]);
  });

  describe("listing a worker's customers", () => {
    it("lists only the worker's customers, in customer_id code-unit order, whatever the case of the identity", async () => {
      const page = await small.list({ worker: "ALICE@example.COM", pageSize: 30 });
      expect(ids(page)).toEqual(["1", "10", "2", "3", "4", "a"]);
      expect(page.nextPageToken).toBeUndefined();
      expect(ids(await small.list({ worker: BOB, pageSize: 30 }))).toEqual(["5", "6"]);
    });

    it("returns thin rows: id, name and the avatar only when there is one", async () => {
      const page = await small.list({ worker: ALICE, pageSize: 2 });
      expect(page.customers).toEqual([
        { customer_id: "1", display_name: "Ann Smith", avatar: "https://i.pravatar.cc/150?img=1" },
        { customer_id: "10", display_name: "Bob Annis", avatar: "https://i.pravatar.cc/150?img=10" },
      ]);
      const second = await small.list({ worker: ALICE, pageSize: 1, pageToken: page.nextPageToken! });
      expect(second.customers).toEqual([{ customer_id: "2", display_name: "Anna Andrews" }]);
    });

    it("answers an unknown or empty worker with an empty last page", async () => {
      expect(await small.list({ worker: "nobody@example.com", pageSize: 10 })).toEqual({ customers: [] });
      expect(await small.list({ worker: "", pageSize: 10 })).toEqual({ customers: [] });
    });

    it.each([1, 7, 30, MAX_PAGE_SIZE])("honours pageSize %i", async (pageSize) => {
      const page = await large.list({ worker: ALICE, pageSize });
      expect(ids(page)).toEqual(expectedIds(big, ALICE).slice(0, pageSize));
      expect(page.nextPageToken).toEqual(expect.any(String));
    });

    it.each([0, -1, 1.5, MAX_PAGE_SIZE + 1, Number.NaN])("refuses pageSize %s", async (pageSize) => {
      await expect(small.list({ worker: ALICE, pageSize })).rejects.toThrow(RangeError);
    });

    it("pages through 250 customers with tokens: every customer once, full pages, no token at the end", async () => {
      const { pages, ids: seen } = await pageWithTokens(large, { worker: ALICE, pageSize: 7 });
      expect(seen).toEqual(expectedIds(big, ALICE));
      expect(seen).toHaveLength(250);
      expect(pages).toHaveLength(Math.ceil(250 / 7));
      expect(pages.slice(0, -1).every((p) => p.customers.length === 7 && p.nextPageToken)).toBe(true);
      expect(pages.at(-1)!.nextPageToken).toBeUndefined();
    });

    it("gives no token when the last page is exactly full", async () => {
      const { pages, ids: seen } = await pageWithTokens(large, { worker: BOB, pageSize: 10 });
      expect(seen).toEqual(expectedIds(big, BOB));
      expect(pages.map((p) => p.customers.length)).toEqual([10, 10]);
      expect(pages[1]!.nextPageToken).toBeUndefined();
    });

    it("pages through 250 customers with anchors: every customer once, then an empty page", async () => {
      const { pages, ids: seen } = await pageWithAnchors(large, { worker: ALICE, pageSize: 9 });
      expect(seen).toEqual(expectedIds(big, ALICE));
      expect(pages.at(-1)!.customers).toEqual([]);
      expect(pages.at(-1)!.nextPageToken).toBeUndefined();
    });
  });

  describe("anchors", () => {
    it("starts strictly after the anchor", async () => {
      expect(ids(await small.list({ worker: ALICE, pageSize: 2, anchor: "10" }))).toEqual(["2", "3"]);
    });

    it("starts after where an unknown anchor would sort, never back at the first page", async () => {
      expect(ids(await small.list({ worker: ALICE, pageSize: 2, anchor: "1000" }))).toEqual(["2", "3"]);
      // "5" is Bob's customer: for Alice it is only a position.
      expect(ids(await small.list({ worker: ALICE, pageSize: 5, anchor: "5" }))).toEqual(["a"]);
      expect(ids(await small.list({ worker: ALICE, pageSize: 5, anchor: "0" }))).toEqual(["1", "10", "2", "3", "4"]);
      expect(await small.list({ worker: ALICE, pageSize: 5, anchor: "zzz" })).toEqual({ customers: [] });
    });

    it("treats an empty anchor as the first page", async () => {
      expect(ids(await small.list({ worker: ALICE, pageSize: 1, anchor: "" }))).toEqual(["1"]);
    });

    it("keeps the search and starts after the anchor's position within its results", async () => {
      expect(ids(await small.list({ worker: ALICE, pageSize: 5, query: "ann", anchor: "10" }))).toEqual(["2"]);
      expect(ids(await small.list({ worker: ALICE, pageSize: 5, query: "ann", anchor: "11" }))).toEqual(["2"]);
    });

    it("ignores the anchor when a token is given", async () => {
      const first = await small.list({ worker: ALICE, pageSize: 2 });
      const second = await small.list({ worker: ALICE, pageSize: 2, pageToken: first.nextPageToken!, anchor: "3" });
      expect(ids(second)).toEqual(["2", "3"]);
    });

    it("refuses an anchor that no customer_id could be", async () => {
      await expect(small.list({ worker: ALICE, pageSize: 2, anchor: "x".repeat(300) })).rejects.toThrow(
        InvalidPageTokenError,
      );
      await expect(small.list({ worker: ALICE, pageSize: 2, anchor: "\ud800" })).rejects.toThrow(InvalidPageTokenError);
    });
  });

  describe("search", () => {
    it.each([
      ["ann", ["1", "10", "2"]], // first word, a later word ("Annis"), a longer word ("Anna")
      ["smi", ["1"]], // a later word
      ["ann smi", ["1"]], // several words
      ["ANN  SMITH", ["1"]], // case and spacing
      ["annis", ["10"]],
      ["a", ["1", "10", "2", "3"]], // "Anna Andrews" matches twice but is listed once
      ["jose", ["3"]], // accents
      ["ÁLV", ["3"]],
      ["jane", ["4"]], // a hyphen separates words
      ["mary jane", ["4"]],
      ["mary-jane w", ["4"]],
      ["j", ["3", "4", "a"]],
      ["nn", []], // not a prefix of any word
      ["smith ann", []],
    ])("%j finds %j", async (query, expected) => {
      const page = await small.list({ worker: ALICE, pageSize: 30, query });
      expect(ids(page)).toEqual(expected);
      expect(page.nextPageToken).toBeUndefined();
    });

    it("searches only the worker's customers", async () => {
      expect(ids(await small.list({ worker: BOB, pageSize: 30, query: "ann" }))).toEqual(["6"]);
    });

    it("lists everyone when the query is blank or only punctuation", async () => {
      for (const query of ["", "   ", "--"]) {
        expect(ids(await small.list({ worker: ALICE, pageSize: 30, query }))).toEqual(["1", "10", "2", "3", "4", "a"]);
      }
    });

    it.each(["a", "an", "smith", "j", "sam", "zoe", "ann a"])(
      "pages through the matches of %j with tokens and with anchors",
      async (query) => {
        const expected = expectedIds(big, ALICE, query);
        expect(expected.length).toBeGreaterThan(0);
        const byToken = await pageWithTokens(large, { worker: ALICE, pageSize: 6, query });
        expect(byToken.ids).toEqual(expected);
        expect(byToken.pages.slice(0, -1).every((p) => p.customers.length === 6)).toBe(true);
        expect((await pageWithAnchors(large, { worker: ALICE, pageSize: 6, query })).ids).toEqual(expected);
      },
    );

    it("accepts a token issued for the same search typed differently", async () => {
      const first = await small.list({ worker: ALICE, pageSize: 1, query: "Ann" });
      const second = await small.list({ worker: ALICE, pageSize: 1, query: " ann ", pageToken: first.nextPageToken! });
      expect(ids(second)).toEqual(["10"]);
    });
  });

  describe("page tokens", () => {
    const valid = async () => (await small.list({ worker: ALICE, pageSize: 1 })).nextPageToken!;

    it("refuses garbage and damaged tokens", async () => {
      const token = await valid();
      const bad = [
        "garbage!",
        "e30", // {}
        Buffer.from("not json").toString("base64url"),
        Buffer.from(JSON.stringify({ v: 1, w: ALICE, q: "", a: "1", extra: 1 })).toString("base64url"),
        Buffer.from(JSON.stringify({ v: 2, w: ALICE, q: "", a: "1" })).toString("base64url"),
        Buffer.from(JSON.stringify({ v: 1, w: ALICE, q: "", a: "" })).toString("base64url"),
        Buffer.from(JSON.stringify([1, ALICE, "", "1"])).toString("base64url"),
        token.slice(0, -3),
        `${token}=`,
        `${token}AA`,
        "A".repeat(5000),
      ];
      for (const pageToken of bad) {
        await expect(small.list({ worker: ALICE, pageSize: 1, pageToken }), pageToken.slice(0, 40)).rejects.toThrow(
          InvalidPageTokenError,
        );
      }
    });

    it("refuses another worker's token", async () => {
      const bobs = (await small.list({ worker: BOB, pageSize: 1 })).nextPageToken!;
      await expect(small.list({ worker: ALICE, pageSize: 1, pageToken: bobs })).rejects.toThrow(InvalidPageTokenError);
    });

    it("refuses a token issued for another query", async () => {
      const searching = (await small.list({ worker: ALICE, pageSize: 1, query: "ann" })).nextPageToken!;
      await expect(small.list({ worker: ALICE, pageSize: 1, pageToken: searching })).rejects.toThrow(
        InvalidPageTokenError,
      );
      await expect(small.list({ worker: ALICE, pageSize: 1, query: "a", pageToken: searching })).rejects.toThrow(
        InvalidPageTokenError,
      );
      const plain = await valid();
      await expect(small.list({ worker: ALICE, pageSize: 1, query: "ann", pageToken: plain })).rejects.toThrow(
        InvalidPageTokenError,
      );
    });

    it("accepts the worker's own token in another case of the identity", async () => {
      const token = await valid();
      expect(ids(await small.list({ worker: "Alice@EXAMPLE.com", pageSize: 1, pageToken: token }))).toEqual(["10"]);
    });
  });

  describe("lookups", () => {
    it("gets a customer by id with every field", async () => {
      expect(await small.getById("1")).toEqual(SMALL[0]);
      expect(await small.getById("2")).toEqual(SMALL[1]);
    });

    it("misses unknown ids", async () => {
      for (const id of ["999", "", "A", " 1", "x".repeat(300)]) expect(await small.getById(id)).toBeUndefined();
    });

    it("finds a customer by sms and by whatsapp address", async () => {
      expect((await small.findByAddress("whatsapp:+15550000009"))?.customer_id).toBe("a");
      expect((await small.findByAddress("+15550000002"))?.customer_id).toBe("2");
      expect(await small.findByAddress("whatsapp:+15550000001")).toEqual(SMALL[0]);
    });

    it("gives a shared address to the lowest customer_id", async () => {
      expect((await small.findByAddress("+15550000001"))?.customer_id).toBe("1");
    });

    it("misses unknown addresses", async () => {
      for (const address of ["+15550000003", "whatsapp:+15550000002", "15550000001", ""]) {
        expect(await small.findByAddress(address)).toBeUndefined();
      }
    });

    it("finds every customer of the large directory by id and address", async () => {
      for (const customer of big.slice(0, 40)) {
        expect(await large.getById(customer.customer_id)).toEqual(customer);
        const address = customer.channels?.[0]?.value;
        if (address) expect((await large.findByAddress(address))?.customer_id).toBe(customer.customer_id);
      }
    });
  });

  describe("paging model", () => {
    it("matches the obvious implementation for any directory, query and page size", async () => {
      const word = fc.constantFrom("Ann", "anna", "Bo", "bob", "Zoë", "Smith", "smithers", "Ó", "a-b", "Li");
      const customer = fc.record({
        id: fc.string({
          unit: fc.constantFrom("a", "b", "B", "1", "0", "é", "\u{1F600}", "\uFFFD"),
          minLength: 1,
          maxLength: 4,
        }),
        name: fc.array(word, { minLength: 1, maxLength: 3 }).map((words) => words.join(" ")),
        worker: fc.constantFrom("w@example.com", "W@Example.com", "v@example.com"),
      });
      const scenario = fc.record({
        customers: fc.uniqueArray(customer, { selector: (c) => c.id, maxLength: 25 }),
        query: fc.constantFrom("", "a", "an", "ann", "bo", "s", "smith", "zo", "o", "li", "a b", "x"),
        pageSize: fc.integer({ min: 1, max: 4 }),
      });
      await fc.assert(
        fc.asyncProperty(scenario, async ({ customers, query, pageSize }) => {
          const data: Customer[] = customers.map((c) => ({
            customer_id: c.id,
            display_name: c.name,
            worker: c.worker,
          }));
          const directory = await factory(data);
          const expected = expectedIds(data, "w@example.com", query);
          const byToken = await pageWithTokens(directory, { worker: "w@example.com", pageSize, query });
          expect(byToken.ids).toEqual(expected);
          expect(byToken.pages.slice(0, -1).every((p) => p.customers.length === pageSize)).toBe(true);
          const byAnchor = await pageWithAnchors(directory, { worker: "w@example.com", pageSize, query });
          expect(byAnchor.ids).toEqual(expected);
        }),
        { numRuns: options.propertyRuns },
      );
    });
  });
}
