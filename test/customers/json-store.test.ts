import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Customer } from "../../lambda/customers/customer.js";
import {
  CustomerDataError,
  createJsonDirectory,
  demoDirectory,
  loadJsonDirectory,
  loadJsonDirectoryFile,
} from "../../lambda/customers/json-store.js";
import { customerDirectoryContract } from "./contract.js";
import { expectedIds, pageWithTokens } from "./oracle.js";

describe("JsonCustomerDirectory", () => {
  customerDirectoryContract(async (customers) => createJsonDirectory(customers), { propertyRuns: 100 });
});

const folder = mkdtempSync(join(tmpdir(), "customers-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const file = (content: string) => {
  const path = join(folder, `customers-${++files}.json`);
  writeFileSync(path, content);
  return path;
};
const good = { customer_id: "1", display_name: "Ann Smith", worker: "alice@example.com" };

describe("loading a customers file", () => {
  it("loads an array of customers, with numeric ids as strings and null optional fields as absent", async () => {
    const path = file(
      "\uFEFF" +
        JSON.stringify([
          {
            customer_id: 7,
            display_name: "Ann Smith",
            worker: "alice@example.com",
            channels: null,
            avatar: null,
            crm_secret: "x",
          },
          { ...good, customer_id: "8", channels: [{ type: "sms", value: "+15550000008" }] },
        ]),
    );
    const directory = loadJsonDirectoryFile(path);
    expect(directory.size).toBe(2);
    expect(await directory.getById("7")).toEqual({
      customer_id: "7",
      display_name: "Ann Smith",
      worker: "alice@example.com",
    });
    expect((await directory.findByAddress("+15550000008"))?.customer_id).toBe("8");
    expect(
      (await directory.list({ worker: "alice@example.com", pageSize: 5 })).customers.map((c) => c.customer_id),
    ).toEqual(["7", "8"]);
  });

  it.each([
    ["a file that is not there", null, /customers-missing\.json: cannot read the customers file \(ENOENT\)/],
    [
      "text that is not JSON",
      '[{"customer_id": "1", "display_name": "Secret Name",}]',
      /customers-\d+\.json: not valid JSON \(at (position|line) /,
    ],
    [
      "JSON that is not an array",
      JSON.stringify({ customers: [good] }),
      /customers-\d+\.json: expected a JSON array of customers/,
    ],
    ["a record that is not an object", JSON.stringify([good, "Ann"]), /index 1: record must be an object/],
    [
      "a missing customer_id",
      JSON.stringify([good, { display_name: "Bob", worker: "bob@example.com" }]),
      /customers-\d+\.json: customer at index 1: customer_id is missing/,
    ],
    ["an empty customer_id", JSON.stringify([{ ...good, customer_id: " " }]), /index 0: customer_id is empty/],
    [
      "an id too large for a number",
      '[{"customer_id": 12345678901234567890, "display_name": "A", "worker": "w"}]',
      /index 0: customer_id is a number that is not a safe integer/,
    ],
    [
      "an id of another type",
      JSON.stringify([{ ...good, customer_id: true }]),
      /index 0: customer_id must be a string or an integer/,
    ],
    [
      "a missing display_name",
      JSON.stringify([{ customer_id: "1", worker: "alice@example.com" }]),
      /index 0: display_name is missing/,
    ],
    [
      "a missing worker",
      JSON.stringify([good, { ...good, customer_id: "2" }, { customer_id: "3", display_name: "C" }]),
      /index 2: worker is missing/,
    ],
    [
      "channels that are not a list",
      JSON.stringify([{ ...good, channels: "+1555" }]),
      /index 0: channels must be an array/,
    ],
    [
      "a channel without a value",
      JSON.stringify([{ ...good, channels: [{ type: "sms", value: "+15550000000" }, { type: "sms" }] }]),
      /index 0: channels\[1\]\.value is missing/,
    ],
    [
      "an sms value that is not E.164",
      JSON.stringify([{ ...good, channels: [{ type: "sms", value: "(555) 010-0001" }] }]),
      /index 0: channels\[0\]\.value must be an E\.164 number such as \+15551230001 \(channel type sms\)/,
    ],
    [
      "a WhatsApp value without its prefix",
      JSON.stringify([{ ...good, channels: [{ type: "whatsapp", value: "+15550100001" }] }]),
      /index 0: channels\[0\]\.value must be whatsapp:\+E164/,
    ],
    [
      "an sms value with the WhatsApp prefix",
      JSON.stringify([{ ...good, channels: [{ type: "sms", value: "whatsapp:+15550100001" }] }]),
      /channel type sms/,
    ],
    [
      "a link without a value",
      JSON.stringify([{ ...good, links: [{ type: "CRM", display_name: "CRM" }] }]),
      /index 0: links\[0\]\.value is missing/,
    ],
    [
      "details of the wrong shape",
      JSON.stringify([{ ...good, details: { title: "t", content: 3 } }]),
      /index 0: details\.content must be a string/,
    ],
    ["an avatar that is not text", JSON.stringify([{ ...good, avatar: 1 }]), /index 0: avatar must be a string/],
    [
      "a duplicate customer_id",
      JSON.stringify([good, { ...good, customer_id: "2" }, { ...good, customer_id: 1 }]),
      /index 2: customer_id "1" is already used at index 0/,
    ],
  ])("names the file, the record and the field for %s", async (_, content, message) => {
    const path = content === null ? join(folder, "customers-missing.json") : file(content);
    expect(() => loadJsonDirectoryFile(path)).toThrow(CustomerDataError);
    expect(() => loadJsonDirectoryFile(path)).toThrow(message);
    expect(() => loadJsonDirectoryFile(path)).toThrow(path);
  });

  it("keeps customer data out of its error messages", () => {
    const path = file('[{"customer_id": "1", "display_name": "Secret Name", "worker": 5}] trailing Secret');
    expect(() => loadJsonDirectoryFile(path)).toThrow(CustomerDataError);
    expect(() => loadJsonDirectoryFile(path)).not.toThrow(/Secret/);
    const badField = file('[{"customer_id": "1", "display_name": "Secret Name", "worker": 5}]');
    expect(() => loadJsonDirectoryFile(badField)).toThrow(/index 0: worker must be a string/);
    expect(() => loadJsonDirectoryFile(badField)).not.toThrow(/Secret/);
  });

  it("validates arrays given in code the same way", () => {
    expect(() => createJsonDirectory([good, { ...good, worker: "" }], "import.json")).toThrow(
      "import.json: customer at index 1: worker is empty",
    );
    expect(() => createJsonDirectory("nope")).toThrow(CustomerDataError);
  });
});

describe("the demo directory", () => {
  it("is what loadJsonDirectory gives without a file", async () => {
    for (const directory of [loadJsonDirectory(), loadJsonDirectory(""), demoDirectory()]) {
      expect(directory.size).toBe(11);
      expect((await directory.list({ worker: "alice@example.com", pageSize: 30 })).customers.length).toBeGreaterThan(2);
    }
  });

  it("holds fictional customers for a few workers, reachable by sms and whatsapp, with https links and avatars", async () => {
    const directory = demoDirectory();
    const workers = ["alice@example.com", "bob@example.com", "carol@example.com"];
    const all: Customer[] = [];
    for (const worker of workers) {
      const page = await directory.list({ worker, pageSize: 30 });
      expect(page.customers.length).toBeGreaterThan(0);
      for (const row of page.customers) all.push((await directory.getById(row.customer_id))!);
    }
    expect(all).toHaveLength(11);
    const addresses = all.flatMap((c) => c.channels ?? []);
    expect(addresses.some((c) => c.type === "whatsapp" && /^whatsapp:\+1555\d{7}$/.test(c.value))).toBe(true);
    for (const channel of addresses.filter((c) => c.type === "sms")) expect(channel.value).toMatch(/^\+1555\d{7}$/);
    for (const c of all) {
      expect(c.avatar).toMatch(/^https:\/\//);
      for (const link of c.links ?? []) expect(link.value).toMatch(/^(https:\/\/|mailto:)/);
      for (const channel of c.channels ?? [])
        expect((await directory.findByAddress(channel.value))?.customer_id).toBe(c.customer_id);
    }
  });
});

describe("JsonCustomerDirectory at scale", () => {
  it("pages a 100,000-customer directory from any position", async () => {
    const customers: Customer[] = Array.from({ length: 100_000 }, (_, i) => ({
      customer_id: `c${String(i).padStart(6, "0")}`,
      display_name: `Customer ${i} ${["Smith", "Jones", "Ann"][i % 3]}`,
      worker: i % 10 === 0 ? "bob@example.com" : "alice@example.com",
    }));
    const directory = createJsonDirectory(customers);
    const deep = await directory.list({ worker: "alice@example.com", pageSize: 3, anchor: "c099990" });
    expect(deep.customers.map((c) => c.customer_id)).toEqual(["c099991", "c099992", "c099993"]);
    const search = await directory.list({
      worker: "bob@example.com",
      pageSize: 100,
      query: "customer 9999",
      anchor: "c099000",
    });
    expect(search.customers.map((c) => c.customer_id)).toEqual(["c099990"]);
    const bobAnn = await pageWithTokens(directory, { worker: "bob@example.com", pageSize: 100, query: "ann" });
    expect(bobAnn.ids).toEqual(expectedIds(customers, "bob@example.com", "ann"));
  });
});

describe("JsonCustomerDirectory objects", () => {
  it("hands out frozen copies, so a handler cannot change the directory, and leaves the caller's objects alone", async () => {
    const mine: Customer = { ...good, channels: [{ type: "sms", value: "+15550000001" }] };
    const directory = createJsonDirectory([mine]);
    const served = (await directory.getById("1"))!;
    expect(() => {
      served.channels![0]!.value = "+1";
    }).toThrow(TypeError);
    expect(Object.isFrozen(mine)).toBe(false);
    mine.display_name = "Changed";
    expect((await directory.getById("1"))?.display_name).toBe("Ann Smith");
  });
});
