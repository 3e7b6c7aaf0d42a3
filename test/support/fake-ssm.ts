import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Answers SSM GetParameter and GetParameters (JSON 1.1 protocol) on loopback, as SSM does: an
 * unknown name fails GetParameter (ParameterNotFound) but is listed under InvalidParameters by
 * GetParameters. Point a client at it with AWS_ENDPOINT_URL_SSM. `behaviour` injects failures.
 */
export async function startFakeSsm(parameters: Record<string, string>) {
  const reads: Array<{ name: string; withDecryption: boolean }> = [];
  const requests: Array<{
    target: string | undefined;
    authorization: string | undefined;
    amzDate: string | undefined;
  }> = [];
  const behaviour: { status?: number; errorType?: string; failures?: number; delayMs?: number } = {};
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", async () => {
      const target = req.headers["x-amz-target"] as string | undefined;
      requests.push({
        target,
        authorization: req.headers.authorization,
        amzDate: req.headers["x-amz-date"] as string | undefined,
      });
      if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      res.setHeader("content-type", "application/x-amz-json-1.1");
      if (behaviour.failures && behaviour.failures > 0) {
        behaviour.failures--;
        res.statusCode = behaviour.status ?? 500;
        res.end(JSON.stringify({ __type: behaviour.errorType ?? "InternalServerError", message: "injected" }));
        return;
      }
      const input = JSON.parse(body || "{}") as { Name?: string; Names?: string[]; WithDecryption?: boolean };
      if (target === "AmazonSSM.GetParameters" && Array.isArray(input.Names)) {
        const known = input.Names.filter((name) => name in parameters);
        for (const name of known) reads.push({ name, withDecryption: input.WithDecryption === true });
        res.end(
          JSON.stringify({
            Parameters: known.map((name) => ({
              Name: name,
              Type: "SecureString",
              Value: parameters[name],
              Version: 1,
            })),
            InvalidParameters: input.Names.filter((name) => !(name in parameters)),
          }),
        );
        return;
      }
      if (target !== "AmazonSSM.GetParameter" || !input.Name || !(input.Name in parameters)) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: "ParameterNotFound", message: `no parameter ${input.Name}` }));
        return;
      }
      reads.push({ name: input.Name, withDecryption: input.WithDecryption === true });
      res.end(
        JSON.stringify({
          Parameter: { Name: input.Name, Type: "SecureString", Value: parameters[input.Name], Version: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    parameters,
    reads,
    requests,
    behaviour,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
