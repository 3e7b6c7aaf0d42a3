import type { Customer } from "../../lambda/customers/customer.js";

export const ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
export const AUTH_TOKEN = "f".repeat(8) + "0123456789abcdef" + "e".repeat(8);
export const SERVICE_SID = "IS" + "a".repeat(32);
export const CONVERSATION_SID = "CH" + "b".repeat(32);
export const PARTICIPANT_SID = "MB" + "c".repeat(32);

export const customers: Customer[] = [
  {
    customer_id: "1",
    display_name: "Ann Smith",
    worker: "Alice@Example.com",
    channels: [
      { type: "sms", value: "+15550000001" },
      { type: "whatsapp", value: "whatsapp:+15550000001" },
    ],
    links: [{ type: "Web", value: "https://example.com/ann", display_name: "Profile" }],
    details: { title: "Notes", content: "Prefers mornings" },
    avatar: "https://example.com/ann.png",
  },
  {
    customer_id: "2",
    display_name: "Bob Stone",
    worker: "alice@example.com",
    channels: [{ type: "sms", value: "+15550000002" }],
  },
  {
    customer_id: "3",
    display_name: "Carla Anders",
    worker: "bob@example.com",
    channels: [{ type: "sms", value: "+15550000003" }],
  },
  {
    customer_id: "4",
    display_name: "Dan Annis",
    worker: "alice@example.com",
    channels: [{ type: "email", value: "dan@example.com" }],
  },
];
