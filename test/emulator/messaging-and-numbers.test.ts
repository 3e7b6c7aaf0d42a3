import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTwilioEmulator, type TwilioEmulator } from "../../dev/twilio-emulator/index.js";
import { api2010, call, FRONTLINE, MSG, SID } from "./client.js";

let emu: TwilioEmulator;
beforeEach(async () => {
  emu = await startTwilioEmulator();
});
afterEach(() => emu.close());

describe("messaging services", () => {
  it("creates with Twilio's shape, updates partially, deletes", async () => {
    const made = await call(emu, "POST", `${MSG}/Services`, {
      FriendlyName: "Frontline senders",
      UseInboundWebhookOnNumber: "true",
    });
    expect(made.status).toBe(201);
    const mg = made.body.sid;
    expect(mg).toMatch(SID("MG"));
    expect(made.body).toMatchObject({
      friendly_name: "Frontline senders",
      inbound_method: "POST",
      validity_period: 36000,
      use_inbound_webhook_on_number: true,
      url: `https://messaging.twilio.com/v1/Services/${mg}`,
    });
    expect(made.body.links.phone_numbers).toBe(`https://messaging.twilio.com/v1/Services/${mg}/PhoneNumbers`);
    expect(made.body.date_updated).toBe(made.body.date_created);

    const updated = await call(emu, "POST", `${MSG}/Services/${mg}`, {
      InboundRequestUrl: "https://example.com/in",
      ValidityPeriod: "600",
    });
    expect(updated.body).toMatchObject({
      friendly_name: "Frontline senders",
      inbound_request_url: "https://example.com/in",
      validity_period: 600,
    });

    const list = await call(emu, "GET", `${MSG}/Services`);
    expect(list.body.meta.key).toBe("services");
    expect(list.body.services.map((s: { sid: string }) => s.sid)).toEqual([mg]);

    expect((await call(emu, "DELETE", `${MSG}/Services/${mg}`)).status).toBe(204);
    expect((await call(emu, "GET", `${MSG}/Services/${mg}`)).body.code).toBe(20404);
  });

  it("pages by Page index as well as by PageToken, and refuses a token it did not issue", async () => {
    const sids = [0, 1, 2].map((i) => emu.addMessagingService({ friendlyName: `svc ${i}` }));
    const second = await call(emu, "GET", `${MSG}/Services?PageSize=1&Page=1`);
    expect(second.body.services.map((s: { sid: string }) => s.sid)).toEqual([sids[1]]);
    expect(second.body.meta).toMatchObject({
      page: 1,
      page_size: 1,
      url: "https://messaging.twilio.com/v1/Services?PageSize=1&Page=1",
    });
    const third = await call(emu, "GET", second.body.meta.next_page_url);
    expect(third.body.services.map((s: { sid: string }) => s.sid)).toEqual([sids[2]]);
    const back = await call(emu, "GET", third.body.meta.previous_page_url);
    expect(back.body.services.map((s: { sid: string }) => s.sid)).toEqual([sids[1]]);
    const forged = await call(emu, "GET", `${MSG}/Services?PageToken=abc`);
    expect(forged.status).toBe(400);
    expect(forged.body.message).toContain("PageToken");
  });

  it("adds a number to a sender pool; the entry's SID is the PN SID", async () => {
    const mg = emu.addMessagingService({ friendlyName: "pool" });
    const pn = emu.addPhoneNumber("+15551230001");
    const added = await call(emu, "POST", `${MSG}/Services/${mg}/PhoneNumbers`, { PhoneNumberSid: pn });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      sid: pn,
      service_sid: mg,
      account_sid: emu.accountSid,
      phone_number: "+15551230001",
      country_code: "US",
      capabilities: ["Voice", "SMS", "MMS"],
      url: `https://messaging.twilio.com/v1/Services/${mg}/PhoneNumbers/${pn}`,
    });
    expect((await call(emu, "GET", `${MSG}/Services/${mg}/PhoneNumbers/${pn}`)).body.sid).toBe(pn);
    const list = await call(emu, "GET", `${MSG}/Services/${mg}/PhoneNumbers`);
    expect(list.body.meta.key).toBe("phone_numbers");
    expect(list.body.phone_numbers).toHaveLength(1);

    expect((await call(emu, "DELETE", `${MSG}/Services/${mg}/PhoneNumbers/${pn}`)).status).toBe(204);
    expect((await call(emu, "GET", `${MSG}/Services/${mg}/PhoneNumbers/${pn}`)).status).toBe(404);
    // Removing from the pool never releases the number.
    expect(emu.state().phoneNumbers[pn]?.phoneNumber).toBe("+15551230001");
  });

  it("answers 21710 for a number already in this pool and 21712 for one in another pool", async () => {
    const ours = emu.addMessagingService({ friendlyName: "ours" });
    const theirs = emu.addMessagingService({ friendlyName: "theirs" });
    const pn = emu.addPhoneNumber("+15551230001");
    emu.addToSenderPool(ours, pn);

    const same = await call(emu, "POST", `${MSG}/Services/${ours}/PhoneNumbers`, { PhoneNumberSid: pn });
    expect(same.status).toBe(409);
    expect(same.body).toEqual({
      code: 21710,
      message: "Phone Number or Short Code is already in the Messaging Service.",
      more_info: "https://www.twilio.com/docs/errors/21710",
      status: 409,
    });
    const other = await call(emu, "POST", `${MSG}/Services/${theirs}/PhoneNumbers`, { PhoneNumberSid: pn });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe(21712);
    expect(other.body.message).toBe("Phone Number or Short Code is associated with another Messaging Service.");
  });

  it("refuses a PhoneNumberSid the account does not have", async () => {
    const mg = emu.addMessagingService({ friendlyName: "pool" });
    const r = await call(emu, "POST", `${MSG}/Services/${mg}/PhoneNumbers`, { PhoneNumberSid: "PN" + "a".repeat(32) });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(21421);
  });
});

describe("incoming phone numbers (API 2010)", () => {
  it("matches PhoneNumber partially, as Twilio does, so callers must pick the exact number", async () => {
    const exact = emu.addPhoneNumber("+15551230001");
    const longer = emu.addPhoneNumber("+155512300012");
    emu.addPhoneNumber("+15559990000");
    const r = await call(
      emu,
      "GET",
      `${api2010(emu)}/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent("+15551230001")}`,
    );
    expect(r.status).toBe(200);
    const sids = r.body.incoming_phone_numbers.map((n: { sid: string }) => n.sid);
    expect(sids).toEqual([exact, longer]);
    const wildcard = await call(
      emu,
      "GET",
      `${api2010(emu)}/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent("+1555*99")}`,
    );
    expect(wildcard.body.incoming_phone_numbers.map((n: { phone_number: string }) => n.phone_number)).toEqual([
      "+15559990000",
    ]);
  });

  it("renders Twilio's number shape with RFC 2822 dates", async () => {
    const pn = emu.addPhoneNumber("+15551230001", { friendlyName: "Frontline 1" });
    const r = await call(emu, "GET", `${api2010(emu)}/IncomingPhoneNumbers/${pn}.json`);
    expect(r.body).toMatchObject({
      sid: pn,
      account_sid: emu.accountSid,
      phone_number: "+15551230001",
      friendly_name: "Frontline 1",
      capabilities: { voice: true, sms: true, mms: true, fax: false },
      sms_url: "",
      voice_url: null,
      uri: `/2010-04-01/Accounts/${emu.accountSid}/IncomingPhoneNumbers/${pn}.json`,
    });
    expect(r.body.date_created).toMatch(/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000$/);
  });

  it("pages with relative next_page_uri, start and end", async () => {
    for (let i = 0; i < 5; i++) emu.addPhoneNumber(`+1555123000${i}`);
    const seen: string[] = [];
    let uri: string | null =
      `/2010-04-01/Accounts/${emu.accountSid}/IncomingPhoneNumbers.json?PhoneNumber=%2B1555&PageSize=2`;
    const starts: number[] = [];
    while (uri) {
      const page: Awaited<ReturnType<typeof call>> = await call(emu, "GET", `https://api.twilio.com${uri}`);
      expect(page.body.page_size).toBe(2);
      starts.push(page.body.start, page.body.end);
      seen.push(...page.body.incoming_phone_numbers.map((n: { phone_number: string }) => n.phone_number));
      uri = page.body.next_page_uri;
      if (uri)
        expect(uri).toMatch(
          /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/IncomingPhoneNumbers\.json\?PhoneNumber=%2B1555&PageSize=2&Page=\d&PageToken=/,
        );
    }
    expect(seen).toEqual(["+15551230000", "+15551230001", "+15551230002", "+15551230003", "+15551230004"]);
    expect(starts).toEqual([0, 1, 2, 3, 4, 4]);
  });

  it("answers 404 for another account's numbers", async () => {
    const r = await call(
      emu,
      "GET",
      `https://api.twilio.com/2010-04-01/Accounts/AC${"b".repeat(32)}/IncomingPhoneNumbers.json`,
    );
    expect(r.status).toBe(404);
  });
});

describe("frontline users", () => {
  it("fetches and updates by SID or identity", async () => {
    const us = emu.addFrontlineUser({ identity: "alice@example.com", friendlyName: "Alice" });
    expect(us).toMatch(SID("US"));
    const byIdentity = await call(emu, "GET", `${FRONTLINE}/Users/alice%40example.com`);
    expect(byIdentity.body).toEqual({
      sid: us,
      identity: "alice@example.com",
      friendly_name: "Alice",
      avatar: null,
      state: "active",
      is_available: false,
      url: `https://frontline-api.twilio.com/v1/Users/${us}`,
    });
    const updated = await call(emu, "POST", `${FRONTLINE}/Users/${us}`, {
      IsAvailable: "true",
      Avatar: "https://example.com/a.png",
    });
    expect(updated.body).toMatchObject({
      is_available: true,
      avatar: "https://example.com/a.png",
      friendly_name: "Alice",
    });
    expect((await call(emu, "GET", `${FRONTLINE}/Users/nobody`)).body.code).toBe(20404);
  });
});
