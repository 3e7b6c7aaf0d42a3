/**
 * The io a table command's main() takes (customers:import, templates:push/pull), collecting what it
 * writes: `out` and `err` hold the chunks in order, and every run uses `client`. stderr is an
 * 80-column terminal only when `tty` is set.
 */
export function captureCommandIo<Client>(client: Client, { tty = false } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: { write: (text: string) => out.push(text) },
      err: { write: (text: string) => err.push(text), isTTY: tty, columns: 80 },
      client: () => client,
    },
  };
}
