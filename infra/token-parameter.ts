/**
 * The Twilio Auth Token as an SSM SecureString. The functions get only its name and read it with
 * decryption on first use, so the token stays out of function configuration (visible to anyone
 * with lambda:GetFunctionConfiguration) and a rotation needs no function redeploy.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export interface TokenParameterArgs {
  project: string;
  stack: string;
  authToken: pulumi.Output<string>;
}

export function tokenParameter({ project, stack, authToken }: TokenParameterArgs): aws.ssm.Parameter {
  return new aws.ssm.Parameter("twilio-auth-token", {
    // A readable, stack-scoped path: the rotation runbook and the console point at it by name.
    name: `/${project}/${stack}/twilio-auth-token`,
    type: "SecureString",
    // The account's AWS-managed key (alias/aws/ssm): its key policy already lets SSM decrypt for
    // principals of this account, so the functions need ssm:GetParameter only, not kms:Decrypt.
    value: authToken,
    description: `Twilio Auth Token for the ${project} ${stack} callbacks (written by Pulumi from the secret twilio:authToken)`,
  });
}

/**
 * The Console's secondary Auth Token, stored only during a rotation (README, "Rotating the Auth
 * Token"): the functions accept a signature made with either token while both are stored, so
 * promoting the secondary in the Console refuses no request.
 */
export function secondaryTokenParameter({ project, stack, authToken }: TokenParameterArgs): aws.ssm.Parameter {
  return new aws.ssm.Parameter("twilio-auth-token-secondary", {
    name: `/${project}/${stack}/twilio-auth-token-secondary`,
    type: "SecureString",
    value: authToken,
    description:
      `Secondary Twilio Auth Token for the ${project} ${stack} callbacks during a rotation ` +
      "(from the secret twilio:secondaryAuthToken)",
  });
}
