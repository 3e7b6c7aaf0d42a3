import { describe, expect, it } from "vitest";
import { argumentTable, type FieldTable, type Rule, rules, UNKNOWN } from "../../infra/twilio/fields.js";

const IS = "IS0123456789abcdef0123456789abcdef";
const problem = (field: string, rule: Rule, value: unknown) => argumentTable({ [field]: rule }).problem(field, value);

const table: FieldTable = {
  serviceSid: { ...rules.sid("IS", "Conversations service"), required: true, identity: true },
  url: { ...rules.https(), param: "Url", path: "url" },
  filters: { ...rules.events(["a", "b", "c"], ["a"]), defaultValue: ["a"], param: "Filters", path: "nested.filters" },
};

describe("check rules name the field and the expected form", () => {
  it.each([
    [
      "a short SID",
      rules.sid("IS", "Conversations service"),
      "IS123",
      /^serviceSid must be a Conversations service SID: "IS" and 32 hex characters, got "IS123"$/,
    ],
    ["a SID of the wrong kind", rules.sid("MG", "Messaging Service"), IS, /"MG" and 32 hex/],
    ["a SID with a suffix", rules.sid("IS", "x"), `${IS}0`, /"IS" and 32 hex/],
    ["E.164 with spaces", rules.e164(), "+1 415 555 0100", /E\.164 form/],
    ["E.164 without plus", rules.e164(), "14155550100", /E\.164 form/],
    ["a WhatsApp address without plus", rules.address(), "whatsapp:14155550100", /WhatsApp address/],
    ["an http URL", rules.https(), "http://example.com/x", /an https:\/\/ URL/],
    ["a relative URL", rules.https(), "/callbacks/crm", /an https:\/\/ URL/],
    ["a URL with credentials", rules.https(), "https://user:pw@example.com/", /without credentials/],
    ["a URL with a space", rules.https(), "https://example.com/a b", /an https:\/\/ URL/],
    ["too long text", rules.text(3), "abcd", /at most 3 characters/],
    ["blank text", rules.text(3), "  ", /non-empty/],
    ["a string for a boolean", rules.bool(), "true", /true or false/],
    ["a value outside the set", rules.oneOf(["POST"]), "GET", /one of "POST"/],
    [
      "a value that only starts like one in the set",
      rules.oneOf(["sms", "whatsapp"]),
      "smsx",
      /one of "sms", "whatsapp"/,
    ],
    ["an unknown event", rules.events(["a"], []), ["z"], /list of Conversations webhook events/],
    ["a list without a needed event", rules.events(["a", "b"], ["a"]), ["b"], /that includes a, which Frontline needs/],
  ] as const)("refuses %s", (_name, rule, value, message) => {
    expect(problem("serviceSid", rule, value)).toMatch(message);
  });

  it.each([
    [rules.sid("IS", "x"), IS],
    [rules.e164(), "+14155550100"],
    [rules.address(), "whatsapp:+14155550100"],
    [rules.https(), "https://abc.execute-api.eu-west-1.amazonaws.com/callbacks/twilio-conversations?x=1"],
    [rules.https(), "https://example.com"],
    [rules.oneOf(["sms", "whatsapp"]), "whatsapp"],
    [rules.bool(), false],
    [rules.events(["a", "b"], ["a"]), ["b", "a"]],
  ] as const)("accepts a well-formed value (%o)", (rule, value) => {
    expect(problem("f", rule, value)).toBeUndefined();
  });

  it("accepts the preview placeholder for any rule, also inside a list", () => {
    expect(problem("url", rules.https(), UNKNOWN)).toBeUndefined();
    expect(problem("f", rules.events(["a"], ["a"]), [UNKNOWN])).toBeUndefined();
  });
});

describe("check", () => {
  it("fills defaults, keeps only table fields, and reports every failure", () => {
    const { inputs, failures } = argumentTable(table).check(
      { serviceSid: IS, url: "https://x.example/a", previous: {}, __provider: "code" },
      ["previous"],
    );
    expect(inputs).toEqual({ serviceSid: IS, url: "https://x.example/a", filters: ["a"] });
    expect(failures).toEqual([]);
  });

  it("reports a missing required field and refuses unknown names, pointing credentials at stack config", () => {
    const { failures } = argumentTable(table).check({ authToken: "secret", extra: 1 }, []);
    expect(failures).toEqual([
      { property: "serviceSid", reason: "serviceSid is required" },
      { property: "authToken", reason: expect.stringMatching(/stack config twilio:\*, never from inputs/) },
      { property: "extra", reason: "extra is not an argument of this resource" },
    ]);
  });
});

describe("diff against old outputs", () => {
  const olds = { serviceSid: IS, url: "https://x.example/a", filters: ["a", "b"], previous: { url: null } };

  it("reports no change when nothing changed, whatever the list order", () => {
    expect(
      argumentTable(table).diff(olds, { serviceSid: IS, url: "https://x.example/a", filters: ["b", "a"] }),
    ).toEqual({ changes: false, replaces: [] });
  });

  it("reports an in-place change", () => {
    expect(argumentTable(table).diff(olds, { ...olds, url: "https://x.example/b" })).toEqual({
      changes: true,
      replaces: [],
    });
  });

  it("replaces on an identity field", () => {
    expect(argumentTable(table).diff(olds, { ...olds, serviceSid: IS.replace("0", "1") })).toEqual({
      changes: true,
      replaces: ["serviceSid"],
    });
  });

  it("treats an unknown value as a change (preview)", () => {
    expect(argumentTable(table).diff(olds, { ...olds, url: UNKNOWN })).toEqual({ changes: true, replaces: [] });
  });
});

describe("value mapping", () => {
  it("reads nested fields (absent as null), writes parameter names, and finds the differences", () => {
    const args = argumentTable(table);
    expect(
      args.live({ url: "https://x.example/a", nested: { filters: ["a"] } }, ["url", "filters", "serviceSid"]),
    ).toEqual({ url: "https://x.example/a", filters: ["a"] });
    expect(args.live({ url: "https://x.example/a" }, ["filters"])).toEqual({ filters: null });
    expect(args.writable({ serviceSid: IS, url: "https://y.example", filters: undefined })).toEqual({
      url: "https://y.example",
    });
    // A null is sent (empty, to clear) only for a field the spec lets be emptied; others are left out.
    expect(args.form({ url: null, filters: ["a", "b"] })).toEqual({ Filters: ["a", "b"] });
    expect(argumentTable({ url: { ...table["url"]!, clearable: true } }).form({ url: null })).toEqual({ Url: null });
    expect(
      args.differing(
        { url: "https://x.example/a", filters: ["a", "b"] },
        { url: "https://x.example/a", filters: ["a"] },
      ),
    ).toEqual({ filters: ["a", "b"] });
  });

  it("treats null, empty and absent as the same value", () => {
    const { same } = argumentTable(table);
    expect(same(null, "")).toBe(true);
    expect(same(undefined, null)).toBe(true);
    expect(same("a", "")).toBe(false);
    expect(same(false, null)).toBe(false);
  });
});
