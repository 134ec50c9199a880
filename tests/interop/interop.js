// electrodb's side of the interop tests (tests/live_interop.rs).
//   node interop.js <endpoint> <table> seed <board> <n>   puts n tickets, prints them
//   node interop.js <endpoint> <table> read <board>       prints every ticket of a board
//   node interop.js <endpoint> <table> page <board> <limit> [cursor]
//                                                         prints {data, cursor} of one page
// Output is one line of JSON (sets as sorted arrays).
const fs = require("fs");
const path = require("path");
const { Entity } = require("electrodb");
const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
const { DynamoDBDocumentClient } = require("@aws-sdk/lib-dynamodb");

const [endpoint, table, command, board, arg, cursor] = process.argv.slice(2);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "electrolocal", secretAccessKey: "electrolocal" },
  }),
);
const model = JSON.parse(fs.readFileSync(path.join(__dirname, "model.json"), "utf8"));
const ticket = new Entity(model, { client, table });

const out = (v) =>
  console.log(
    JSON.stringify(v, (_k, x) => (x instanceof Set ? [...x].sort() : x)),
  );

async function main() {
  if (command === "seed") {
    const items = [];
    for (let i = 0; i < Number(arg); i++) {
      const id = `n${String(i).padStart(3, "0")}`;
      const { data } = await ticket
        .put({
          board,
          ticketId: id,
          title: `from node ${i}`,
          points: i + 0.5,
          labels: ["node", `l${i % 3}`],
          meta: { owner: "electrodb", size: i },
          history: ["created", `by-${i}`],
          note: "hidden",
        })
        .go();
      items.push(data);
    }
    out(items);
  } else if (command === "read") {
    const { data } = await ticket.query.byBoard({ board }).go({ pages: "all" });
    out(data);
  } else if (command === "page") {
    const res = await ticket.query
      .byBoard({ board })
      .go({ limit: Number(arg), cursor: cursor || null });
    out({ data: res.data, cursor: res.cursor });
  } else {
    throw new Error(`unknown command ${command}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
