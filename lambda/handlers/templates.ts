import { callbackPath } from "../../contract/callbacks.js";
import { param } from "../http/form.js";
import { renderTemplates } from "../templates/catalog.js";
import { type Callback, type Handler, ok, refuse } from "./types.js";

const getTemplatesByCustomerId: Handler = async (params, deps) => {
  const customerId = param(params, "CustomerId");
  if (!customerId) return refuse(400, "CustomerId is required");
  const [directory, templates] = await Promise.all([deps.directory(), deps.templates()]);
  const customer = await directory.getById(customerId);
  if (!customer) return refuse(404, "customer not found");
  // The author is the worker writing the message, falling back to the customer's owner.
  return ok(renderTemplates(templates, customer, param(params, "Worker") || customer.worker));
};

export const templates: Callback = {
  name: "templates",
  path: callbackPath("templates"),
  dispatch: { key: "Location", unknown: "reject", routes: { GetTemplatesByCustomerId: getTemplatesByCustomerId } },
};
