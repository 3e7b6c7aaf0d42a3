// Loads a serialized dynamic provider the way Pulumi's dynamic-provider host does
// (`require-from-string`, then `handler()`), in a fresh Node process whose working directory is the
// repo root, and drives it through configure -> check -> create -> read -> delete.
// stdin: {"text": "...", "config": {"twilio:accountSid": ...}, "inputs": {...}}
// stdout: one JSON object with each step's result, or `error` with the step that failed.
"use strict";
const requireFromString = require("require-from-string");

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const { text, config, inputs } = JSON.parse(input);
  const out = {};
  let step = "load";
  try {
    const provider = requireFromString(text).handler();
    step = "configure";
    const get = (key) => config[key];
    await provider.configure({
      config: {
        get,
        require: (key) => {
          if (get(key) === undefined) throw new Error(`missing ${key}`);
          return get(key);
        },
      },
    });
    step = "check";
    out.check = await provider.check({}, inputs);
    if (out.check.failures && out.check.failures.length)
      throw new Error(out.check.failures.map((f) => f.reason).join("; "));
    step = "create";
    out.create = await provider.create(out.check.inputs);
    step = "read";
    out.read = await provider.read(out.create.id, out.create.outs);
    step = "delete";
    await provider.delete(out.create.id, out.create.outs);
    out.deleted = true;
  } catch (error) {
    out.error = `${step}: ${(error && error.stack) || error}`;
  }
  process.stdout.write(JSON.stringify(out));
});
