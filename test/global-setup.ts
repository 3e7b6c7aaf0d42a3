/**
 * Fails the whole run at once when npm scripts did not get Node 22 (for example after
 * `npm ci --ignore-scripts`), instead of letting suites fail one by one with obscure errors.
 */
export default function setup(): void {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22)
    throw new Error(
      `tests need Node >= 22 (run them through npm so the node@22 dev dependency is used); got ${process.version}`,
    );
}
