/**
 * Drives Pulumi's real dynamic-provider host (the process the engine starts for every dynamic
 * resource, shipped in @pulumi/pulumi) over gRPC, with requests shaped like the engine's. No
 * Pulumi CLI is needed: the host is given an engine address it never contacts and prints its port.
 *
 *   const host = await startProviderHost({ project: "frontline-stack" });
 *   await host.configure({ "twilio:accountSid": sid, "twilio:authToken": token }, ["twilio:authToken"]);
 *   const res = host.resource(serializedProviderText, "twilio:ConversationsDefaults", "defaults");
 *   const { inputs } = await res.check({}, { defaultChatServiceSid: "IS..." });
 *   const { id, properties } = await res.create(inputs);
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb.js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb.js";

/** What the engine sends for a value that is not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** How the engine marks a secret config value (`rpc.specialSigKey` / `rpc.specialSecretSig`). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type Props = Record<string, unknown>;
export type DiffChanges = "none" | "some" | "unknown";

export interface HostOptions {
  /** Project name: the namespace for config keys without a `:` (env `PULUMI_NODEJS_PROJECT`). */
  project?: string;
  /** Stack name for URNs. */
  stack?: string;
  /** Working directory: where the serialized providers' `require`s resolve. Defaults to the repo root. */
  cwd?: string;
  /** Extra environment for the host process (e.g. `TWILIO_API_BASE_URL`). */
  env?: Record<string, string | undefined>;
}

export interface DynamicResourceHandle {
  readonly urn: string;
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: DiffChanges; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Props, preview?: boolean): Promise<{ id: string; properties: Props }>;
  read(id: string, properties: Props): Promise<{ id: string; properties: Props; inputs: Props | undefined }>;
  update(id: string, olds: Props, news: Props, preview?: boolean): Promise<{ properties: Props }>;
  delete(id: string, properties: Props): Promise<void>;
}

export interface ProviderHost {
  readonly port: number;
  /** Everything the host printed to stderr so far (provider errors are logged there). */
  readonly stderr: () => string;
  /** The engine's Configure call: stack config, with `secretKeys` sent wrapped as secrets. */
  configure(config: Record<string, string>, secretKeys?: readonly string[]): Promise<void>;
  /**
   * A handle that sends `__provider` and a URN of type `pulumi-nodejs:dynamic/<module>:<type>`.
   * Properties that carry their own `__provider` (outputs stored by an older create) keep it.
   */
  resource(providerText: string, moduleType: string, name: string): DynamicResourceHandle;
  close(): Promise<void>;
}

type Unary = (request: unknown, callback: (error: grpc.ServiceError | null, response: unknown) => void) => unknown;

/** One unary RPC; a provider error comes back as the Error's message, as the engine would show it. */
function call<Res>(
  client: providerRpc.ResourceProviderClient,
  method: "configure" | "check" | "diff" | "create" | "read" | "update" | "delete",
  request: unknown,
): Promise<Res> {
  const rpc = client[method] as unknown as Unary;
  return new Promise((resolvePromise, reject) => {
    rpc.call(client, request, (error, response) =>
      error ? reject(new Error(error.details || error.message)) : resolvePromise(response as Res),
    );
  });
}

/** As the engine sends properties: undefined values are simply absent. */
function struct(props: Props): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as Parameters<typeof Struct.fromJavaScript>[0]);
}

function plain(value: Struct | undefined): Props {
  return (value?.toJavaScript() ?? {}) as Props;
}

/** Starts `cmd/dynamic-provider` and connects to it. Stop it with `close()`. */
export async function startProviderHost(options: HostOptions = {}): Promise<ProviderHost> {
  const cwd = options.cwd ?? resolve(__dirname, "../..");
  const project = options.project ?? "frontline-stack";
  const stack = options.stack ?? "test";
  const child: ChildProcess = spawn(
    process.execPath,
    [resolve(cwd, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"), "127.0.0.1:1"],
    {
      cwd,
      env: { ...process.env, ...options.env, PULUMI_NODEJS_PROJECT: project, PULUMI_NODEJS_STACK: stack },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolvePort, reject) => {
    let stdout = "";
    const timer = setTimeout(
      () => reject(new Error(`provider host did not print its port within 15 s; stderr: ${stderr}`)),
      15_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^(\d+)\s*$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`provider host exited with ${code} before printing its port; stderr: ${stderr}`));
    });
  });
  const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

  return {
    port,
    stderr: () => stderr,
    async configure(config, secretKeys = []) {
      const args: Props = {};
      for (const [key, value] of Object.entries(config)) {
        args[key] = secretKeys.includes(key) ? { [SECRET_SIG_KEY]: SECRET_SIG, value } : value;
      }
      const request = new providerProto.ConfigureRequest();
      request.setArgs(struct(args));
      request.setAcceptsecrets(true);
      request.setAcceptresources(true);
      await call(client, "configure", request);
    },
    resource(providerText, moduleType, name) {
      const urn = `urn:pulumi:${stack}::${project}::pulumi-nodejs:dynamic/${moduleType}::${name}`;
      // Stored properties may carry the `__provider` of an older create, as the engine's state does.
      const withProvider = (props: Props): Struct => struct({ __provider: providerText, ...props });
      return {
        urn,
        async check(olds, news) {
          const request = new providerProto.CheckRequest();
          request.setUrn(urn);
          request.setOlds(Object.keys(olds).length ? withProvider(olds) : struct({}));
          request.setNews(withProvider(news));
          const response = await call<providerProto.CheckResponse>(client, "check", request);
          const inputs = plain(response.getInputs());
          delete inputs["__provider"];
          return {
            inputs,
            failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
          };
        },
        async diff(id, olds, news) {
          const request = new providerProto.DiffRequest();
          request.setUrn(urn);
          request.setId(id);
          request.setOlds(withProvider(olds));
          request.setNews(withProvider(news));
          const response = await call<providerProto.DiffResponse>(client, "diff", request);
          const kinds = providerProto.DiffResponse.DiffChanges;
          const changes =
            response.getChanges() === kinds.DIFF_SOME
              ? "some"
              : response.getChanges() === kinds.DIFF_NONE
                ? "none"
                : "unknown";
          return {
            changes,
            replaces: response.getReplacesList(),
            deleteBeforeReplace: response.getDeletebeforereplace(),
          };
        },
        async create(inputs, preview = false) {
          const request = new providerProto.CreateRequest();
          request.setUrn(urn);
          request.setProperties(withProvider(inputs));
          request.setPreview(preview);
          const response = await call<providerProto.CreateResponse>(client, "create", request);
          const properties = plain(response.getProperties());
          delete properties["__provider"];
          return { id: response.getId(), properties };
        },
        async read(id, properties) {
          const request = new providerProto.ReadRequest();
          request.setUrn(urn);
          request.setId(id);
          request.setProperties(withProvider(properties));
          const response = await call<providerProto.ReadResponse>(client, "read", request);
          const props = plain(response.getProperties());
          delete props["__provider"];
          const inputs = response.getInputs() ? plain(response.getInputs()) : undefined;
          if (inputs) delete inputs["__provider"];
          return { id: response.getId(), properties: props, inputs };
        },
        async update(id, olds, news, preview = false) {
          const request = new providerProto.UpdateRequest();
          request.setUrn(urn);
          request.setId(id);
          request.setOlds(withProvider(olds));
          request.setNews(withProvider(news));
          request.setPreview(preview);
          const response = await call<providerProto.UpdateResponse>(client, "update", request);
          const properties = plain(response.getProperties());
          delete properties["__provider"];
          return { properties };
        },
        async delete(id, properties) {
          const request = new providerProto.DeleteRequest();
          request.setUrn(urn);
          request.setId(id);
          request.setProperties(withProvider(properties));
          await call(client, "delete", request);
        },
      };
    },
    async close() {
      client.close();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolveExit) => {
        child.once("exit", () => resolveExit());
        child.kill();
      });
    },
  };
}
