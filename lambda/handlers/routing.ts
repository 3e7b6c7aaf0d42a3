import { callbackPath } from "../../contract/callbacks.js";
import { param } from "../form-params.js";
import { customerAddress } from "./customer-address.js";
import { type Callback, type Handler, ok, refuse } from "./types.js";

/**
 * Custom routing: Frontline asks us to assign an inbound conversation. The worker is added before
 * answering (the Express demo fires and forgets, which Lambda may freeze mid-request).
 */
const route: Handler = async (params, deps) => {
  const conversationSid = param(params, "ConversationSid");
  if (!conversationSid || !/^CH[0-9a-fA-F]{32}$/.test(conversationSid))
    return refuse(400, "ConversationSid must be a CH... SID");
  const address = customerAddress(params);
  const customer = address ? await (await deps.directory()).findByAddress(address) : undefined;
  const worker = customer?.worker || deps.settings.defaultWorker;
  if (!worker) {
    // Answering non-200 would not route it either; the conversation stays unassigned and visible in logs.
    deps.log.warn("routing: no worker for conversation; set DEFAULT_WORKER to catch unknown senders", {
      conversationSid,
      customerId: customer?.customer_id,
    });
    return ok();
  }
  const outcome = await (await deps.conversations()).addWorker(conversationSid, worker);
  deps.log.info("routing: worker assigned", {
    conversationSid,
    customerId: customer?.customer_id,
    outcome,
    byDefault: !customer,
  });
  return ok();
};

export const routing: Callback = { name: "routing", path: callbackPath("routing"), dispatch: { handle: route } };
