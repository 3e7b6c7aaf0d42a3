import { callbackPath } from "../../contract/callbacks.js";
import { DEFAULT_PAGE_SIZE, InvalidPageTokenError, MAX_PAGE_SIZE } from "../customers/directory.js";
import { param } from "../http/form.js";
import { type Callback, type Handler, ok, refuse } from "./types.js";

const getCustomersList: Handler = async (params, deps) => {
  const worker = param(params, "Worker");
  if (!worker) return refuse(400, "Worker is required");
  const pageSizeText = param(params, "PageSize");
  // PageSize arrives as a string; a missing one means the app's default page.
  const pageSize = pageSizeText === undefined || pageSizeText === "" ? DEFAULT_PAGE_SIZE : Number(pageSizeText);
  if (!Number.isInteger(pageSize) || pageSize < 1) return refuse(400, "PageSize must be a positive integer");
  const query = param(params, "Query")?.trim();
  const directory = await deps.directory();
  try {
    const page = await directory.list({
      worker,
      pageSize: Math.min(pageSize, MAX_PAGE_SIZE),
      query: query || undefined,
      pageToken: param(params, "NextPageToken") || undefined,
      anchor: param(params, "Anchor") || undefined,
    });
    return ok({
      objects: {
        customers: page.customers,
        ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
        searchable: true,
      },
    });
  } catch (error) {
    if (error instanceof InvalidPageTokenError) return refuse(400, error.message);
    throw error;
  }
};

const getCustomerDetailsByCustomerId: Handler = async (params, deps) => {
  const customerId = param(params, "CustomerId");
  if (!customerId) return refuse(400, "CustomerId is required");
  const customer = await (await deps.directory()).getById(customerId);
  if (!customer) return refuse(404, "customer not found");
  const { worker: _owner, ...shown } = customer;
  return ok({ objects: { customer: shown } });
};

export const crm: Callback = {
  name: "crm",
  path: callbackPath("crm"),
  dispatch: {
    key: "Location",
    unknown: "reject",
    routes: { GetCustomersList: getCustomersList, GetCustomerDetailsByCustomerId: getCustomerDetailsByCustomerId },
  },
};
