import { twilioConversations } from "../handlers/twilio-conversations.js";
import { lambdaHandler } from "../runtime/lambda-app.js";

export const handler = lambdaHandler(twilioConversations);
