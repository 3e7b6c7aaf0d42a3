// Not `import`: in the ESM bundle that reads every export of node:crypto, webcrypto's getters included.
const { createHmac, hash } = process.getBuiltinModule("node:crypto");

/**
 * AWS Signature Version 4 over node:crypto, for the JSON APIs the functions call (SSM, DynamoDB):
 * the AWS SDK's signer pulls in @smithy/* and @aws-crypto/* and is most of the SDK's cold start.
 * Headers come out byte-for-byte as @smithy/signature-v4 makes them (test/aws/sigv4.test.ts).
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignableRequest {
  method: string;
  /** Absolute URL; its host (with a non-default port) becomes the signed `host` header. */
  url: URL;
  headers: Record<string, string>;
  body: string;
}

export interface SigningScope {
  service: string;
  region: string;
  credentials: AwsCredentials;
  date?: Date;
}

// What @smithy/signature-v4 never signs: hop-by-hop headers and those a proxy may rewrite.
const UNSIGNABLE = new Set([
  "authorization",
  "cache-control",
  "connection",
  "expect",
  "from",
  "keep-alive",
  "max-forwards",
  "pragma",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
]);

// One-shot crypto.hash, not createHash: no Hash object to build, which on a cold start is most of the
// cost of the two digests each signature takes.
const sha256Hex = (data: string) => hash("sha256", data, "hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/** The signing key depends on the day only; one container signs thousands of requests with it. */
let keyCache: { id: string; key: Buffer } | undefined;
function signingKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const id = `${secret}\n${shortDate}\n${region}\n${service}`;
  if (keyCache?.id !== id) {
    keyCache = { id, key: hmac(hmac(hmac(hmac(`AWS4${secret}`, shortDate), region), service), "aws4_request") };
  }
  return keyCache.key;
}

/** RFC 3986 escaping as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const uriEscape = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(url: URL): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of url.searchParams) {
    const encoded = uriEscape(key);
    byKey.set(encoded, [...(byKey.get(encoded) ?? []), `${encoded}=${uriEscape(value)}`]);
  }
  return [...byKey.keys()]
    .sort()
    .map((key) => byKey.get(key)!.sort().join("&"))
    .join("&");
}

/** Dot segments and empty segments removed, then escaped once more (what non-S3 services expect). */
function canonicalPath(url: URL): string {
  const path = url.pathname || "/";
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return uriEscape(normalized).replace(/%2F/g, "/");
}

const headerValue = (value: string) =>
  value
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/^ | $/g, "");

/**
 * Returns the headers to send: the request's own plus host, x-amz-date, x-amz-security-token (with
 * temporary credentials), x-amz-content-sha256 and authorization.
 */
export function signRequest(request: SignableRequest, scope: SigningScope): Record<string, string> {
  const date = (scope.date ?? new Date()).toISOString().replace(/[:-]|\.\d{3}/g, "");
  const shortDate = date.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers.host ??= request.url.host;
  headers["x-amz-date"] = date;
  if (scope.credentials.sessionToken) headers["x-amz-security-token"] = scope.credentials.sessionToken;
  const payloadHash = sha256Hex(request.body);
  headers["x-amz-content-sha256"] ??= payloadHash;

  const signed = Object.keys(headers)
    .filter((name) => !UNSIGNABLE.has(name) && !name.startsWith("proxy-") && !name.startsWith("sec-"))
    .sort();
  const canonicalHeaders = signed.map((name) => `${name}:${headerValue(headers[name]!)}\n`).join("");
  const signedHeaders = signed.join(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.url),
    canonicalQuery(request.url),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  const credentialScope = `${shortDate}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${date}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`;
  const key = signingKey(scope.credentials.secretAccessKey, shortDate, scope.region, scope.service);
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${scope.credentials.accessKeyId}/${credentialScope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
