import { routing } from "../handlers/routing.js";
import { lambdaHandler } from "../runtime/lambda-app.js";

export const handler = lambdaHandler(routing);
