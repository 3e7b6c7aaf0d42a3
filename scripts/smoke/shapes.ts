/**
 * The answer shapes Frontline and Conversations accept. Each check returns what is wrong (short,
 * naming the field, never a value: values are customer data) or undefined when the shape is right.
 */
export type ShapeCheck = (body: unknown) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === "string" && value.length > 0;
const isId = (value: unknown) => isText(value) || (typeof value === "number" && Number.isFinite(value));

export interface CustomerRow {
  customer_id: string;
  display_name: string;
}

export interface ChannelValue {
  type: string;
  value: string;
}

export const customerList: ShapeCheck = (body) => {
  if (!isObject(body) || !isObject(body.objects)) return "expected {objects: {customers: [...]}}";
  const { customers, next_page_token: token, searchable } = body.objects;
  if (!Array.isArray(customers)) return "objects.customers is not an array";
  const bad = customers.findIndex((row) => !isObject(row) || !isId(row.customer_id) || !isText(row.display_name));
  if (bad !== -1) return `objects.customers[${bad}] lacks customer_id or display_name`;
  if (token !== undefined && !isText(token)) return "objects.next_page_token is not a string";
  if (searchable !== undefined && typeof searchable !== "boolean") return "objects.searchable is not a boolean";
  return undefined;
};

export function customersIn(body: unknown): CustomerRow[] {
  const rows = (body as { objects: { customers: Array<{ customer_id: string | number; display_name: string }> } })
    .objects.customers;
  return rows.map((row) => ({ customer_id: String(row.customer_id), display_name: row.display_name }));
}

export function customerDetails(customerId: string): ShapeCheck {
  return (body) => {
    if (!isObject(body) || !isObject(body.objects) || !isObject(body.objects.customer))
      return "expected {objects: {customer: {...}}}";
    const customer = body.objects.customer;
    if (!isId(customer.customer_id) || String(customer.customer_id) !== customerId)
      return "objects.customer.customer_id is not the id asked for";
    if (!isText(customer.display_name)) return "objects.customer.display_name is missing";
    for (const field of ["channels", "links"] as const) {
      const list = customer[field];
      if (list === undefined) continue;
      if (!Array.isArray(list)) return `objects.customer.${field} is not an array`;
      if (list.some((item) => !isObject(item) || typeof item.type !== "string" || typeof item.value !== "string")) {
        return `objects.customer.${field} has an entry without type and value`;
      }
    }
    return undefined;
  };
}

export function channelsIn(body: unknown): ChannelValue[] {
  return ((body as { objects: { customer: { channels?: ChannelValue[] } } }).objects.customer.channels ?? []).slice();
}

export const proxyAddress: ShapeCheck = (body) =>
  isObject(body) && isText(body.proxy_address) ? undefined : 'expected {proxy_address: "<sender>"}';

export const templateCategories: ShapeCheck = (body) => {
  if (!Array.isArray(body)) return "expected a top-level array of template categories";
  for (const [i, category] of body.entries()) {
    if (!isObject(category) || !isText(category.display_name) || !Array.isArray(category.templates)) {
      return `category ${i} lacks display_name or templates`;
    }
    for (const [j, template] of category.templates.entries()) {
      if (!isObject(template) || typeof template.content !== "string")
        return `category ${i} template ${j} lacks content`;
      if (template.whatsAppApproved !== undefined && typeof template.whatsAppApproved !== "boolean") {
        return `category ${i} template ${j}: whatsAppApproved is not a boolean`;
      }
      // A placeholder left in would reach the customer verbatim.
      if (template.content.includes("{{")) return `category ${i} template ${j} still has a {{placeholder}}`;
    }
  }
  return undefined;
};

export const conversationDefaults: ShapeCheck = (body) => {
  if (!isObject(body) || !isText(body.friendly_name)) return "expected {friendly_name, attributes}";
  if (typeof body.attributes !== "string") return "attributes must be a string holding JSON";
  try {
    if (!isObject(JSON.parse(body.attributes))) return "attributes must hold a JSON object";
  } catch {
    return "attributes is not valid JSON";
  }
  return undefined;
};

/** Every refusal is {"error": "..."}: a gateway or proxy answering instead of the service has another body. */
export const refusal: ShapeCheck = (body) =>
  isObject(body) && isText(body.error) ? undefined : 'expected {error: "..."}';

/** Post-event webhooks: Twilio reads only the status. */
export const anything: ShapeCheck = () => undefined;
