import { type FormParams, param } from "../form-params.js";

/**
 * The customer's address in a Conversations or routing event. For group MMS `Address` holds a
 * comma-separated list and `AuthorAddress` the real sender, so the sender wins there.
 */
export function customerAddress(params: FormParams): string | undefined {
  const address = param(params, "MessagingBinding.Address")?.trim();
  if (address?.includes(",")) return param(params, "MessagingBinding.AuthorAddress")?.trim() || undefined;
  return address || undefined;
}
