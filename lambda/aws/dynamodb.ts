import { type AwsCall, type AwsClientOptions, awsJsonClient } from "./json-client.js";

const DYNAMODB = {
  signingName: "dynamodb",
  endpointId: "DYNAMODB",
  targetPrefix: "DynamoDB_20120810",
  jsonVersion: "1.0",
} as const;

/** DynamoDB's JSON wire format is the SDK's input/output shape: `{ TableName, Key: { pk: { S } } }`. */
export type DynamoCall = AwsCall;

export function dynamoClient(options: AwsClientOptions = {}): DynamoCall {
  return awsJsonClient(DYNAMODB, options);
}
