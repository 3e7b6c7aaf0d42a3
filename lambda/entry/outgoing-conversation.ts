import { outgoingConversation } from "../handlers/outgoing-conversation.js";
import { lambdaHandler } from "../runtime/lambda-app.js";

export const handler = lambdaHandler(outgoingConversation);
