import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES, parseTemplates, renderTemplates } from "../../lambda/templates/catalog.js";
import { call, testApp } from "../support/callbacks.js";
import { customers } from "../support/fixtures.js";

const PATH = "/callbacks/templates";
const ask = (customerId: string) => ({
  Location: "GetTemplatesByCustomerId",
  Worker: "alice@example.com",
  CustomerId: customerId,
  ConversationSid: "CH" + "1".repeat(32),
});

describe("templates: GetTemplatesByCustomerId", () => {
  it("answers a top-level array of categories with every placeholder filled", async () => {
    const answer = await call(testApp().app, PATH, ask("1"));
    expect(answer.status).toBe(200);
    expect(Array.isArray(answer.json)).toBe(true);
    expect(answer.json.map((c: { display_name: string }) => c.display_name)).toEqual(["Openers", "Replies", "Closing"]);
    expect(answer.text).not.toMatch(/\{\{/);
    // No display name known here: {{Author}} is the identity's local part, never the email address.
    expect(answer.json[0].templates[0].content).toBe("Hello Ann, this is alice. How can I help you today?");
  });

  it("fills {{Author}} with the worker's display name", async () => {
    const asked: string[] = [];
    const workerName = async (identity: string) => (
      asked.push(identity), identity === "alice@example.com" ? "Alice Liddell" : undefined
    );
    const answer = await call(testApp({ workerName }).app, PATH, ask("1"));
    expect(answer.status).toBe(200);
    expect(answer.json[0].templates[0].content).toBe("Hello Ann, this is Alice Liddell. How can I help you today?");
    expect(asked).toEqual(["alice@example.com"]);
  });

  it("falls back to the identity's local part when the name lookup fails, and still answers 200", async () => {
    const workerName = async () => Promise.reject(new Error("Users API down"));
    const answer = await call(testApp({ workerName }).app, PATH, ask("1"));
    expect(answer.status).toBe(200);
    expect(answer.json[0].templates[0].content).toBe("Hello Ann, this is alice. How can I help you today?");
  });

  it("names the customer's owner when the request carries no Worker", async () => {
    const workerName = async (identity: string) => (identity === "Alice@Example.com" ? "Alice Liddell" : undefined);
    const { Worker: _worker, ...withoutWorker } = ask("1");
    const answer = await call(testApp({ workerName }).app, PATH, withoutWorker);
    expect(answer.json[0].templates[0].content).toBe("Hello Ann, this is Alice Liddell. How can I help you today?");
  });

  it("keeps whatsAppApproved in Frontline's camel case", async () => {
    const answer = await call(testApp().app, PATH, ask("1"));
    expect(answer.json[0].templates[2]).toEqual({
      content: expect.stringContaining("Ann Smith"),
      whatsAppApproved: true,
    });
  });

  it("answers 404 for an unknown customer", async () => {
    const answer = await call(testApp().app, PATH, ask("nobody"));
    expect(answer.status).toBe(404);
  });

  it("answers 400 without CustomerId", async () => {
    expect((await call(testApp().app, PATH, { Location: "GetTemplatesByCustomerId", Worker: "a" })).status).toBe(400);
  });

  it("fills every occurrence of a placeholder, not only the first", () => {
    const [category] = renderTemplates(
      parseTemplates([{ display_name: "X", templates: [{ content: "{{FirstName}} {{FirstName}} {{ Name }}" }] }]),
      customers[0]!,
      "w",
    );
    expect(category!.templates[0]!.content).toBe("Ann Ann Ann Smith");
  });

  it("rejects a template file with an unknown placeholder, naming where", () => {
    expect(() =>
      parseTemplates([{ display_name: "X", templates: [{ content: "Hi {{Nickname}}" }] }], "my.json"),
    ).toThrow(/my\.json\[0\]\.templates\[0\]\.content: unknown placeholder \{\{Nickname\}\}/);
  });

  it.each([["{{first_name}}"], ["{{Name.First}}"], ["{{}}"], ["{{ toString }}"], ["{{constructor}}"]])(
    "rejects %s, which would reach the customer unfilled",
    (placeholder) => {
      expect(() => parseTemplates([{ display_name: "X", templates: [{ content: `Hi ${placeholder}` }] }])).toThrow(
        /unknown placeholder/,
      );
    },
  );

  it.each([
    [{}, /expected a JSON array/],
    [[{ templates: [] }], /display_name/],
    [[{ display_name: "X", templates: [{ content: "" }] }], /content/],
    [[{ display_name: "X", templates: [{ content: "a", whatsAppApproved: "yes" }] }], /whatsAppApproved/],
  ])("rejects a malformed template file %#", (data, message) => {
    expect(() => parseTemplates(Array.isArray(data) ? data : data)).toThrow(message);
  });

  it("ships a default set that renders cleanly for every demo-like customer", () => {
    for (const customer of customers) {
      expect(JSON.stringify(renderTemplates(DEFAULT_TEMPLATES, customer, "w@example.com"))).not.toMatch(/\{\{/);
    }
  });
});
