import type { SsmClient } from "../aws/ssm.js";

/**
 * Reads the Auth Token parameters in one GetParameters call: the primary one (required) and, during
 * a rotation, the secondary one. A secondary that does not exist (not yet created, or already
 * removed after the rotation) is simply absent; a missing primary is an error naming it.
 */
export async function readTokenParameters(ssm: SsmClient, primary: string, secondary?: string): Promise<string[]> {
  const values = await ssm.getParameters(secondary ? [primary, secondary] : [primary]);
  const current = values.get(primary)?.trim();
  if (!current) throw new Error(`SSM parameter ${primary} does not exist or has no value`);
  const other = secondary ? values.get(secondary)?.trim() : undefined;
  return other && other !== current ? [current, other] : [current];
}
