import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Answers the one SSM action the functions make (GetParameter, JSON 1.1 protocol) on loopback, so
 * the real AWS SDK client runs end to end. Point it there with AWS_ENDPOINT_URL_SSM.
 */
export async function startFakeSsm(parameters: Record<string, string>) {
  const reads: Array<{ name: string; withDecryption: boolean }> = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const target = req.headers["x-amz-target"];
      const input = JSON.parse(body || "{}") as { Name?: string; WithDecryption?: boolean };
      res.setHeader("content-type", "application/x-amz-json-1.1");
      if (target !== "AmazonSSM.GetParameter" || !input.Name || !(input.Name in parameters)) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: "ParameterNotFound", message: `no parameter ${input.Name}` }));
        return;
      }
      reads.push({ name: input.Name, withDecryption: input.WithDecryption === true });
      res.end(JSON.stringify({ Parameter: { Name: input.Name, Type: "SecureString", Value: parameters[input.Name], Version: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    parameters,
    reads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
