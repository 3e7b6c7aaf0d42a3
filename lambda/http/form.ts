/**
 * Form parameters as Twilio signs them: every key keeps all its values, in order, so the
 * signature covers exactly what arrived (Twilio may add parameters without notice).
 */
export type FormParams = Readonly<Record<string, string | string[]>>;

export function parseForm(body: string): FormParams {
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(body)) {
    const previous = params[key];
    if (previous === undefined) params[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else params[key] = [previous, value];
  }
  return params;
}

/** The first value of a parameter, or undefined when absent. */
export function param(params: FormParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}
