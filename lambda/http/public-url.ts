import type { HttpRequest } from "./types.js";

/**
 * The URL Twilio signed: the one configured in the Console. Behind API Gateway, CloudFront or a
 * tunnel the Host header and scheme seen here may differ from it, so a configured public base URL
 * wins; without one, the URL is rebuilt from `Host` and `X-Forwarded-Proto` (what tunnels set).
 */
export function publicUrl(
  request: HttpRequest,
  publicBaseUrl: string | undefined,
  defaultScheme: "http" | "https",
): string {
  const query = request.rawQuery ? `?${request.rawQuery}` : "";
  if (publicBaseUrl) return `${publicBaseUrl.replace(/\/+$/, "")}${request.path}${query}`;
  const forwarded = request.headers["x-forwarded-proto"]?.split(",")[0]?.trim().toLowerCase();
  const scheme = forwarded === "http" || forwarded === "https" ? forwarded : defaultScheme;
  return `${scheme}://${request.headers.host ?? ""}${request.path}${query}`;
}
