/**
 * Where a Twilio REST request really goes. Twilio's products live on `https://<product>.twilio.com`;
 * with `TWILIO_API_BASE_URL` set (tests, the emulator, a recording proxy) the same request goes to
 * `<base>/<product>/<path>` instead, so one switch redirects the callbacks and the Pulumi providers alike.
 */
export function twilioApiUrl(url: string, baseUrl: string | undefined): string {
  if (!baseUrl) return url;
  const match = /^https:\/\/([a-z0-9-]+)\.twilio\.com(\/.*)?$/.exec(url);
  if (!match) throw new Error(`not a Twilio API URL: ${url}`);
  return `${baseUrl.replace(/\/+$/, "")}/${match[1]}${match[2] ?? "/"}`;
}
