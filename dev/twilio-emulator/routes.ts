/** Every emulated operation. A spec operation missing here answers 501, never a silent 404. */
import { addressConfigurationRoutes } from "./resources/address-configurations.js";
import { conversationServiceRoutes } from "./resources/conversation-services.js";
import { frontlineRoutes } from "./resources/frontline-users.js";
import { messagingRoutes } from "./resources/messaging-services.js";
import { participantRoutes } from "./resources/participants.js";
import { phoneNumberRoutes } from "./resources/phone-numbers.js";
import { RouteTable } from "./router.js";

export const routes = new RouteTable([
  ...conversationServiceRoutes,
  ...addressConfigurationRoutes,
  ...participantRoutes,
  ...messagingRoutes,
  ...phoneNumberRoutes,
  ...frontlineRoutes,
]);
