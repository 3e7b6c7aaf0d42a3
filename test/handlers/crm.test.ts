import { describe, expect, it } from "vitest";
import { call, testApp } from "../support/callbacks.js";

const CRM = "/callbacks/crm";
const list = (extra: Record<string, string> = {}) => ({
  Location: "GetCustomersList",
  Worker: "alice@example.com",
  ...extra,
});

describe("crm: GetCustomersList", () => {
  it("lists the worker's customers as thin rows and says the backend searches", async () => {
    const answer = await call(testApp().app, CRM, list({ PageSize: "30" }));
    expect(answer.status).toBe(200);
    expect(answer.json.objects.searchable).toBe(true);
    expect(answer.json.objects.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(["1", "2", "4"]);
    expect(answer.json.objects.customers[0]).toEqual({
      customer_id: "1",
      display_name: "Ann Smith",
      avatar: "https://example.com/ann.png",
    });
    expect(answer.json.objects.next_page_token).toBeUndefined();
  });

  it("matches the worker case-insensitively (SSO identities differ in case)", async () => {
    const answer = await call(testApp().app, CRM, list({ Worker: "ALICE@example.COM" }));
    expect(answer.json.objects.customers).toHaveLength(3);
  });

  it("pages with the token it issues, without duplicates or gaps", async () => {
    const { app } = testApp();
    const first = await call(app, CRM, list({ PageSize: "2" }));
    expect(first.json.objects.customers).toHaveLength(2);
    const token = first.json.objects.next_page_token as string;
    expect(token).toEqual(expect.any(String));
    const second = await call(app, CRM, list({ PageSize: "2", NextPageToken: token }));
    const ids = [...first.json.objects.customers, ...second.json.objects.customers].map(
      (c: { customer_id: string }) => c.customer_id,
    );
    expect(ids).toEqual(["1", "2", "4"]);
    expect(second.json.objects.next_page_token).toBeUndefined();
  });

  it("pages by Anchor (the last customer_id of the previous page) for older apps", async () => {
    const answer = await call(testApp().app, CRM, list({ PageSize: "2", Anchor: "2" }));
    expect(answer.json.objects.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(["4"]);
  });

  it("searches by a case-insensitive prefix of any word of the name", async () => {
    const { app } = testApp();
    const byFirst = await call(app, CRM, list({ Query: "ann" }));
    expect(byFirst.json.objects.customers.map((c: { customer_id: string }) => c.customer_id).sort()).toEqual([
      "1",
      "4",
    ]);
    const byLast = await call(app, CRM, list({ Query: "STO" }));
    expect(byLast.json.objects.customers.map((c: { display_name: string }) => c.display_name)).toEqual(["Bob Stone"]);
  });

  it("does not show other workers' customers in search", async () => {
    const answer = await call(testApp().app, CRM, list({ Query: "carla" }));
    expect(answer.json.objects.customers).toEqual([]);
  });

  it.each([["abc"], ["0"], ["-5"], ["2.5"]])("answers 400 for PageSize %s", async (pageSize) => {
    const answer = await call(testApp().app, CRM, list({ PageSize: pageSize }));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/PageSize/);
  });

  it("caps a huge PageSize instead of loading everything", async () => {
    const answer = await call(testApp().app, CRM, list({ PageSize: "100000" }));
    expect(answer.status).toBe(200);
  });

  it("answers 400 for a forged NextPageToken", async () => {
    const answer = await call(testApp().app, CRM, list({ NextPageToken: "not-a-token" }));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/NextPageToken/);
  });

  it("answers 400 without Worker", async () => {
    const answer = await call(testApp().app, CRM, { Location: "GetCustomersList" });
    expect(answer.status).toBe(400);
  });
});

describe("crm: GetCustomerDetailsByCustomerId", () => {
  it("answers the full customer without the internal worker field", async () => {
    const answer = await call(testApp().app, CRM, {
      Location: "GetCustomerDetailsByCustomerId",
      Worker: "alice@example.com",
      CustomerId: "1",
    });
    expect(answer.status).toBe(200);
    const customer = answer.json.objects.customer;
    expect(customer).toMatchObject({
      customer_id: "1",
      display_name: "Ann Smith",
      channels: [
        { type: "sms", value: "+15550000001" },
        { type: "whatsapp", value: "whatsapp:+15550000001" },
      ],
      links: [{ type: "Web", value: "https://example.com/ann", display_name: "Profile" }],
      details: { title: "Notes", content: "Prefers mornings" },
      avatar: "https://example.com/ann.png",
    });
    expect(customer.worker).toBeUndefined();
  });

  it("answers 404 JSON for an unknown id (the demo crashes here)", async () => {
    const answer = await call(testApp().app, CRM, {
      Location: "GetCustomerDetailsByCustomerId",
      Worker: "alice@example.com",
      CustomerId: "404",
    });
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ error: "customer not found" });
  });

  it("answers 400 without CustomerId", async () => {
    const answer = await call(testApp().app, CRM, {
      Location: "GetCustomerDetailsByCustomerId",
      Worker: "alice@example.com",
    });
    expect(answer.status).toBe(400);
  });
});
