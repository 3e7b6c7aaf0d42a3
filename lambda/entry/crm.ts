import { crm } from "../handlers/crm.js";
import { lambdaHandler } from "../runtime/lambda-app.js";

export const handler = lambdaHandler(crm);
