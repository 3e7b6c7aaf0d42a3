import { inject } from "vitest";
import { startTwilioEmulator, type TwilioEmulator } from "../../dev/twilio-emulator/index.js";
import { createTable, loadCustomers, testClient } from "../customers/dynamo-fixture.js";
import { startFakeSsm } from "./fake-ssm.js";
import { customers } from "./fixtures.js";

/** Where the stack keeps the Auth Token, as the Pulumi program names the parameter for stack "dev". */
export const AUTH_TOKEN_PARAMETER = "/frontline-stack/dev/twilio-auth-token";
/** The API Gateway URL Twilio signs callbacks against. */
export const PUBLIC_BASE_URL = "https://abc123.execute-api.us-east-1.amazonaws.com";

type FakeSsm = Awaited<ReturnType<typeof startFakeSsm>>;

export interface AwsWorld {
  ssm: FakeSsm;
  /** A fresh dynalite table holding the shared customer fixtures. */
  table: string;
  /** Restores process.env and stops the fake SSM. */
  close(): Promise<void>;
}

/**
 * What AWS looks like to a deployed function, on loopback: `parameters` in a fake SSM, the customer
 * fixtures in a new dynalite table, and the AWS SDK pointed at both through process.env the way
 * Lambda's endpoints are found. Call close() in afterAll.
 */
export async function startAwsWorld(tableLabel: string, parameters: Record<string, string>): Promise<AwsWorld> {
  const ssm = await startFakeSsm(parameters);
  const client = testClient();
  let table: string;
  try {
    table = await createTable(client, tableLabel);
    await loadCustomers(client, table, customers);
  } catch (error) {
    await ssm.close();
    throw error;
  } finally {
    client.destroy();
  }
  const savedEnv = { ...process.env };
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: inject("dynamoEndpoint"),
  });
  return {
    ssm,
    table,
    async close() {
      process.env = savedEnv;
      await ssm.close();
    },
  };
}

export interface LambdaRuntimeWorld extends AwsWorld {
  emulator: TwilioEmulator;
  /** The function environment the Pulumi program sets, aimed at the emulator. */
  env: Record<string, string>;
}

/**
 * startAwsWorld with the Twilio emulator as the account: its Auth Token is the SSM parameter and
 * `env` is what the stack gives every function. close() also stops the emulator.
 */
export async function startLambdaRuntime(tableLabel: string): Promise<LambdaRuntimeWorld> {
  const emulator = await startTwilioEmulator();
  let aws: AwsWorld;
  try {
    aws = await startAwsWorld(tableLabel, { [AUTH_TOKEN_PARAMETER]: emulator.authToken });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  return {
    ...aws,
    emulator,
    env: {
      PUBLIC_BASE_URL,
      TWILIO_ACCOUNT_SID: emulator.accountSid,
      TWILIO_AUTH_TOKEN_PARAMETER: AUTH_TOKEN_PARAMETER,
      CUSTOMERS_TABLE: aws.table,
      TWILIO_API_BASE_URL: emulator.baseUrl,
    },
    async close() {
      await aws.close();
      await emulator.close();
    },
  };
}
