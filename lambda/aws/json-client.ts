import { ConfigError, type Env } from "../config-error.js";
import { exchange, HttpNetworkError } from "./http.js";
import { type AwsCredentials, signRequest } from "./sigv4.js";

/** An AWS JSON-protocol service as the SDK names it: signing name, endpoint key, target prefix. */
export interface AwsService {
  /** SigV4 signing name and the first label of the default host, e.g. "ssm", "dynamodb". */
  signingName: string;
  /** The part of AWS_ENDPOINT_URL_<ID> the SDK reads for this service, e.g. "SSM", "DYNAMODB". */
  endpointId: string;
  /** X-Amz-Target is `<targetPrefix>.<Operation>`. */
  targetPrefix: string;
  jsonVersion: "1.0" | "1.1";
}

export interface AwsClientOptions {
  env?: Env;
  /**
   * Absolute time (epoch ms) by which the whole callback must have answered (Lambda: the
   * invocation's remaining time less a margin). No attempt runs past it.
   */
  deadline?: () => number | undefined;
  /** Total time for one call including retries. */
  budgetMs?: number;
  /** Longest single attempt: a stuck connection is dropped and retried while time is left. */
  attemptTimeoutMs?: number;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** An AWS error after retries, with the service's error name (e.g. ResourceNotFoundException). */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly retryable: boolean,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = code;
  }

  /**
   * What a log line may carry: AWS's message is left out because a validation message can quote the
   * key it was given, and a key here is a customer's number.
   */
  logFields(): Record<string, string | number | undefined> {
    return { error: this.code, awsStatus: this.status, awsRequestId: this.requestId };
  }
}

// The error names the SDK's standard retry strategy treats as throttling.
const THROTTLING = new Set([
  "ThrottlingException",
  "ThrottledException",
  "Throttling",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "LimitExceededException",
  "RequestThrottled",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
]);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function credentialsFrom(env: Env): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigError(
      "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required (Lambda sets them from the function's role)",
    );
  }
  const sessionToken = env.AWS_SESSION_TOKEN?.trim();
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

export function regionFrom(env: Env): string {
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region) {
    throw new ConfigError("AWS_REGION is required (Lambda sets it; locally export AWS_REGION=us-east-1 or similar)");
  }
  return region;
}

/** The SDK's order: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the regional endpoint. */
export function endpointFor(service: AwsService, env: Env, region: string): URL {
  const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === "true";
  const serviceKey = `AWS_ENDPOINT_URL_${service.endpointId}`;
  const configured = ignore ? undefined : env[serviceKey]?.trim() || env.AWS_ENDPOINT_URL?.trim();
  if (configured) {
    let url: URL | undefined;
    try {
      url = new URL(configured);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== "http:" && url?.protocol !== "https:") {
      const name = env[serviceKey]?.trim() ? serviceKey : "AWS_ENDPOINT_URL";
      throw new ConfigError(`${name} must be an http(s) URL such as http://127.0.0.1:8000`);
    }
    return url;
  }
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return new URL(`https://${service.signingName}.${region}.${suffix}/`);
}

export type AwsCall = <O>(operation: string, input: unknown) => Promise<O>;

/**
 * A signed JSON-protocol client: one POST per attempt, retries on throttling, 5xx and network
 * errors with the SDK's backoff (full jitter), every attempt bounded by the call's budget and the
 * invocation's deadline. Credentials and region are read from the environment on each call, as
 * Lambda provides them.
 */
export function awsJsonClient(service: AwsService, options: AwsClientOptions = {}): AwsCall {
  const env = options.env ?? process.env;
  const sleep = options.sleep ?? sleepFor;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 3;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 1500;
  return async <O>(operation: string, input: unknown): Promise<O> => {
    const region = regionFrom(env);
    const credentials = credentialsFrom(env);
    const url = endpointFor(service, env, region);
    const body = JSON.stringify(input);
    const callDeadline = options.deadline?.() ?? Number.POSITIVE_INFINITY;
    const deadline = Math.min(Date.now() + (options.budgetMs ?? 3000), callDeadline);
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - Date.now();
      let failure: AwsError;
      if (remaining <= 0) {
        const message = `${service.signingName} ${operation}: no time left before the callback's deadline`;
        throw new AwsError("TimeoutError", 0, message, true);
      }
      try {
        const headers = signRequest(
          {
            method: "POST",
            url,
            headers: {
              "content-type": `application/x-amz-json-${service.jsonVersion}`,
              "x-amz-target": `${service.targetPrefix}.${operation}`,
            },
            body,
          },
          { service: service.signingName, region, credentials },
        );
        const timeoutMs = Math.min(attemptTimeoutMs, remaining);
        const answer = await exchange({ method: "POST", url, headers, body, timeoutMs });
        if (answer.status >= 200 && answer.status < 300) return (answer.body ? JSON.parse(answer.body) : {}) as O;
        failure = errorFrom(service, operation, answer.status, answer.headers, answer.body);
      } catch (error) {
        if (!(error instanceof HttpNetworkError)) throw error;
        failure = new AwsError(error.name, 0, `${service.signingName} ${operation}: ${error.message}`, true);
      }
      if (!failure.retryable || attempt >= maxAttempts) throw failure;
      // Full jitter over 100 ms * 2^n (500 ms for throttling), capped at 20 s as the SDK does.
      const base = THROTTLING.has(failure.code) ? 500 : 100;
      const wait = Math.floor(random() * Math.min(20_000, base * 2 ** (attempt - 1)));
      if (deadline - Date.now() <= wait + 10) throw failure;
      await sleep(wait);
    }
  };
}

function errorFrom(
  service: AwsService,
  operation: string,
  status: number,
  headers: Record<string, unknown>,
  text: string,
): AwsError {
  let body: { __type?: unknown; message?: unknown; Message?: unknown; code?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // A proxy or load balancer page: the status alone has to do.
  }
  // "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", or the x-amzn-errortype header.
  const raw = String(headers["x-amzn-errortype"] ?? body.__type ?? body.code ?? "");
  const code = raw.split(":")[0]!.split("#").at(-1) || (status >= 500 ? "ServiceUnavailable" : `HTTP${status}`);
  const message = String(body.message ?? body.Message ?? `HTTP ${status}`);
  const requestId = headers["x-amzn-requestid"];
  const retryable = THROTTLING.has(code) || TRANSIENT_STATUS.has(status) || status === 429;
  const described = `${service.signingName} ${operation}: ${code}: ${message}`;
  return new AwsError(code, status, described, retryable, typeof requestId === "string" ? requestId : undefined);
}
