/** The Twilio account as code: one dynamic resource per API-settable Frontline setup step. */
export { ConversationsDefaults, type ConversationsDefaultsArgs } from "./conversations-defaults.js";
export { ServiceWebhooks, FRONTLINE_WEBHOOK_FILTERS, type ServiceWebhooksArgs } from "./service-webhooks.js";
export { MessagingService, type MessagingServiceArgs } from "./messaging-service.js";
export { SenderPoolEntry, type SenderPoolEntryArgs } from "./sender-pool-entry.js";
export { AddressConfiguration, type AddressConfigurationArgs } from "./address-configuration.js";
