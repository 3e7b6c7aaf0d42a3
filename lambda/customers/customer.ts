/** A customer in the shape Frontline's CRM callback answers with, plus the owning `worker`. */
export interface Channel {
  /** `sms`, `whatsapp`, `email`, `chat`, ... */
  type: string;
  /** The address on that channel; WhatsApp values carry the `whatsapp:` prefix. */
  value: string;
}

export interface Link {
  type: string;
  value: string;
  display_name: string;
}

export interface Customer {
  customer_id: string;
  display_name: string;
  /** Identity (SSO login) of the worker who owns this customer; compared case-insensitively. */
  worker: string;
  channels?: Channel[];
  links?: Link[];
  details?: { title: string; content: string };
  avatar?: string;
}

/** What `GetCustomersList` shows per row. */
export interface CustomerSummary {
  customer_id: string;
  display_name: string;
  avatar?: string;
}
