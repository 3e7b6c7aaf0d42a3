import { callbackPath } from "../../contract/callbacks.js";
import { param } from "../form-params.js";
import { type Callback, type Handler, ok, refuse } from "./types.js";

const getProxyAddress: Handler = async (params, deps) => {
  const channelType = param(params, "ChannelType");
  if (!channelType) return refuse(400, "ChannelType is required");
  const proxy =
    channelType === "sms"
      ? deps.settings.smsNumber
      : channelType === "whatsapp"
        ? deps.settings.whatsappNumber
        : undefined;
  // 403 is what Frontline's samples answer when no sender exists for the channel.
  if (!proxy) return refuse(403, `no proxy address is configured for channel ${channelType}`);
  return ok({ proxy_address: proxy });
};

export const outgoingConversation: Callback = {
  name: "outgoing-conversation",
  path: callbackPath("outgoing-conversation"),
  dispatch: { key: "Location", unknown: "reject", routes: { GetProxyAddress: getProxyAddress } },
};
