// Moved to the contract the Pulumi providers share; re-exported for the callers of this path.
export { twilioApiUrl } from "../../contract/twilio-api-url.js";
