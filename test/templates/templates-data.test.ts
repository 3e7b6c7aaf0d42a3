import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetItemCommand, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../lambda/runtime/log.js";
import { DEFAULT_TEMPLATES, type TemplateCategory } from "../../lambda/templates/catalog.js";
import { storedTemplates, TEMPLATES_KEY } from "../../lambda/templates/template-store.js";
import { main, pushTemplates } from "../../scripts/templates.js";
import { createTable, loadCustomers, recordingSender, storeClient, testClient } from "../customers/dynamo-fixture.js";
import { captureCommandIo } from "../support/command-io.js";
import { customers } from "../support/fixtures.js";

const client = testClient();
afterAll(() => client.destroy());
const dir = mkdtempSync(join(tmpdir(), "templates-"));
let table: string;

beforeEach(async () => {
  table = await createTable(client, "templates");
  // Templates share the customer table: customers are there first.
  await loadCustomers(client, table, customers);
});

const MINE: TemplateCategory[] = [
  { display_name: "Openers", templates: [{ content: "Hi {{FirstName}}, {{Author}} here." }] },
  { display_name: "Promotions", templates: [{ content: "20% off for {{Name}}", whatsAppApproved: true }] },
];
const file = (name: string, data: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof data === "string" ? data : JSON.stringify(data));
  return path;
};
const io = () => captureCommandIo(client);
const itemCount = async () =>
  (await client.send(new ScanCommand({ TableName: table, Select: "COUNT", ConsistentRead: true }))).Count ?? 0;
const reader = (ttlMs?: number, now?: () => number) =>
  storedTemplates({ call: storeClient(), tableName: table, log: memoryLogger(), ttlMs, now });

describe("templates:push and templates:pull", () => {
  it("pushes a valid file, says what changed, and the functions' reader serves it", async () => {
    const run = io();
    expect(await main("push", ["--table", table, file("mine.json", MINE)], run.io)).toBe(0);
    const said = run.out.join("");
    expect(said).toMatch(/Changes against the bundled defaults/);
    expect(said).toMatch(/\+ "Promotions": new category, 1 template/);
    expect(said).toMatch(/- "Replies": category removed/);
    expect(said).toMatch(/Pushed 2 categories \(2 templates\)/);
    expect(await reader()()).toEqual(MINE);
    // Customers are untouched and still served.
    expect(
      (
        await client.send(
          new GetItemCommand({ TableName: table, Key: { pk: { S: "customer#1" }, sk: { S: "customer" } } }),
        )
      ).Item,
    ).toBeDefined();

    const pulled = io();
    expect(await main("pull", ["--table", table], pulled.io)).toBe(0);
    expect(JSON.parse(pulled.out.join(""))).toEqual(MINE);
    expect(pulled.err.join("")).toMatch(/the set stored in/);
  });

  it("reports no change and writes nothing when the same file is pushed again", async () => {
    await main("push", ["--table", table, file("mine.json", MINE)], io().io);
    const before = (await client.send(new GetItemCommand({ TableName: table, Key: TEMPLATES_KEY }))).Item;
    const run = io();
    expect(await main("push", ["--table", table, file("mine.json", MINE)], run.io)).toBe(0);
    expect(run.out.join("")).toMatch(/No changes/);
    expect((await client.send(new GetItemCommand({ TableName: table, Key: TEMPLATES_KEY }))).Item).toEqual(before);
  });

  it.each([
    [
      "an unknown placeholder",
      [{ display_name: "X", templates: [{ content: "Hi {{Nickname}}" }] }],
      /unknown placeholder \{\{Nickname\}\}/,
    ],
    ["a category without a name", [{ templates: [{ content: "Hi" }] }], /display_name/],
    ["not JSON", "[{", /is not valid JSON/],
    [
      "a non-boolean whatsAppApproved",
      [{ display_name: "X", templates: [{ content: "a", whatsAppApproved: "yes" }] }],
      /whatsAppApproved/,
    ],
  ])("refuses %s and writes nothing, with or without --dry-run", async (_label, data, message) => {
    await main("push", ["--table", table, file("mine.json", MINE)], io().io);
    const count = await itemCount();
    const stored = (await client.send(new GetItemCommand({ TableName: table, Key: TEMPLATES_KEY }))).Item;
    for (const extra of [[], ["--dry-run"]]) {
      const run = io();
      expect(await main("push", ["--table", table, ...extra, file("bad.json", data)], run.io)).toBe(1);
      expect(run.err.join("")).toMatch(message);
      expect(run.err.join("")).toMatch(/Nothing was written/);
    }
    expect(await itemCount()).toBe(count);
    expect((await client.send(new GetItemCommand({ TableName: table, Key: TEMPLATES_KEY }))).Item).toEqual(stored);
  });

  it("--dry-run shows the changes and writes nothing", async () => {
    const count = await itemCount();
    const run = io();
    expect(await main("push", ["--table", table, "--dry-run", file("mine.json", MINE)], run.io)).toBe(0);
    expect(run.out.join("")).toMatch(/\+ "Promotions"/);
    expect(run.out.join("")).toMatch(/Dry run: .*nothing written/);
    expect(await itemCount()).toBe(count);
    expect(await reader()()).toEqual(DEFAULT_TEMPLATES);
  });

  it("pull prints the bundled defaults, and says so, when nothing is stored", async () => {
    const run = io();
    expect(await main("pull", ["--table", table], run.io)).toBe(0);
    expect(JSON.parse(run.out.join(""))).toEqual(DEFAULT_TEMPLATES);
    expect(run.err.join("")).toMatch(/bundled defaults/);
  });

  it("refuses to overwrite a set someone else pushed after it was read", async () => {
    await pushTemplates({ client, table, categories: MINE, now: () => new Date("2026-01-01T00:00:00Z") });
    // Another push lands between our read and our write.
    const racing = {
      send: async (command: unknown) => {
        if (command instanceof PutItemCommand)
          await pushTemplates({
            client,
            table,
            categories: DEFAULT_TEMPLATES,
            now: () => new Date("2026-01-02T00:00:00Z"),
          });
        return client.send(command as never);
      },
    };
    await expect(
      pushTemplates({ client: racing, table, categories: [MINE[0]!], now: () => new Date("2026-01-03T00:00:00Z") }),
    ).rejects.toThrow(/changed while pushing/);
    expect(await reader()()).toEqual(DEFAULT_TEMPLATES);
  });

  it("treats a write whose answer was lost, then retried, as done", async () => {
    const lostAnswer = {
      send: async (command: unknown) => {
        const output = await client.send(command as never);
        // The write landed; the retry of it fails its condition, as the SDK's retry would.
        if (command instanceof PutItemCommand) return client.send(command as never);
        return output;
      },
    };
    const result = await pushTemplates({ client: lostAnswer, table, categories: MINE });
    expect(result.written).toBe(true);
    expect(await reader()()).toEqual(MINE);
  });
});

describe("the functions' templates reader", () => {
  it("serves the bundled defaults when none are stored, and reads at most once per TTL", async () => {
    let clock = 0;
    const { sender, sent } = recordingSender(storeClient());
    const read = storedTemplates({ call: sender, tableName: table, log: memoryLogger(), now: () => clock });
    expect(await read()).toBe(DEFAULT_TEMPLATES);
    await pushTemplates({ client, table, categories: MINE });
    clock = 59_999;
    expect(await read()).toBe(DEFAULT_TEMPLATES);
    clock = 60_000;
    expect(await read()).toEqual(MINE);
    expect(sent).toEqual(["GetItem", "GetItem"]);
  });

  it("serves the defaults and logs when the stored item was damaged by hand", async () => {
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: { ...TEMPLATES_KEY, doc: { S: '[{"display_name":"X","templates":[{"content":"{{Oops}}"}]}]' } },
      }),
    );
    const log = memoryLogger();
    expect(await storedTemplates({ call: storeClient(), tableName: table, log })()).toBe(DEFAULT_TEMPLATES);
    expect(log.entries.some((e) => e.level === "error" && /unknown placeholder/.test(String(e.fields?.error)))).toBe(
      true,
    );
  });

  it("keeps serving the last set read when the table cannot be read", async () => {
    await pushTemplates({ client, table, categories: MINE });
    let clock = 0;
    let down = false;
    const inner = storeClient();
    const call = (async (operation: "Query" | "GetItem", input: Record<string, unknown>) =>
      down ? Promise.reject(new Error("dynamodb GetItem: no answer")) : inner(operation, input)) as typeof inner;
    const log = memoryLogger();
    const read = storedTemplates({ call, tableName: table, log, now: () => clock });
    expect(await read()).toEqual(MINE);
    down = true;
    clock = 120_000;
    expect(await read()).toEqual(MINE);
    expect(log.entries.some((e) => e.level === "warn")).toBe(true);
    // With nothing read yet, the failure surfaces (the callback answers 500, as for a customer read).
    await expect(storedTemplates({ call, tableName: table, log })()).rejects.toThrow(/no answer/);
  });
});
