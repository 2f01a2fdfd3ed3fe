/**
 * The commands of `effect-instantly`, with their options and help, on `@effect/cli`.
 *
 * @since 0.2.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { InstantlyClient, Leads, version } from "../index.js"
import { InstantlyHttpClient } from "../node.js"
import * as EmulatorCommand from "./EmulatorCommand.js"
import { describeConfigError, usage } from "./Failure.js"
import * as LeadCommands from "./LeadCommands.js"
import * as Removal from "./Removal.js"

/** A command's help: what it does, then an example. */
const help = (description: string, ...examples: ReadonlyArray<string>) =>
  HelpDoc.blocks([
    HelpDoc.p(description),
    HelpDoc.h2(examples.length > 1 ? "EXAMPLES" : "EXAMPLE"),
    ...examples.map((example) => HelpDoc.p(`$ ${example}`))
  ])

const baseUrl = Options.text("base-url").pipe(
  Options.withDescription(
    "The API's URL, e.g. an emulator's http://127.0.0.1:4010 (default INSTANTLY_BASE_URL, else https://api.instantly.ai)"
  ),
  Options.optional
)

const output = Options.choice("output", ["text", "ndjson"]).pipe(
  Options.withDescription("text for people, or ndjson: one JSON object a line on stdout, for jq"),
  Options.withDefault("text")
)

/**
 * `Leads` over the real client, its key from `INSTANTLY_API_KEY` only: a missing or malformed key, or
 * a bad base URL, is a usage error naming it (exit code 2).
 */
const withLeads = (url: Option.Option<string>) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.provide(
      Leads.Default.pipe(
        Layer.provide(InstantlyClient.layerConfig(
          Option.match(url, { onNone: () => ({}), onSome: (url) => ({ baseUrl: Config.succeed(url) }) })
        )),
        Layer.provide(InstantlyHttpClient.layer)
      )
    ),
    Effect.catchIf(ConfigError.isConfigError, (error) => usage(describeConfigError(error)))
  )

const removeFromSubsequence = Command.make(
  "remove-from-subsequence",
  {
    ids: Args.text({ name: "ID" }).pipe(Args.withDescription("Lead ids (UUIDs)"), Args.repeated),
    file: Options.text("file").pipe(
      Options.withAlias("f"),
      Options.withDescription(
        "A file of lead ids, one a line, or a CSV with an id column, or with an email column (each email looked up); " +
          "- reads stdin"
      ),
      Options.optional
    ),
    subsequence: Options.text("subsequence").pipe(
      Options.withDescription("Every lead now in this subsequence (its id)"),
      Options.optional
    ),
    concurrency: Options.integer("concurrency").pipe(
      Options.withDescription(
        "Removals under way at once (default 32); the client keeps to the workspace's rate limit"
      ),
      Options.optional
    ),
    dryRun: Options.boolean("dry-run").pipe(
      Options.withDescription("Read each lead and list what would be removed; send no removal")
    ),
    yes: Options.boolean("yes").pipe(
      Options.withAlias("y"),
      Options.withDescription(`Needed for more than ${Removal.confirmAbove} removals when there is no terminal to ask`)
    ),
    output,
    resume: Options.file("resume", { exists: "yes" }).pipe(
      Options.withDescription("A previous run's ndjson output: skip the ids it reports done"),
      Options.optional
    ),
    baseUrl
  },
  ({ baseUrl, ...options }) =>
    Effect.flatMap(Removal.check(options), (checked) => Removal.run(checked).pipe(withLeads(baseUrl)))
).pipe(
  Command.withDescription(help(
    "Takes leads out of their subsequences, one request per lead at the workspace's rate limit. Ctrl-C stops " +
      "taking ids: the removals under way finish and are reported, and --resume with the ndjson output finishes the " +
      "job. Exit code 0 when every lead was removed or already out, 1 otherwise, 2 for a usage error, 130 after Ctrl-C.",
    "effect-instantly leads remove-from-subsequence --file replied.csv --dry-run",
    "effect-instantly leads remove-from-subsequence --file replied.csv --yes --output ndjson > run.ndjson",
    "effect-instantly leads remove-from-subsequence --file replied.csv --yes --output ndjson --resume run.ndjson"
  ))
)

const leadId = Args.text({ name: "ID" }).pipe(Args.withDescription("The lead's id (a UUID)"))

const get = Command.make(
  "get",
  { id: leadId, output, baseUrl },
  ({ baseUrl, ...options }) => LeadCommands.get(options).pipe(withLeads(baseUrl))
).pipe(Command.withDescription(help(
  "Reads a lead: who it is, its campaign, status and subsequence.",
  "effect-instantly leads get 019cc043-e399-7fdb-86d6-bb0d304b0776"
)))

const moveToSubsequence = Command.make("move-to-subsequence", {
  id: leadId,
  subsequence: Options.text("subsequence").pipe(
    Options.withDescription("The subsequence to move the lead to (its id)")
  ),
  output,
  baseUrl
}, ({ baseUrl, ...options }) => LeadCommands.move(options).pipe(withLeads(baseUrl))).pipe(
  Command.withDescription(help(
    "Moves a lead to a subsequence.",
    "effect-instantly leads move-to-subsequence 019cc043-e399-7fdb-86d6-bb0d304b0776 " +
      "--subsequence 019cc043-9d00-75e0-9e83-1929decb0201"
  ))
)

const list = Command.make("list", {
  campaign: Options.text("campaign").pipe(Options.withDescription("Only the leads of this campaign"), Options.optional),
  subsequence: Options.text("subsequence").pipe(
    Options.withDescription("Only the leads now in this subsequence"),
    Options.optional
  ),
  email: Options.text("email").pipe(
    Options.withDescription("Only the leads with this email address"),
    Options.optional
  ),
  limit: Options.integer("limit").pipe(Options.withDescription("At most this many leads"), Options.optional),
  output,
  baseUrl
}, ({ baseUrl, ...options }) => LeadCommands.list(options).pipe(withLeads(baseUrl))).pipe(
  Command.withDescription(help(
    "Lists leads, 100 a request, as a table or as ndjson.",
    "effect-instantly leads list --subsequence 019cc043-9d00-75e0-9e83-1929decb0201 --limit 20",
    "effect-instantly leads list --email olga.kim@acme-robotics.com --output ndjson | jq .campaign"
  ))
)

const leads = Command.make("leads").pipe(
  Command.withDescription(help(
    "Lead operations. The API key comes from INSTANTLY_API_KEY (never from an option).",
    "INSTANTLY_API_KEY=... effect-instantly leads remove-from-subsequence --file ids.txt --dry-run"
  )),
  Command.withSubcommands([removeFromSubsequence, get, moveToSubsequence, list])
)

const emulator = Command.make("emulator", {
  port: Options.integer("port").pipe(
    Options.withDescription("The loopback port (0: a free one)"),
    Options.withDefault(4010)
  ),
  leads: Options.integer("leads").pipe(Options.withDescription("Leads to generate"), Options.withDefault(100)),
  seed: Options.integer("seed").pipe(Options.withDescription("Seed of the generated leads"), Options.withDefault(1)),
  rateLimit: Options.text("rate-limit").pipe(
    Options.withDescription(
      "N/s: the workspace's limit (N a second, 60 x N a minute), or off (default 100/s, 6000/min)"
    ),
    Options.optional
  )
}, EmulatorCommand.run).pipe(Command.withDescription(help(
  "Serves an emulated Instantly workspace on 127.0.0.1 until Ctrl-C, printing its URL and the key to use.",
  "effect-instantly emulator --port 4010 --leads 1000 --rate-limit 20/s"
)))

const root = Command.make("effect-instantly").pipe(
  Command.withDescription(help(
    "Instantly.ai from the command line: take leads out of their subsequences in bulk, read, move and list leads, " +
      "and an emulator to try it all on.",
    "effect-instantly leads remove-from-subsequence --help"
  )),
  Command.withSubcommands([leads, emulator])
)

/**
 * Runs the command line `argv` (`process.argv`: the runtime and script first).
 *
 * @since 0.2.0
 * @category Commands
 */
export const run = Command.run(root, { name: "effect-instantly", version })
