/** The Twilio account as code: one dynamic resource per API-settable Frontline setup step. */

export { AddressConfiguration, type AddressConfigurationArgs } from "./address-configuration.js";
export { ConversationsDefaults, type ConversationsDefaultsArgs } from "./conversations-defaults.js";
export { MessagingService, type MessagingServiceArgs } from "./messaging-service.js";
export { SenderPoolEntry, type SenderPoolEntryArgs } from "./sender-pool-entry.js";
export { FRONTLINE_WEBHOOK_FILTERS, ServiceWebhooks, type ServiceWebhooksArgs } from "./service-webhooks.js";
