/**
 * The Twilio account pointed at the callbacks: the Frontline service's webhooks, the account's
 * Conversations defaults, the messaging service and its sender pool, and (in `address-configuration`
 * mode) inbound autocreation per number. The resources themselves live in infra/twilio/; this
 * component decides which exist and in what order.
 *
 * It knows nothing about AWS (no @pulumi/aws import, here or below), so a program that hosts the
 * callbacks elsewhere can use it alone with only the webhook URL. The Twilio credentials come from
 * the stack config the providers receive: `twilio:accountSid` and the secret `twilio:authToken`.
 */
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "./child-options.js";
import type { InboundMode } from "./config.js";
import {
  AddressConfiguration,
  ConversationsDefaults,
  FRONTLINE_WEBHOOK_FILTERS,
  MessagingService,
  SenderPoolEntry,
  ServiceWebhooks,
} from "./twilio/index.js";

export type { InboundMode };

export interface TwilioAccountArgs {
  /** SID (IS…) of the Conversations service Frontline created. */
  conversationsServiceSid: string;
  /** E.164 number Frontline sends and receives SMS on. */
  smsNumber: string;
  /** `whatsapp:+E164` sender, if any. */
  whatsappNumber?: string | undefined;
  /** Adopt this messaging service (MG…) instead of creating one. */
  messagingServiceSid?: string | undefined;
  /** Default `address-configuration`. */
  inboundMode?: InboundMode | undefined;
  /** Names the created messaging service and address configurations ("Frontline <label>"); default the stack name. */
  label?: string | undefined;
  /**
   * Where Conversations sends `onConversationAdd` and `onParticipantAdded` (the
   * twilio-conversations callback). Hand over a URL that already answers: Twilio calls it at once.
   */
  conversationsWebhookUrl: pulumi.Input<string>;
}

export class TwilioAccount extends pulumi.ComponentResource {
  readonly webhooks: ServiceWebhooks;
  readonly messagingService: MessagingService;
  readonly senderPool: SenderPoolEntry[];
  readonly defaults: ConversationsDefaults;
  readonly addressConfigurations: AddressConfiguration[] = [];
  readonly messagingServiceSid: pulumi.Output<string>;

  /**
   * `opts.dependsOn` is also given to the webhooks, the one resource that makes Twilio call the
   * callbacks: a component's dependencies do not hold back its children.
   */
  constructor(name: string, args: TwilioAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    super("frontline:twilio:TwilioAccount", name, {}, opts);
    const label = args.label ?? pulumi.getStack();
    const inboundMode = args.inboundMode ?? "address-configuration";

    this.webhooks = new ServiceWebhooks(
      "frontline-service-webhooks",
      {
        conversationServiceSid: args.conversationsServiceSid,
        // Both events go to the one callback, which dispatches on EventType.
        preWebhookUrl: args.conversationsWebhookUrl,
        postWebhookUrl: args.conversationsWebhookUrl,
        filters: [...FRONTLINE_WEBHOOK_FILTERS],
      },
      childOf(this, { dependsOn: opts?.dependsOn }),
    );

    this.messagingService = new MessagingService(
      "frontline-messaging-service",
      args.messagingServiceSid
        ? // Adopted: only what Pulumi sets is changed (and restored on destroy); nothing is set here.
          { adoptSid: args.messagingServiceSid }
        : { friendlyName: `Frontline ${label}`.slice(0, 64) },
      childOf(this),
    );

    // Frontline's outgoing-conversation callback answers with smsNumber as the proxy address, and
    // Conversations sends through the default messaging service: the number must be in its pool.
    this.senderPool = [
      new SenderPoolEntry(
        "sms-sender",
        { messagingServiceSid: this.messagingService.sid, phoneNumber: args.smsNumber },
        childOf(this),
      ),
    ];

    this.defaults = new ConversationsDefaults(
      "conversations-defaults",
      { defaultChatServiceSid: args.conversationsServiceSid, defaultMessagingServiceSid: this.messagingService.sid },
      childOf(this, { dependsOn: this.senderPool }),
    );

    // Autocreation last: the first inbound message after it creates a conversation, whose webhooks
    // must already point at the deployed callback.
    if (inboundMode === "address-configuration") {
      const after = childOf(this, { dependsOn: [this.webhooks, this.defaults] });
      const inbound = (resourceName: string, address: string, kind: string) =>
        new AddressConfiguration(
          resourceName,
          // The configuration's type (sms, whatsapp) follows from the address.
          { address, conversationServiceSid: args.conversationsServiceSid, friendlyName: `Frontline ${label} ${kind}` },
          after,
        );
      this.addressConfigurations.push(inbound("sms-inbound", args.smsNumber, "SMS"));
      if (args.whatsappNumber)
        this.addressConfigurations.push(inbound("whatsapp-inbound", args.whatsappNumber, "WhatsApp"));
    }

    this.messagingServiceSid = this.messagingService.sid;
    this.registerOutputs({ messagingServiceSid: this.messagingServiceSid });
  }
}
