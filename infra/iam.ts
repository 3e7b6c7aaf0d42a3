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
  /** DynamoDB statements for the table reads this function makes; empty for none. */
  table: PolicyStatement[];
}

/**
 * A function's whole permission set: write to its own log group, read the token parameter(s), and
 * the table reads its code makes. No managed policy: AWSLambdaBasicExecutionRole allows every log
 * group in the account.
 */
export function callbackPolicy(grants: CallbackGrants): PolicyDocument {
  const { logGroupArn, tokenParameterArn, table } = grants;
  const secondaryTokenParameterArn = `${tokenParameterArn}-secondary`;
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
      // GetParameters: the functions read both tokens in one call (lambda/aws/ssm.ts). GetParameter:
      // what functions deployed before that read, while an upgrade replaces their code after this policy.
      // Both parameters always: the secondary one's name is fixed, and granting it whether or not it
      // exists leaves no window at the start or end of a rotation in which the policy and the
      // functions' environment disagree.
      {
        Sid: "AuthTokenParameter",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:GetParameters"],
        Resource: [tokenParameterArn, secondaryTokenParameterArn],
      },
      ...table,
    ],
  };
}
