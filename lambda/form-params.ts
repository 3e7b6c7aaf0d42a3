/**
 * Form parameters as Twilio signs them: every key keeps all its values, in order, so the
 * signature covers exactly what arrived (Twilio may add parameters without notice).
 *
 * The handlers' input and the adapter's output, so it belongs to neither: http/ parses a body into
 * it, handlers/ read it, and neither folder imports the other's code.
 */
export type FormParams = Readonly<Record<string, string | string[]>>;

/** The first value of a parameter, or undefined when absent. */
export function param(params: FormParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}
