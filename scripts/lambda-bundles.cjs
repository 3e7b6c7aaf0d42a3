// Moved to build/ (the Pulumi program uses it too, and infra/ does not import scripts/).
"use strict";
module.exports = require("../build/lambda-bundles.cjs");
