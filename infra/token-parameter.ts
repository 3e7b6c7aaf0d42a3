/**
 * The Twilio Auth Token as an SSM SecureString. The functions get only its name and read it with
 * decryption on first use, so the token stays out of function configuration (visible to anyone
 * with lambda:GetFunctionConfiguration) and a rotation needs no function redeploy.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "./child-options.js";

export interface AuthTokenParameterArgs {
  project: string;
  stack: string;
  /** Stored as a secret whatever it is given as. */
  authToken: pulumi.Input<string>;
  /**
   * The Console's secondary Auth Token, given only during a rotation (README, "Auth Token rotation
   * runbook"): the functions accept a signature made with either stored token, so promoting the
   * secondary in the Console refuses no request.
   */
  secondaryAuthToken?: pulumi.Input<string> | undefined;
}

export class AuthTokenParameter extends pulumi.ComponentResource {
  /** The parameter's name, the only thing the functions are given. */
  readonly parameterName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly parameter: aws.ssm.Parameter;
  /** Only while a rotation is in progress. */
  readonly secondary:
    | { parameter: aws.ssm.Parameter; name: pulumi.Output<string>; arn: pulumi.Output<string> }
    | undefined;

  constructor(name: string, args: AuthTokenParameterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("frontline:aws:AuthTokenParameter", name, {}, opts);
    const { project, stack } = args;
    this.parameter = new aws.ssm.Parameter(
      "twilio-auth-token",
      {
        // A readable, stack-scoped path: the rotation runbook and the console point at it by name.
        name: `/${project}/${stack}/twilio-auth-token`,
        type: "SecureString",
        // The account's AWS-managed key (alias/aws/ssm): its key policy already lets SSM decrypt for
        // principals of this account, so the functions need ssm:GetParameter only, not kms:Decrypt.
        value: pulumi.secret(args.authToken),
        description: `Twilio Auth Token for the ${project} ${stack} callbacks (written by Pulumi from the secret twilio:authToken)`,
      },
      childOf(this),
    );
    this.parameterName = this.parameter.name;
    this.arn = this.parameter.arn;
    if (args.secondaryAuthToken !== undefined) {
      const parameter = new aws.ssm.Parameter(
        "twilio-auth-token-secondary",
        {
          name: `/${project}/${stack}/twilio-auth-token-secondary`,
          type: "SecureString",
          value: pulumi.secret(args.secondaryAuthToken),
          description:
            `Secondary Twilio Auth Token for the ${project} ${stack} callbacks during a rotation ` +
            "(from the secret twilio:secondaryAuthToken)",
        },
        // A new resource: it never existed at the stack's root, so no alias.
        { parent: this },
      );
      this.secondary = { parameter, name: parameter.name, arn: parameter.arn };
    } else {
      this.secondary = undefined;
    }
    this.registerOutputs({ parameterName: this.parameterName, arn: this.arn, secondaryArn: this.secondary?.arn });
  }
}
