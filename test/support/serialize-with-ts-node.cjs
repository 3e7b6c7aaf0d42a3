// Serializes dynamic providers the way `pulumi up` does: the program's TypeScript is loaded by
// ts-node with the project's tsconfig.json (CommonJS, as Pulumi's Node language host registers it),
// each resource is constructed under Pulumi's mocks, and `__provider` is taken from what
// dynamic.Resource registered. A fresh provider (from the module's factory) is also serialized with
// `serializeFunction(() => provider)` to read `containsSecrets`, which the mocks do not show.
// argv[2]: JSON [{"module": "infra/twilio/x.ts", "resource": "X", "provider": "xProvider" (factory), "args": {...}}]
// stdout: JSON [{"text": "...", "fresh": {"text": "...", "containsSecrets": false}}]
"use strict";
const path = require("node:path");

// Pulumi 3.270's host calls ts-node's register() with the project's tsconfig.json; ts-node 10.9
// resolves nodenext's `./x.js` specifiers to `./x.ts` only with experimentalResolver.
require("ts-node").register({ project: "tsconfig.json", transpileOnly: true, experimentalResolver: true });
const pulumi = require("@pulumi/pulumi");

(async () => {
  const specs = JSON.parse(process.argv[2]);
  const registered = new Map();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.set(args.name, args.inputs.__provider);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "frontline-stack",
    "test",
    false,
  );
  const results = [];
  for (const [index, spec] of specs.entries()) {
    const mod = require(path.resolve(spec.module));
    const name = `serialized-${index}`;
    const resource = new mod[spec.resource](name, spec.args);
    await new Promise((resolve) => resource.urn.apply(resolve));
    const provider = mod[spec.provider]();
    const fresh = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    results.push({ text: registered.get(name), fresh: { text: fresh.text, containsSecrets: fresh.containsSecrets } });
  }
  process.stdout.write(JSON.stringify(results));
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error));
  process.exit(1);
});
