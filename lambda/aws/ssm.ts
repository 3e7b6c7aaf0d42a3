import { type AwsClientOptions, awsJsonClient } from "./json-client.js";

const SSM = { signingName: "ssm", endpointId: "SSM", targetPrefix: "AmazonSSM", jsonVersion: "1.1" } as const;

export interface SsmClient {
  /**
   * Reads up to ten parameters with decryption in one request. Names SSM does not know are left
   * out of the map (GetParameters lists them as InvalidParameters instead of failing the call).
   */
  getParameters(names: readonly string[]): Promise<Map<string, string>>;
}

export function ssmClient(options: AwsClientOptions = {}): SsmClient {
  const call = awsJsonClient(SSM, options);
  return {
    async getParameters(names) {
      const output = await call<{ Parameters?: Array<{ Name?: string; Value?: string }> }>("GetParameters", {
        Names: names,
        WithDecryption: true,
      });
      const values = new Map<string, string>();
      for (const parameter of output.Parameters ?? []) {
        if (parameter.Name && parameter.Value) values.set(parameter.Name, parameter.Value);
      }
      return values;
    },
  };
}
