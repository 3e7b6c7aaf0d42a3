//go:build tools

// Package tools pins the Pulumi CLI that `npm run test:engine` builds when no `pulumi` is on PATH
// (scripts/engine-build.mjs builds it into a cache folder outside the repository).
//
// Only the CLI is here. The Node.js language host (module
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) would belong next to it, but
// the Go module proxy refuses every version of that module, so it cannot be built from the proxy.
// Without it the CLI cannot start a `runtime: nodejs` project itself; the engine test instead runs
// the program in its own Node process through the Automation API's inline-program mode, which the
// CLI drives without a language host.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
