/**
 * One JSON line per event, the shape CloudWatch Logs Insights queries well. Callers pass ids only
 * (customer_id, ConversationSid, ParticipantSid): never names, addresses or the Auth Token.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function write(level: string, message: string, fields: LogFields | undefined): void {
  process.stdout.write(`${JSON.stringify({ level, message, ...fields })}\n`);
}

export const jsonLogger: Logger = {
  info: (message, fields) => write("info", message, fields),
  warn: (message, fields) => write("warn", message, fields),
  error: (message, fields) => write("error", message, fields),
};

/**
 * A logger whose every line also carries `context` (on Lambda: the request ids, the callback and
 * whether it was a cold start), so one query finds every line of one invocation.
 */
export function withFields(base: Logger, context: LogFields): Logger {
  return {
    info: (message, fields) => base.info(message, { ...context, ...fields }),
    warn: (message, fields) => base.warn(message, { ...context, ...fields }),
    error: (message, fields) => base.error(message, { ...context, ...fields }),
  };
}

/** For tests and benchmarks: keeps entries in memory. */
export function memoryLogger(): Logger & { entries: Array<{ level: string; message: string; fields?: LogFields }> } {
  const entries: Array<{ level: string; message: string; fields?: LogFields }> = [];
  const push = (level: string) => (message: string, fields?: LogFields) =>
    void entries.push({ level, message, fields });
  return { entries, info: push("info"), warn: push("warn"), error: push("error") };
}
