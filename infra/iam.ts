/**
 * Policy documents as plain data, built from resolved ARNs. Kept pure (no resources, no invokes) so
 * tests can check the exact actions and resources each function is granted.
 */

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** Lets the Lambda service, and only it, assume a function's role. */
export function lambdaTrustPolicy(): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
}

export interface CallbackGrants {
  logGroupArn: string;
  tokenParameterArn: string;
  /** The secondary token's parameter, stored only while an Auth Token rotation is in progress. */
  secondaryTokenParameterArn?: string;
  /** DynamoDB statements for the table reads this function makes; empty for none. */
  table: PolicyStatement[];
}

/**
 * A function's whole permission set: write to its own log group, read the token parameter(s), and
 * the table reads its code makes. No managed policy: AWSLambdaBasicExecutionRole allows every log
 * group in the account.
 */
export function callbackPolicy(grants: CallbackGrants): PolicyDocument {
  const { logGroupArn, tokenParameterArn, secondaryTokenParameterArn, table } = grants;
  return {
    Version: "2012-10-17",
    Statement: [
      // The log group itself is created by Pulumi, so no logs:CreateLogGroup.
      {
        Sid: "OwnLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`${logGroupArn}:*`],
      },
      // GetParameters: the functions read both tokens in one call during a rotation (lambda/aws/ssm.ts).
      {
        Sid: "AuthTokenParameter",
        Effect: "Allow",
        Action: ["ssm:GetParameters"],
        Resource: secondaryTokenParameterArn ? [tokenParameterArn, secondaryTokenParameterArn] : [tokenParameterArn],
      },
      ...table,
    ],
  };
}
