import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { type AwsCredentials, signRequest } from "../../lambda/aws/sigv4.js";

/** What @smithy/hash-node does: the SDK's Sha256 interface over node:crypto (HMAC when given a key). */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData) =>
  typeof data === "string"
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const DATE = new Date("2026-03-14T09:26:53.589Z");
const KEYS: AwsCredentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
const TEMPORARY: AwsCredentials = {
  ...KEYS,
  accessKeyId: "ASIAEXAMPLE",
  sessionToken: "IQoJb3JpZ2luX2VjEA//////////wEaCXVzLWVhc3QtMSJH+session=",
};

interface Case {
  name: string;
  url: string;
  service: string;
  region: string;
  credentials: AwsCredentials;
  headers: Record<string, string>;
  body: string;
}

const CASES: Case[] = [
  {
    name: "DynamoDB Query (JSON 1.0)",
    url: "https://dynamodb.us-east-1.amazonaws.com/",
    service: "dynamodb",
    region: "us-east-1",
    credentials: KEYS,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "DynamoDB_20120810.Query" },
    body: JSON.stringify({
      TableName: "customers",
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: "address#+1555" } },
    }),
  },
  {
    // The payload hash must cover the UTF-8 bytes, not UTF-16 code units: customer names are not ASCII.
    name: "DynamoDB PutItem with a non-ASCII body",
    url: "https://dynamodb.us-east-1.amazonaws.com/",
    service: "dynamodb",
    region: "us-east-1",
    credentials: KEYS,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "DynamoDB_20120810.PutItem" },
    body: JSON.stringify({ TableName: "customers", Item: { display_name: { S: "José Müller 🙂 東京" } } }),
  },
  {
    name: "SSM GetParameters with a session token (Lambda's credentials)",
    url: "https://ssm.eu-west-1.amazonaws.com/",
    service: "ssm",
    region: "eu-west-1",
    credentials: TEMPORARY,
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonSSM.GetParameters" },
    body: JSON.stringify({
      Names: ["/frontline/dev/twilio-auth-token", "/frontline/dev/twilio-auth-token-secondary"],
      WithDecryption: true,
    }),
  },
  {
    name: "a loopback endpoint with a port, unsigned and odd-whitespace headers",
    url: "http://127.0.0.1:8000/",
    service: "dynamodb",
    region: "us-east-1",
    credentials: KEYS,
    headers: {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": "DynamoDB_20120810.GetItem",
      "x-custom": "  two   spaces\tand a tab  ",
      "user-agent": "not signed",
      "x-amzn-trace-id": "Root=1-not-signed",
    },
    body: "{}",
  },
  {
    name: "a path with segments and a query string (sorted, RFC 3986 escaped)",
    url: "https://example.us-west-2.amazonaws.com/a/b%20c/./d/../e?z=1&a=b%20c&a=a&star=*&paren=(x)",
    service: "execute-api",
    region: "us-west-2",
    credentials: TEMPORARY,
    headers: { "content-type": "text/plain" },
    body: "",
  },
];

describe("SigV4 signer (lambda/aws/sigv4.ts)", () => {
  it.each(CASES)("signs $name exactly as @smithy/signature-v4 does", async (c) => {
    const url = new URL(c.url);
    const ours = signRequest(
      { method: "POST", url, headers: c.headers, body: c.body },
      { service: c.service, region: c.region, credentials: c.credentials, date: DATE },
    );

    const smithy = new SignatureV4({
      service: c.service,
      region: c.region,
      credentials: c.credentials,
      sha256: Sha256,
    });
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of url.searchParams) {
      const prior = query[key];
      query[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
    }
    const signed = await smithy.sign(
      {
        method: "POST",
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query,
        headers: { ...c.headers, host: url.host },
        body: c.body,
      },
      { signingDate: DATE },
    );
    const lower = (headers: Record<string, string>) =>
      Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(lower(ours)).toEqual(lower(signed.headers as Record<string, string>));
    expect(ours.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=A[KS]IDEXAMPLE|^AWS4-HMAC-SHA256 Credential=A[KS]IAEXAMPLE/,
    );
  });

  it("changes the signature when the body, the target or the day changes", () => {
    const base = CASES[0]!;
    const sign = (body: string, target: string, date: Date) =>
      signRequest(
        { method: "POST", url: new URL(base.url), headers: { ...base.headers, "x-amz-target": target }, body },
        { service: "dynamodb", region: "us-east-1", credentials: KEYS, date },
      ).authorization;
    const reference = sign(base.body, "DynamoDB_20120810.Query", DATE);
    expect(sign(`${base.body} `, "DynamoDB_20120810.Query", DATE)).not.toBe(reference);
    expect(sign(base.body, "DynamoDB_20120810.Scan", DATE)).not.toBe(reference);
    expect(sign(base.body, "DynamoDB_20120810.Query", new Date(DATE.getTime() + 86_400_000))).not.toBe(reference);
  });
});
