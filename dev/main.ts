import { existsSync } from "node:fs";
import type { AdapterOptions } from "../lambda/http/adapter.js";
import { CALLBACK_PATHS, createLocalApp } from "./local-app.js";
import { createCallbackServer } from "./server.js";

/** `npm start`: reads an optional .env, then serves the callbacks on PORT (default 3000). */
async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  let app: AdapterOptions;
  try {
    app = createLocalApp(process.env);
  } catch (error) {
    // Missing variables and bad data files: one line naming what to fix, no stack trace.
    console.error(`Cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const port = Number(process.env.PORT || 3000);
  const host = process.env.HOST || "127.0.0.1";
  const server = createCallbackServer(app);
  server.listen(port, host, () => {
    const address = server.address();
    const bound = typeof address === "object" && address ? address.port : port;
    const base = (process.env.PUBLIC_BASE_URL || `http://${host}:${bound}`).replace(/\/+$/, "");
    console.log(`Frontline callbacks listening on http://${host}:${bound}`);
    for (const path of CALLBACK_PATHS) console.log(`  ${base}${path}`);
    if (!process.env.PUBLIC_BASE_URL) console.log("Set PUBLIC_BASE_URL to your tunnel's https URL: Twilio signs that URL.");
  });
  const stop = () => server.close(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

void main();
