import type { Channel, Customer, Link } from "./customer.js";

/**
 * Ids end up inside DynamoDB keys (sort keys hold at most 1,024 bytes, next to a search key); 256
 * UTF-16 units stay under that in any script and are far beyond any CRM's ids.
 */
export const MAX_CUSTOMER_ID_LENGTH = 256;
/** Channel values become partition keys of the address items. */
export const MAX_ADDRESS_LENGTH = 256;
/** Workers are lowercased into the index partition key. */
export const MAX_WORKER_LENGTH = 256;

/**
 * Whether `text` can be (part of) a key we store: not empty, not too long, and valid UTF-16, since
 * DynamoDB keys are UTF-8 and an unpaired surrogate has no UTF-8 form. Lookups for anything else miss
 * without asking the table, rather than failing there.
 */
export function isKeyText(text: string, maxLength: number): boolean {
  return text !== "" && text.length <= maxLength && !/\p{Cs}/u.test(text);
}

/** A record that is not a customer. `field` names the offending field (`channels[1].value`); messages never quote values. */
export class InvalidCustomerError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = "InvalidCustomerError";
  }
}

/**
 * Turns a decoded record (a JSON file row, an import line) into a Customer: numeric ids become
 * strings, null optional fields count as absent, unknown fields are dropped so that nothing a CRM
 * export carries besides the Frontline fields is ever stored or served.
 */
export function toCustomer(value: unknown): Customer {
  const record = asObject(value, "record");
  const customer: Customer = {
    customer_id: customerId(record.customer_id),
    display_name: requiredText(record.display_name, "display_name"),
    worker: keyText(requiredText(record.worker, "worker"), "worker", MAX_WORKER_LENGTH),
  };
  if (record.channels != null) customer.channels = list(record.channels, "channels", channel);
  if (record.links != null) customer.links = list(record.links, "links", link);
  if (record.details != null) {
    const details = asObject(record.details, "details");
    customer.details = {
      title: text(details.title, "details.title"),
      content: text(details.content, "details.content"),
    };
  }
  if (record.avatar != null) customer.avatar = text(record.avatar, "avatar");
  return customer;
}

function customerId(value: unknown): string {
  if (value == null) throw new InvalidCustomerError("customer_id", "is missing");
  let id: string;
  if (typeof value === "number") {
    // Beyond 2^53 JSON.parse has already rounded the number: the id would silently name another customer.
    if (!Number.isSafeInteger(value))
      throw new InvalidCustomerError("customer_id", "is a number that is not a safe integer (write it as a string)");
    id = String(value);
  } else if (typeof value === "string") {
    id = value;
  } else {
    throw new InvalidCustomerError("customer_id", "must be a string or an integer");
  }
  keyText(id, "customer_id", MAX_CUSTOMER_ID_LENGTH);
  return id;
}

const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * What an sms or whatsapp value must look like: Twilio sends the customer's address in exactly this
 * form (`MessagingBinding.Address`), so any other spelling would never route or be stamped.
 */
const ADDRESS_FORMS: Readonly<Record<string, { test(value: string): boolean; form: string }>> = {
  sms: { test: (v) => E164.test(v), form: "an E.164 number such as +15551230001" },
  whatsapp: {
    test: (v) => v.startsWith("whatsapp:") && E164.test(v.slice(9)),
    form: "whatsapp:+E164 such as whatsapp:+15551230001",
  },
};

function channel(value: unknown, field: string): Channel {
  const record = asObject(value, field);
  const address = keyText(requiredText(record.value, `${field}.value`), `${field}.value`, MAX_ADDRESS_LENGTH);
  const type = requiredText(record.type, `${field}.type`);
  const form = Object.hasOwn(ADDRESS_FORMS, type) ? ADDRESS_FORMS[type] : undefined;
  if (form && !form.test(address))
    throw new InvalidCustomerError(`${field}.value`, `must be ${form.form} (channel type ${type})`);
  return { type, value: address };
}

function link(value: unknown, field: string): Link {
  const record = asObject(value, field);
  return {
    type: text(record.type, `${field}.type`),
    value: requiredText(record.value, `${field}.value`),
    display_name: text(record.display_name, `${field}.display_name`),
  };
}

function list<T>(value: unknown, field: string, item: (value: unknown, field: string) => T): T[] {
  if (!Array.isArray(value)) throw new InvalidCustomerError(field, "must be an array");
  return value.map((entry, i) => item(entry, `${field}[${i}]`));
}

function keyText(value: string, field: string, maxLength: number): string {
  if (value.trim() === "") throw new InvalidCustomerError(field, "is empty");
  if (value.length > maxLength) throw new InvalidCustomerError(field, `is longer than ${maxLength} characters`);
  if (!isKeyText(value, maxLength))
    throw new InvalidCustomerError(field, "is not valid Unicode text (unpaired surrogate)");
  return value;
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InvalidCustomerError(field, "must be an object");
  return value as Record<string, unknown>;
}

function requiredText(value: unknown, field: string): string {
  if (value == null) throw new InvalidCustomerError(field, "is missing");
  const result = text(value, field);
  if (result.trim() === "") throw new InvalidCustomerError(field, "is empty");
  return result;
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string") throw new InvalidCustomerError(field, "must be a string");
  return value;
}
