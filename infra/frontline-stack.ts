/**
 * Frontline Stack as one component: the callbacks on Lambda behind an HTTP API, the Auth Token in
 * SSM, the customer table, and the Twilio account pointed at the deployed URLs. infra/index.ts is
 * this component fed from the stack config; another Pulumi program can embed it the same way
 * (examples/embed/).
 *
 * Order matters in one place only: the functions need the API's URL (known when the API exists),
 * the routes need the functions, and Twilio is pointed at the URLs once the routes answer.
 *
 * One per Pulumi stack: the resource names are those of the stacks deployed before the components
 * existed (so they update in place), and the Twilio account's Conversations defaults are a
 * per-account singleton anyway.
 */
import * as pulumi from "@pulumi/pulumi";
import { CallbackApi } from "./callback-api.js";
import { CallbackFunction } from "./callback-function.js";
import { CALLBACKS, type CallbackUrlKey } from "./callbacks.js";
import { DEFAULTS, type InboundMode } from "./config.js";
import { CustomerDirectory } from "./customer-directory.js";
import { type ManualStep, manualSteps } from "./manual-steps.js";
import { Monitoring } from "./monitoring.js";
import { AuthTokenParameter } from "./token-parameter.js";
import { TwilioAccount } from "./twilio-account.js";

export interface FrontlineStackArgs {
  /** Account SID (AC…); the Twilio providers read the same account from `twilio:accountSid`. */
  accountSid: string;
  /** The account's Auth Token; stored only as an SSM SecureString (and kept secret in state). */
  authToken: pulumi.Input<string>;
  /** The Console's secondary Auth Token, set only during a rotation; accepted beside the current one. */
  secondaryAuthToken?: pulumi.Input<string> | undefined;
  /** SID (IS…) of the Conversations service Frontline created. */
  conversationsServiceSid: string;
  /** E.164 number Frontline sends and receives SMS on. */
  smsNumber: string;
  whatsappNumber?: string | undefined;
  /** Adopt this messaging service (MG…) instead of creating one. */
  messagingServiceSid?: string | undefined;
  /** Default `address-configuration`. */
  inboundMode?: InboundMode | undefined;
  /** Identity that gets inbound conversations from unknown senders. */
  defaultWorker?: string | undefined;
  /** CloudWatch Logs retention of the functions and the access logs; default 14. */
  logRetentionDays?: number | undefined;
  /** Default route throttling of the API; default 50 requests/s, burst 100. */
  throttle?: { rateLimit: number; burstLimit: number } | undefined;
  /** The https origin Twilio calls when something else (a CDN) serves a domain in front of the API. */
  publicBaseUrl?: string | undefined;
  /** The stack's own domain, with an ACM certificate for it in the stack's region. Not with publicBaseUrl. */
  customDomain?: { name: string; certificateArn: string } | undefined;
  /** Where alarms and their all-clear are emailed; without it the alarms notify no one. */
  alarmEmail?: string | undefined;
  /** p99 latency of a callback that raises its alarm; default 3000 ms. */
  latencyAlarmMs?: number | undefined;
  /** Deletion protection on the customer table; default true. */
  protectCustomers?: boolean | undefined;
  /** Name the token parameter (`/<project>/<stack>/twilio-auth-token`) and descriptions; default the running ones. */
  project?: string | undefined;
  stack?: string | undefined;
}

export class FrontlineStack extends pulumi.ComponentResource {
  /** The base URL Twilio calls, resolving once every route answers. */
  readonly apiUrl: pulumi.Output<string>;
  /** One https URL per callback. */
  readonly callbackUrls: pulumi.Output<Record<CallbackUrlKey, string>>;
  /** The Console-only steps, in order, with the values to paste. */
  readonly manualSteps: pulumi.Output<ManualStep[]>;
  readonly messagingServiceSid: pulumi.Output<string>;
  readonly customersTable: pulumi.Output<string>;
  /** The stack's CloudWatch dashboard. */
  readonly dashboardUrl: pulumi.Output<string>;
  /** With `customDomain`: where the domain's CNAME or alias must point. */
  readonly dnsTarget: pulumi.Output<{ name: string; target: string; hostedZoneId: string }> | undefined;

  readonly api: CallbackApi;
  readonly functions: CallbackFunction[];
  readonly customers: CustomerDirectory;
  readonly token: AuthTokenParameter;
  readonly twilio: TwilioAccount;
  readonly monitoring: Monitoring;

  constructor(name: string, args: FrontlineStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("frontline:index:FrontlineStack", name, {}, opts);
    const project = args.project ?? pulumi.getProject();
    const stack = args.stack ?? pulumi.getStack();
    const logRetentionDays = args.logRetentionDays ?? DEFAULTS.logRetentionDays;
    if (args.customDomain && args.publicBaseUrl) {
      throw new Error(
        "FrontlineStack: customDomain and publicBaseUrl are both set; keep one " +
          "(customDomain when the stack serves the domain)",
      );
    }

    this.customers = new CustomerDirectory("customers", { protect: args.protectCustomers }, { parent: this });
    this.token = new AuthTokenParameter(
      "auth-token",
      { project, stack, authToken: args.authToken, secondaryAuthToken: args.secondaryAuthToken },
      { parent: this },
    );
    this.api = new CallbackApi(
      "api",
      { stack, logRetentionDays, throttle: args.throttle ?? { ...DEFAULTS.throttle }, customDomain: args.customDomain },
      { parent: this },
    );

    // What Twilio signs and the functions verify: the custom domain when there is one.
    const publicBaseUrl = args.publicBaseUrl ? pulumi.output(args.publicBaseUrl) : this.api.publicEndpoint;

    this.functions = CALLBACKS.map(
      (spec) =>
        new CallbackFunction(
          spec.name,
          {
            spec,
            stack,
            logRetentionDays,
            publicBaseUrl,
            accountSid: args.accountSid,
            tokenParameter: {
              name: this.token.parameterName,
              arn: this.token.arn,
              secondary: this.token.secondary && { name: this.token.secondary.name },
            },
            table: { name: this.customers.tableName, grants: (reads) => this.customers.grants(reads) },
            settings: {
              TWILIO_SMS_NUMBER: args.smsNumber,
              TWILIO_WHATSAPP_NUMBER: args.whatsappNumber,
              CONVERSATIONS_SERVICE_SID: args.conversationsServiceSid,
              DEFAULT_WORKER: args.defaultWorker,
            },
            api: { executionArn: this.api.executionArn },
          },
          { parent: this },
        ),
    );
    const routes = this.functions.map((fn) => this.api.route(fn));

    const liveBaseUrl = this.api.whenLive(publicBaseUrl);
    const urls = liveBaseUrl.apply(
      (base) =>
        Object.fromEntries(CALLBACKS.map((spec) => [spec.urlKey, `${base}${spec.path}`])) as Record<
          CallbackUrlKey,
          string
        >,
    );

    this.twilio = new TwilioAccount(
      "twilio",
      {
        conversationsServiceSid: args.conversationsServiceSid,
        smsNumber: args.smsNumber,
        whatsappNumber: args.whatsappNumber,
        messagingServiceSid: args.messagingServiceSid,
        inboundMode: args.inboundMode,
        label: stack,
        conversationsWebhookUrl: urls.apply((u) => u.conversations),
      },
      {
        parent: this,
        // Twilio is pointed at the URLs only after they answer.
        dependsOn: [
          this.api.stage,
          ...this.functions.map((fn) => fn.permission),
          ...routes.flatMap(({ integration, route }) => [integration, route]),
          ...(this.api.domain ? [this.api.domain.mapping] : []),
        ],
      },
    );

    this.apiUrl = liveBaseUrl;
    this.callbackUrls = urls;
    this.messagingServiceSid = this.twilio.messagingServiceSid;
    this.customersTable = this.customers.tableName;
    this.monitoring = new Monitoring(
      "monitoring",
      {
        namePrefix: `${project}-${stack}`.replace(/[^A-Za-z0-9_-]/g, "-"),
        callbacks: this.functions.map((fn) => ({ name: fn.spec.name, functionName: fn.fn.name })),
        apiId: this.api.api.id,
        // From an ARN rather than an invoke: the region the functions actually landed in.
        region: this.functions[0]!.fn.arn.apply((arn) => arn.split(":")[3]!),
        alarmEmail: args.alarmEmail,
        latencyAlarmMs: args.latencyAlarmMs ?? DEFAULTS.latencyAlarmMs,
      },
      { parent: this },
    );
    this.dashboardUrl = this.monitoring.dashboardUrl;
    this.dnsTarget = this.api.domain?.dnsTarget;

    const stepInputs = pulumi.all([urls, this.messagingServiceSid, this.dnsTarget]);
    this.manualSteps = stepInputs.apply(([callbackUrls, messagingServiceSid, dnsTarget]) =>
      manualSteps({
        dnsTarget,
        callbackUrls,
        messagingServiceSid,
        inboundMode: args.inboundMode ?? DEFAULTS.inboundMode,
        conversationsServiceSid: args.conversationsServiceSid,
        smsNumber: args.smsNumber,
        whatsappNumber: args.whatsappNumber,
      }),
    );

    this.registerOutputs({
      apiUrl: this.apiUrl,
      callbackUrls: this.callbackUrls,
      messagingServiceSid: this.messagingServiceSid,
      customersTable: this.customersTable,
      dashboardUrl: this.dashboardUrl,
      dnsTarget: this.dnsTarget,
    });
  }
}
