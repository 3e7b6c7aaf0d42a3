// The ceiling: a bare node:http server answering every request with fixed bytes (the same
// 30-customer JSON our server answers), after reading the request body. No parsing, no signature.
// usage: node bench/lib/bare-server.mjs <body-file>   (PORT from the environment, 0 picks one)
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const body = readFileSync(process.argv[2]);
const headers = { "content-type": "application/json; charset=utf-8", "content-length": body.length };
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  console.log(`Bare http server listening on http://127.0.0.1:${server.address().port}`);
});
const stop = () => server.close(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
