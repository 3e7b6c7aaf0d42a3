import { templates } from "../handlers/templates.js";
import { lambdaHandler } from "../runtime/lambda-app.js";

export const handler = lambdaHandler(templates);
