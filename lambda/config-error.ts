/** Process settings as read from the environment: the Lambda runtime's, or `npm start`'s. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * A deployment or start-up setting is missing or malformed; the message names the variable. Its own
 * module because the layers that detect bad settings (runtime, AWS client) and the adapter that
 * answers for them ("misconfigured") must not import each other.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}
