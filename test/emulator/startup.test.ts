/**
 * Startup cost. Tests start an emulator per file, so the specs (up to 1.9 MB each) must load only
 * when a product is first called. Figures are printed for the record, never asserted.
 */
import { performance } from "node:perf_hooks";
import { expect, it } from "vitest";
import { startTwilioEmulator } from "../../dev/twilio-emulator/index.js";
import { loadedSpecFiles } from "../../dev/twilio-emulator/spec/catalog.js";
import { api2010, CONV, call, FRONTLINE, MSG } from "./client.js";

it("loads no spec at start and only the spec of each product called", async () => {
  // Relative to what this process already loaded, in case test files ever share workers.
  const before = new Set(loadedSpecFiles());
  const added = () => loadedSpecFiles().filter((f) => !before.has(f));
  const t0 = performance.now();
  const emu = await startTwilioEmulator();
  const started = performance.now() - t0;
  try {
    expect(added()).toEqual([]);
    const firsts: string[] = [];
    const timed = async (label: string, url: string) => {
      const t = performance.now();
      expect((await call(emu, "GET", url)).status).toBeLessThan(500);
      firsts.push(`${label} ${(performance.now() - t).toFixed(1)} ms`);
    };
    await timed("conversations (first call)", `${CONV}/Configuration`);
    expect(added()).toEqual(before.has("twilio_conversations_v1.json") ? [] : ["twilio_conversations_v1.json"]);
    await timed("conversations (warm)", `${CONV}/Configuration`);
    await timed("messaging (first call)", `${MSG}/Services`);
    await timed("api 2010 (first call)", `${api2010(emu)}/IncomingPhoneNumbers.json`);
    await timed("frontline (first call)", `${FRONTLINE}/Users/nobody`);
    expect(loadedSpecFiles().sort()).toEqual([
      "twilio_api_v2010.json",
      "twilio_conversations_v1.json",
      "twilio_frontline_v1.json",
      "twilio_messaging_v1.json",
    ]);
    console.log(`emulator start ${started.toFixed(1)} ms; ${firsts.join("; ")}`);
  } finally {
    await emu.close();
  }
});
