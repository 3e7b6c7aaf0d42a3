import { describe, expect, it } from "vitest";
import { InvalidPageTokenError } from "../../lambda/customers/directory.js";
import { decodePageToken, encodePageToken } from "../../lambda/customers/page-token.js";

const list = { workerKey: "alice@example.com", searchKey: "ann s" };

describe("page tokens", () => {
  it("round-trips the position for the list it was issued for", () => {
    const token = encodePageToken({ ...list, after: "c-\u{1F600}-42" });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, list)).toBe("c-\u{1F600}-42");
  });

  it("is refused for another worker or another search", () => {
    const token = encodePageToken({ ...list, after: "1" });
    expect(() => decodePageToken(token, { ...list, workerKey: "bob@example.com" })).toThrow(InvalidPageTokenError);
    expect(() => decodePageToken(token, { ...list, searchKey: "ann" })).toThrow(InvalidPageTokenError);
    expect(() => decodePageToken(token, { ...list, searchKey: "" })).toThrow(InvalidPageTokenError);
  });

  it("refuses bytes that are not UTF-8", () => {
    expect(() => decodePageToken(Buffer.from([0x7b, 0xff, 0x7d]).toString("base64url"), list)).toThrow(
      InvalidPageTokenError,
    );
  });
});
