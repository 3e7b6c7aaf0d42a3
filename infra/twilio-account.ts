/**
 * The Twilio account pointed at the deployed callbacks: the Frontline service's webhooks, the
 * account's Conversations defaults, the messaging service and its sender pool, and (in
 * `address-configuration` mode) inbound autocreation per number. The resources themselves live in
 * infra/twilio/; this file only decides which exist for a stack and in what order.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config.js";
import { AddressConfiguration, ConversationsDefaults, FRONTLINE_WEBHOOK_FILTERS, MessagingService, SenderPoolEntry, ServiceWebhooks } from "./twilio/index.js";

export interface TwilioAccountArgs {
  config: Pick<StackConfig, "stack" | "conversationsServiceSid" | "smsNumber" | "whatsappNumber" | "messagingServiceSid" | "inboundMode">;
  /** The Conversations webhook URL; an Output that resolves only once its route is deployed. */
  conversationsWebhookUrl: pulumi.Output<string>;
  /** The API's routes and stage: Twilio is pointed at the URLs only after they answer. */
  dependsOn: pulumi.Resource[];
}

export interface TwilioAccount {
  webhooks: ServiceWebhooks;
  messagingService: MessagingService;
  senderPool: SenderPoolEntry[];
  defaults: ConversationsDefaults;
  addressConfigurations: AddressConfiguration[];
}

/**
 * The serialized provider code is an input of every dynamic resource; hiding it keeps
 * `pulumi preview --diff` and the PR comments to the settings that actually change.
 */
const readable: pulumi.CustomResourceOptions = { hideDiffs: ["__provider"] };

export function twilioAccount({ config, conversationsWebhookUrl, dependsOn }: TwilioAccountArgs): TwilioAccount {
  const webhooks = new ServiceWebhooks(
    "frontline-service-webhooks",
    {
      conversationServiceSid: config.conversationsServiceSid,
      // Both events go to the one callback, which dispatches on EventType.
      preWebhookUrl: conversationsWebhookUrl,
      postWebhookUrl: conversationsWebhookUrl,
      filters: [...FRONTLINE_WEBHOOK_FILTERS],
    },
    { ...readable, dependsOn },
  );

  const messagingService = new MessagingService(
    "frontline-messaging-service",
    config.messagingServiceSid
      ? // Adopted: only what Pulumi sets is changed (and restored on destroy); nothing is set here.
        { adoptSid: config.messagingServiceSid }
      : { friendlyName: `Frontline ${config.stack}`.slice(0, 64) },
    readable,
  );

  // Frontline's outgoing-conversation callback answers with smsNumber as the proxy address, and
  // Conversations sends through the default messaging service: the number must be in its pool.
  const senderPool = [
    new SenderPoolEntry("sms-sender", { messagingServiceSid: messagingService.sid, phoneNumber: config.smsNumber }, readable),
  ];

  const defaults = new ConversationsDefaults(
    "conversations-defaults",
    { defaultChatServiceSid: config.conversationsServiceSid, defaultMessagingServiceSid: messagingService.sid },
    { ...readable, dependsOn: senderPool },
  );

  // Autocreation last: the first inbound message after it creates a conversation, whose webhooks
  // must already point at the deployed callback.
  const addressConfigurations: AddressConfiguration[] = [];
  if (config.inboundMode === "address-configuration") {
    const after = { ...readable, dependsOn: [webhooks, defaults] };
    addressConfigurations.push(
      new AddressConfiguration(
        "sms-inbound",
        // The configuration's type (sms, whatsapp) follows from the address.
        { address: config.smsNumber, conversationServiceSid: config.conversationsServiceSid, friendlyName: `Frontline ${config.stack} SMS` },
        after,
      ),
    );
    if (config.whatsappNumber) {
      addressConfigurations.push(
        new AddressConfiguration(
          "whatsapp-inbound",
          {
            address: config.whatsappNumber,
            conversationServiceSid: config.conversationsServiceSid,
            friendlyName: `Frontline ${config.stack} WhatsApp`,
          },
          after,
        ),
      );
    }
  }

  return { webhooks, messagingService, senderPool, defaults, addressConfigurations };
}
