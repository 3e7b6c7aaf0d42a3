import type { Customer } from "../../lambda/customers/customer.js";

/**
 * A small directory whose expected answers are written out by hand in the contract, so the suite
 * does not rest on the oracle alone.
 */
export const SMALL: Customer[] = [
  {
    customer_id: "1",
    display_name: "Ann Smith",
    worker: "alice@example.com",
    channels: [
      { type: "sms", value: "+15550000001" },
      { type: "whatsapp", value: "whatsapp:+15550000001" },
    ],
    links: [{ type: "CRM", value: "https://crm.example.com/1", display_name: "Open in CRM" }],
    details: { title: "Notes", content: "Prefers mornings.\nGold plan." },
    avatar: "https://i.pravatar.cc/150?img=1",
  },
  {
    customer_id: "2",
    display_name: "Anna Andrews",
    worker: "Alice@Example.COM",
    channels: [{ type: "sms", value: "+15550000002" }],
  },
  {
    customer_id: "10",
    display_name: "Bob Annis",
    worker: "alice@example.com",
    avatar: "https://i.pravatar.cc/150?img=10",
  },
  { customer_id: "3", display_name: "José Álvarez", worker: "ALICE@example.com" },
  { customer_id: "4", display_name: "Mary-Jane Watson", worker: "alice@example.com" },
  {
    customer_id: "a",
    display_name: "Jack Johnson",
    worker: "alice@example.com",
    channels: [{ type: "whatsapp", value: "whatsapp:+15550000009" }],
  },
  // Shares Ann's number: the lowest customer_id ("1") owns the address in both stores.
  {
    customer_id: "5",
    display_name: "Zed Smith",
    worker: "bob@example.com",
    channels: [{ type: "sms", value: "+15550000001" }],
  },
  { customer_id: "6", display_name: "Annette Bloom", worker: "bob@example.com" },
];

export const ALICE = "alice@example.com";
export const BOB = "bob@example.com";

const FIRST = ["Ann", "Anna", "Annie", "Bob", "José", "Jack", "Mary-Jane", "Zoë", "Chen", "Priya", "Liam", "Sam"];
const LAST = [
  "Smith",
  "Johnson",
  "Andrews",
  "Anderson",
  "Jones",
  "Smithers",
  "Álvarez",
  "O'Connor",
  "Sampson",
  "Wei",
  "Annis",
];

/**
 * 250 customers of Alice (stored under three spellings of her identity) and 20 of Bob, with ids whose
 * code-unit order differs from numeric order ("10" < "9") and from insertion order.
 */
export function bigDirectory(): Customer[] {
  const customers: Customer[] = [];
  const aliceSpellings = ["alice@example.com", "Alice@Example.com", "ALICE@EXAMPLE.COM"];
  for (let i = 0; i < 250; i++) {
    const id = i % 5 === 0 ? String(i) : `c${String(i).padStart(4, "0")}`;
    customers.push({
      customer_id: i === 249 ? "\u00e9-last" : id,
      display_name: `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`,
      worker: aliceSpellings[i % 3]!,
      channels: [{ type: "sms", value: `+1555${String(1000000 + i)}` }],
      ...(i % 4 === 0 ? { avatar: `https://i.pravatar.cc/150?u=${i}` } : {}),
    });
  }
  for (let i = 0; i < 20; i++) {
    customers.push({
      customer_id: `b${String(i).padStart(3, "0")}`,
      display_name: `${FIRST[(i + 3) % FIRST.length]} ${LAST[i % LAST.length]}`,
      worker: "bob@example.com",
    });
  }
  // Insertion order must not leak into page order.
  return customers.reverse();
}
