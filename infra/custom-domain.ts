/**
 * The stack's own domain in front of the HTTP API. The URLs the Console holds are built from the
 * configured name, never from the API's generated endpoint, so replacing the API only moves this
 * mapping and every pasted URL keeps working.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export interface CustomDomainArgs {
  name: string;
  /** An ACM certificate covering `name`, in the API's region. */
  certificateArn: string;
  api: aws.apigatewayv2.Api;
  stage: aws.apigatewayv2.Stage;
}

export interface CustomDomain {
  domainName: aws.apigatewayv2.DomainName;
  mapping: aws.apigatewayv2.ApiMapping;
  /** What the domain's CNAME (or Route 53 alias) points at. */
  dnsTarget: pulumi.Output<{ name: string; target: string; hostedZoneId: string }>;
}

export function customDomain(args: CustomDomainArgs, opts: pulumi.CustomResourceOptions = {}): CustomDomain {
  const domainName = new aws.apigatewayv2.DomainName(
    "callbacks-domain",
    {
      domainName: args.name,
      domainNameConfiguration: {
        certificateArn: args.certificateArn,
        endpointType: "REGIONAL",
        securityPolicy: "TLS_1_2",
      },
    },
    opts,
  );

  const mapping = new aws.apigatewayv2.ApiMapping(
    "callbacks-domain-mapping",
    {
      domainName: domainName.id,
      apiId: args.api.id,
      stage: args.stage.name,
      // No key: the domain's root is the API's root, so paths stay /callbacks/<name> and the URL
      // Twilio signs is exactly https://<domain>/callbacks/<name>.
    },
    // A domain holds one mapping per key: were this ever replaced rather than updated, the new one
    // could not be created beside the old.
    { ...opts, deleteBeforeReplace: true },
  );

  const dnsTarget = domainName.domainNameConfiguration.apply((c) => ({
    name: args.name,
    target: c.targetDomainName ?? "",
    hostedZoneId: c.hostedZoneId ?? "",
  }));

  return { domainName, mapping, dnsTarget };
}
