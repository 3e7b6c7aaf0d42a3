import { describe, expect, it } from "vitest";
import { checkInputs, diffInputs, differing, formFor, liveValues, problem, sameValue, UNKNOWN, writable, type FieldTable } from "../../infra/twilio/fields.js";

const IS = "IS0123456789abcdef0123456789abcdef";

const table: FieldTable = {
  serviceSid: { rule: { kind: "sid", prefix: "IS", what: "Conversations service" }, required: true, identity: true },
  url: { rule: { kind: "https" }, param: "Url", path: "url" },
  filters: { rule: { kind: "events", values: ["a", "b", "c"], mustInclude: ["a"] }, default: ["a"], param: "Filters", path: "nested.filters" },
};

describe("check rules name the field and the expected form", () => {
  it.each([
    ["sid", { kind: "sid", prefix: "IS", what: "Conversations service" }, "IS123", /serviceSid must be a Conversations service SID: "IS" followed by 32 hex characters/],
    ["sid of the wrong kind", { kind: "sid", prefix: "MG", what: "Messaging Service" }, IS, /"MG" followed by 32 hex/],
    ["e164 with spaces", { kind: "e164" }, "+1 415 555 0100", /E\.164 form/],
    ["e164 without plus", { kind: "e164" }, "14155550100", /E\.164 form/],
    ["address", { kind: "address" }, "whatsapp:14155550100", /WhatsApp address/],
    ["http URL", { kind: "https" }, "http://example.com/x", /absolute https:\/\/ URL/],
    ["relative URL", { kind: "https" }, "/callbacks/crm", /absolute https:\/\/ URL/],
    ["URL with credentials", { kind: "https" }, "https://user:pw@example.com/", /without credentials/],
    ["too long text", { kind: "text", max: 3 }, "abcd", /at most 3 characters/],
    ["not a bool", { kind: "bool" }, "true", /true or false/],
    ["not in the set", { kind: "oneOf", values: ["POST"] }, "GET", /one of "POST"/],
    ["unknown event", { kind: "events", values: ["a"], mustInclude: [] }, ["z"], /list of Conversations webhook events/],
    ["missing Frontline event", { kind: "events", values: ["a", "b"], mustInclude: ["a"] }, ["b"], /must include a, which Frontline needs/],
    ["user with a slash", { kind: "user" }, "a/b", /Frontline user SID/],
  ] as const)("refuses %s", (_name, rule, value, message) => {
    expect(problem("serviceSid", rule, value)).toMatch(message);
  });

  it.each([
    [{ kind: "sid", prefix: "IS", what: "x" }, IS],
    [{ kind: "e164" }, "+14155550100"],
    [{ kind: "address" }, "whatsapp:+14155550100"],
    [{ kind: "https" }, "https://abc.execute-api.eu-west-1.amazonaws.com/callbacks/twilio-conversations"],
    [{ kind: "user" }, "jane@example.com"],
  ] as const)("accepts a well-formed value (%o)", (rule, value) => {
    expect(problem("f", rule, value)).toBeUndefined();
  });

  it("accepts the preview placeholder for any rule", () => {
    expect(problem("url", { kind: "https" }, UNKNOWN)).toBeUndefined();
    expect(problem("f", { kind: "events", values: ["a"], mustInclude: ["a"] }, [UNKNOWN])).toBeUndefined();
  });
});

describe("checkInputs", () => {
  it("fills defaults, keeps only table fields, and reports every failure", () => {
    const { inputs, failures } = checkInputs(table, ["previous"], { serviceSid: IS, url: "https://x.example/a", previous: {}, __provider: "code" });
    expect(inputs).toEqual({ serviceSid: IS, url: "https://x.example/a", filters: ["a"] });
    expect(failures).toEqual([]);
  });

  it("reports a missing required field and refuses unknown names, pointing credentials at stack config", () => {
    const { failures } = checkInputs(table, [], { authToken: "secret", extra: 1 });
    expect(failures).toEqual([
      { property: "serviceSid", reason: "serviceSid is required" },
      { property: "authToken", reason: expect.stringMatching(/stack config twilio:accountSid \/ twilio:authToken/) },
      { property: "extra", reason: "extra is not an argument of this resource" },
    ]);
  });
});

describe("diff against old outputs", () => {
  const olds = { serviceSid: IS, url: "https://x.example/a", filters: ["a", "b"], previous: { url: null } };

  it("reports no change when nothing changed, whatever the list order", () => {
    expect(diffInputs(table, olds, { serviceSid: IS, url: "https://x.example/a", filters: ["b", "a"] })).toEqual({ changes: false, replaces: [] });
  });

  it("reports an in-place change", () => {
    expect(diffInputs(table, olds, { ...olds, url: "https://x.example/b" })).toEqual({ changes: true, replaces: [] });
  });

  it("replaces on an identity field", () => {
    expect(diffInputs(table, olds, { ...olds, serviceSid: IS.replace("0", "1") })).toEqual({ changes: true, replaces: ["serviceSid"] });
  });

  it("treats an unknown value as a change (preview)", () => {
    expect(diffInputs(table, olds, { ...olds, url: UNKNOWN })).toEqual({ changes: true, replaces: [] });
  });
});

describe("value mapping", () => {
  it("reads nested fields, writes parameter names, and finds the differences", () => {
    const body = { url: "https://x.example/a", nested: { filters: ["a"] } };
    expect(liveValues(table, body, ["url", "filters", "serviceSid"])).toEqual({ url: "https://x.example/a", filters: ["a"] });
    expect(writable(table, { serviceSid: IS, url: "https://y.example", filters: undefined })).toEqual({ url: "https://y.example" });
    expect(formFor(table, { url: null, filters: ["a", "b"] })).toEqual({ Url: null, Filters: ["a", "b"] });
    expect(differing({ url: "https://x.example/a", filters: ["a", "b"] }, { url: "https://x.example/a", filters: ["a"] })).toEqual({ filters: ["a", "b"] });
  });

  it("treats null, empty and absent as the same value", () => {
    expect(sameValue(null, "")).toBe(true);
    expect(sameValue(undefined, null)).toBe(true);
    expect(sameValue("a", "")).toBe(false);
    expect(sameValue(false, null)).toBe(false);
  });
});
