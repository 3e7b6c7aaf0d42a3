// The local server as the server benchmarks drive it: fixed credentials, loopback on a free port,
// and one request, a worker's first page of 30 customers signed as Twilio signs it. The bare server
// (bench/lib/bare-server.mjs) prints the same "listening" line, so both start the same way.
import { AGENT, pinned, signedPost, startProcess } from "./common.mjs";

const ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
const AUTH_TOKEN = "0123456789abcdef".repeat(2);
const READY = /listening on http:\/\/127\.0\.0\.1:(\d+)/;

/** The local server's environment; with no customers file it serves the bundled demo customers. */
export function serverEnv(customersFile = "") {
  return {
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    CUSTOMERS_FILE: customersFile,
    PORT: "0",
    HOST: "127.0.0.1",
    PUBLIC_BASE_URL: "",
  };
}

/** The request the benchmarks send: `worker`'s first page of 30 customers. */
export const customersPage = (worker = AGENT) => ({ Location: "GetCustomersList", Worker: worker, PageSize: "30" });

/**
 * Starts a server (pinned to `cpu` when given) and waits until it listens; `url`, `headers` and
 * `body` are the signed GetCustomersList (PageSize=30) for `worker` on it. Stop it with server.stop().
 */
export async function startCrmServer(argv, { env, cpu, worker = AGENT }) {
  const server = await startProcess(pinned(cpu, argv), { env, ready: READY });
  const url = `http://127.0.0.1:${server.match[1]}/callbacks/crm`;
  const { body, headers } = signedPost(AUTH_TOKEN, url, customersPage(worker));
  return { server, url, headers, body };
}
