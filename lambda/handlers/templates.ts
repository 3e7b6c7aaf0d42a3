import { callbackPath } from "../../contract/callbacks.js";
import { param } from "../form-params.js";
import { renderTemplates } from "../templates/catalog.js";
import { authorFallback, type Callback, type Handler, ok, refuse } from "./types.js";

const getTemplatesByCustomerId: Handler = async (params, deps) => {
  const customerId = param(params, "CustomerId");
  if (!customerId) return refuse(400, "CustomerId is required");
  const writer = param(params, "Worker");
  // Asked for while the customer is read; a lookup that fails still answers the picker.
  const lookup = (identity: string) => deps.workerName?.(identity).catch(() => undefined) ?? Promise.resolve(undefined);
  const writerName = writer ? lookup(writer) : undefined;
  // The customer and the template set are independent reads: one round trip, not two.
  const [customer, templates] = await Promise.all([
    deps.directory().then((directory) => directory.getById(customerId)),
    deps.templates(),
  ]);
  if (!customer) return refuse(404, "customer not found");
  // The author is the worker writing the message, falling back to the customer's owner.
  const worker = writer || customer.worker;
  const author = (await (writerName ?? lookup(worker))) || authorFallback(worker);
  return ok(renderTemplates(templates, customer, author));
};

export const templates: Callback = {
  name: "templates",
  path: callbackPath("templates"),
  dispatch: { key: "Location", unknown: "reject", routes: { GetTemplatesByCustomerId: getTemplatesByCustomerId } },
};
