import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dynamoClient } from "../../lambda/aws/dynamodb.js";
import { AwsError, endpointFor } from "../../lambda/aws/json-client.js";
import { ssmClient } from "../../lambda/aws/ssm.js";
import { ConfigError } from "../../lambda/runtime/env.js";
import { readTokenParameters } from "../../lambda/runtime/ssm-parameter.js";
import { startFakeSsm } from "../support/fake-ssm.js";

const PRIMARY = "/frontline-stack/test/twilio-auth-token";
const SECONDARY = "/frontline-stack/test/twilio-auth-token-secondary";

let ssm: Awaited<ReturnType<typeof startFakeSsm>>;
beforeAll(async () => {
  ssm = await startFakeSsm({ [PRIMARY]: "a".repeat(32) });
});
afterAll(() => ssm?.close());

const lambdaEnv = (extra: Record<string, string> = {}) => ({
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "ASIATEST",
  AWS_SECRET_ACCESS_KEY: "secret",
  AWS_SESSION_TOKEN: "session-token",
  AWS_ENDPOINT_URL_SSM: ssm.endpoint,
  ...extra,
});
const noSleep = async () => {};

describe("SSM over the SigV4 client, against a fake SSM on loopback", () => {
  it("reads both tokens in one signed GetParameters call, with decryption and the session token", async () => {
    ssm.parameters[SECONDARY] = "b".repeat(32);
    ssm.requests.length = 0;
    try {
      const tokens = await readTokenParameters(ssmClient({ env: lambdaEnv() }), PRIMARY, SECONDARY);
      expect(tokens).toEqual(["a".repeat(32), "b".repeat(32)]);
      expect(ssm.requests).toHaveLength(1);
      expect(ssm.requests[0]!.target).toBe("AmazonSSM.GetParameters");
      expect(ssm.requests[0]!.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=ASIATEST\/\d{8}\/us-east-1\/ssm\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-security-token[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
      );
      expect(ssm.reads.slice(-2).every((read) => read.withDecryption)).toBe(true);
    } finally {
      delete ssm.parameters[SECONDARY];
    }
  });

  it("treats a secondary parameter that does not exist as no second token", async () => {
    expect(await readTokenParameters(ssmClient({ env: lambdaEnv() }), PRIMARY, SECONDARY)).toEqual(["a".repeat(32)]);
  });

  it("fails naming the primary parameter when it does not exist", async () => {
    await expect(readTokenParameters(ssmClient({ env: lambdaEnv() }), "/nope", SECONDARY)).rejects.toThrow(
      "SSM parameter /nope does not exist",
    );
  });

  it("retries a 5xx and a throttling error, then answers", async () => {
    ssm.requests.length = 0;
    Object.assign(ssm.behaviour, { failures: 1, status: 500, errorType: "InternalServerError" });
    expect(await readTokenParameters(ssmClient({ env: lambdaEnv(), sleep: noSleep }), PRIMARY)).toEqual([
      "a".repeat(32),
    ]);
    Object.assign(ssm.behaviour, { failures: 2, status: 400, errorType: "ThrottlingException" });
    expect(await readTokenParameters(ssmClient({ env: lambdaEnv(), sleep: noSleep }), PRIMARY)).toEqual([
      "a".repeat(32),
    ]);
    expect(ssm.requests).toHaveLength(5);
  });

  it("gives up after three attempts and maps the error to its AWS name", async () => {
    ssm.requests.length = 0;
    Object.assign(ssm.behaviour, { failures: 5, status: 400, errorType: "ThrottlingException" });
    try {
      const failure = await ssmClient({ env: lambdaEnv(), sleep: noSleep })
        .getParameters([PRIMARY])
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AwsError);
      expect(failure).toMatchObject({ name: "ThrottlingException", status: 400, retryable: true });
      expect(ssm.requests).toHaveLength(3);
    } finally {
      ssm.behaviour.failures = 0;
    }
  });

  it("does not retry what retrying cannot fix (AccessDeniedException)", async () => {
    ssm.requests.length = 0;
    Object.assign(ssm.behaviour, { failures: 1, status: 400, errorType: "com.amazonaws.ssm#AccessDeniedException" });
    await expect(ssmClient({ env: lambdaEnv(), sleep: noSleep }).getParameters([PRIMARY])).rejects.toMatchObject({
      name: "AccessDeniedException",
      retryable: false,
    });
    expect(ssm.requests).toHaveLength(1);
  });

  it("drops an attempt that hangs and retries it, within the call's budget", async () => {
    ssm.behaviour.delayMs = 2_000;
    ssm.requests.length = 0;
    const started = Date.now();
    try {
      const failure = await ssmClient({ env: lambdaEnv(), attemptTimeoutMs: 100, budgetMs: 450 })
        .getParameters([PRIMARY])
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ name: "TimeoutError" });
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(95);
      expect(took).toBeLessThan(1_000);
      expect(ssm.requests.length).toBeGreaterThanOrEqual(2);
    } finally {
      ssm.behaviour.delayMs = 0;
    }
  });

  it("never runs past the invocation's deadline, whatever the budget", async () => {
    ssm.behaviour.delayMs = 2_000;
    const started = Date.now();
    try {
      const failure = await ssmClient({
        env: lambdaEnv(),
        budgetMs: 10_000,
        attemptTimeoutMs: 5_000,
        deadline: () => started + 150,
      })
        .getParameters([PRIMARY])
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ name: "TimeoutError" });
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      ssm.behaviour.delayMs = 0;
    }
  });

  it("refuses to start without a region or credentials, naming the variable", async () => {
    const { AWS_REGION: _region, ...noRegion } = lambdaEnv();
    await expect(ssmClient({ env: noRegion }).getParameters([PRIMARY])).rejects.toThrow(ConfigError);
    await expect(ssmClient({ env: noRegion }).getParameters([PRIMARY])).rejects.toThrow(/AWS_REGION/);
    const { AWS_SECRET_ACCESS_KEY: _secret, ...noKey } = lambdaEnv();
    await expect(ssmClient({ env: noKey }).getParameters([PRIMARY])).rejects.toThrow(/AWS_SECRET_ACCESS_KEY/);
  });
});

describe("endpoints, as the AWS SDK resolves them", () => {
  const ssmService = { signingName: "ssm", endpointId: "SSM", targetPrefix: "AmazonSSM", jsonVersion: "1.1" } as const;
  it.each([
    [{}, "eu-west-1", "https://ssm.eu-west-1.amazonaws.com/"],
    [{}, "cn-north-1", "https://ssm.cn-north-1.amazonaws.com.cn/"],
    [{ AWS_ENDPOINT_URL: "http://127.0.0.1:4566" }, "us-east-1", "http://127.0.0.1:4566/"],
    [
      { AWS_ENDPOINT_URL: "http://127.0.0.1:4566", AWS_ENDPOINT_URL_SSM: "http://127.0.0.1:9000" },
      "us-east-1",
      "http://127.0.0.1:9000/",
    ],
    [{ AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:8000" }, "us-east-1", "https://ssm.us-east-1.amazonaws.com/"],
    [
      { AWS_ENDPOINT_URL_SSM: "http://127.0.0.1:9000", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" },
      "us-east-1",
      "https://ssm.us-east-1.amazonaws.com/",
    ],
  ])("%j in %s -> %s", (env, region, expected) => {
    expect(endpointFor(ssmService, env, region).href).toBe(expected);
  });

  it("names the variable holding a malformed endpoint", () => {
    expect(() => endpointFor(ssmService, { AWS_ENDPOINT_URL_SSM: "localhost:9000x" }, "us-east-1")).toThrow(
      /AWS_ENDPOINT_URL_SSM/,
    );
  });
});

describe("DynamoDB over the SigV4 client, against dynalite", () => {
  const env = () => ({
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL: inject("dynamoEndpoint"),
  });

  it("maps DynamoDB's error type to the error's name (AWS_ENDPOINT_URL honoured)", async () => {
    const call = dynamoClient({ env: env(), maxAttempts: 1 });
    await expect(
      call("GetItem", { TableName: "no-such-table", Key: { pk: { S: "x" }, sk: { S: "y" } } }),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      status: 400,
      retryable: false,
    });
  });

  it("answers a refused connection with a retryable network error", async () => {
    const call = dynamoClient({
      env: { ...env(), AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
      maxAttempts: 2,
      sleep: noSleep,
    });
    await expect(call("GetItem", { TableName: "t", Key: {} })).rejects.toMatchObject({
      name: "NetworkError",
      retryable: true,
    });
  });
});
