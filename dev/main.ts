import { existsSync } from "node:fs";
import type { AdapterOptions } from "../lambda/http/adapter.js";
import { ConfigError, type Env } from "../lambda/runtime/env.js";
import { CALLBACK_PATHS, createLocalApp } from "./local-app.js";
import { createCallbackServer } from "./server.js";

function listenAddress(env: Env): { port: number; host: string } {
  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError("PORT must be a port number from 0 to 65535");
  return { port, host: env.HOST || "127.0.0.1" };
}

/** Start-up problems end in one line naming what to fix, never a stack trace. */
function stop(message: string): never {
  console.error(`Cannot start: ${message}`);
  process.exit(1);
}

/** `npm start`: reads an optional .env, then serves the callbacks on PORT (default 3000). */
function main(): void {
  if (existsSync(".env")) process.loadEnvFile(".env");
  let app: AdapterOptions;
  let address: { port: number; host: string };
  try {
    app = createLocalApp(process.env);
    address = listenAddress(process.env);
  } catch (error) {
    stop(error instanceof Error ? error.message : String(error));
  }
  const { port, host } = address;
  const server = createCallbackServer(app);
  server.once("error", (error: NodeJS.ErrnoException) =>
    stop(
      error.code === "EADDRINUSE"
        ? `${host}:${port} is in use; set PORT to another port`
        : `cannot listen on ${host}:${port}: ${error.code ?? error.message}`,
    ),
  );
  server.listen(port, host, () => {
    const bound = (server.address() as { port: number }).port;
    const base = (process.env.PUBLIC_BASE_URL || `http://${host}:${bound}`).replace(/\/+$/, "");
    console.log(`Frontline callbacks listening on http://${host}:${bound}`);
    for (const path of CALLBACK_PATHS) console.log(`  ${base}${path}`);
    if (!process.env.PUBLIC_BASE_URL)
      console.log("Set PUBLIC_BASE_URL to your tunnel's https URL: Twilio signs that URL.");
  });
  const close = () => server.close(() => process.exit(0));
  process.once("SIGINT", close);
  process.once("SIGTERM", close);
}

main();
