import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { HttpRequest, HttpResponse } from "./types.js";

/** API Gateway HTTP API (payload 2.0) event -> the adapter's request. Header names arrive lowercased. */
export function fromApiGatewayEvent(event: APIGatewayProxyEventV2): HttpRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const raw = event.body ?? "";
  return {
    method: event.requestContext?.http?.method ?? "",
    path: event.rawPath ?? "",
    rawQuery: event.rawQueryString ?? "",
    headers,
    body: Buffer.from(raw, event.isBase64Encoded ? "base64" : "utf8"),
  };
}

export function toApiGatewayResult(response: HttpResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: response.status, headers: response.headers, body: response.body, isBase64Encoded: false };
}
