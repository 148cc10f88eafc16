import Table from "cli-table3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { importArticles } from "~/articles/import.server";
import { getEnv } from "~/config/env.server";
import {
  EvalDataError,
  judgmentsByIntent,
  parseIntentsFile,
  parseJudgmentsJsonl,
  parseQueriesJsonl,
} from "~/eval/eval-data";
import { evaluateCompliance, parseSteeringCases } from "~/eval/compliance";
import { evaluateMode, MODES, rankerFor, type ModeReport } from "~/eval/run-eval.server";
import { seedPresets } from "~/presets/presets.server";
import { createServices } from "~/services.server";
import { createProgressBar } from "./progress";
import type { EvalQuery } from "~/eval/eval-data";
import type { FusionWeights } from "~/search/fusion";
import type { Services } from "~/services.server";

const USAGE = `usage: npm run -s eval -- --queries FILE [--qrels seed/eval/intents.json] | --qrels-jsonl FILE (graded {query, slug, grade} lines, e.g. from npm run export:judgments)
       [--modes ${Object.keys(MODES).join(",")}] [--articles seed/articles] [--json] [--preset SLUG] [--surface help|agent]
       npm run -s eval -- --presets FILE [--json]     preset / instruction compliance (JSONL cases)
       npm run -s eval -- --off-topic FILE [--json]   share of queries nothing fits that get no result
       [--sweep keyword=0,0.1,0.2;phrasing=0.2,0.4 ...]  grid over fusion weights (rerank mode)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      queries: { type: "string" },
      qrels: { type: "string", default: "seed/eval/intents.json" },
      "qrels-jsonl": { type: "string" },
      modes: { type: "string", default: "keyword" },
      articles: { type: "string", default: "seed/articles" },
      json: { type: "boolean", default: false },
      sweep: { type: "string" },
      preset: { type: "string" },
      surface: { type: "string", default: "help" },
      presets: { type: "string" },
      "off-topic": { type: "string" },
      "presets-file": { type: "string", default: "seed/presets.json" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.queries && !values["qrels-jsonl"] && !values.presets && !values["off-topic"]) {
    console.error(`--queries, --qrels-jsonl, --presets or --off-topic is required\n${USAGE}`);
    return 2;
  }
  const modes = (values.modes ?? "keyword").split(",").map((m) => m.trim()).filter(Boolean);
  const unknown = modes.filter((m) => !(m in MODES));
  if (unknown.length || !modes.length) {
    console.error(`unknown mode(s): ${unknown.join(", ") || "(none)"}; known: ${Object.keys(MODES).join(", ")}`);
    return 2;
  }
  const qrelsFile = values.qrels ?? "seed/eval/intents.json";
  const intents = parseIntentsFile(fs.readFileSync(qrelsFile, "utf8"), qrelsFile);
  const graded = values["qrels-jsonl"] ? parseJudgmentsJsonl(fs.readFileSync(values["qrels-jsonl"], "utf8"), values["qrels-jsonl"]) : undefined;
  const queries = graded ? graded.queries : values.queries ? parseQueriesJsonl(fs.readFileSync(values.queries, "utf8"), values.queries, intents) : [];
  const steeringCases = values.presets ? parseSteeringCases(fs.readFileSync(values.presets, "utf8"), values.presets) : undefined;

  // The yardstick measures the seed corpus, not whatever the app's database holds today.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-eval-"));
  const env = getEnv();
  const services = await createServices({
    ...env,
    DATABASE_PATH: path.join(workDir, "eval.db"),
    // Every run embeds the same seed texts: keep their vectors between runs (keyed by model id).
    VECTOR_CACHE_PATH: env.VECTOR_CACHE_PATH ?? "data/eval-vectors.db",
    MEILI_INDEX: `${env.MEILI_INDEX}_eval`,
  });
  try {
    const imported = await importArticles({
      dir: values.articles ?? "seed/articles",
      store: services.store,
      engine: services.engine,
      prune: true,
    });
    seedPresets(services.presets, values["presets-file"] ?? "seed/presets.json");
    await services.refreshIndexes();
    if (imported.failed) {
      console.error(`warning: ${imported.failed} article file(s) failed to import`);
    }
    const missing = Object.values(intents)
      .flatMap((i) => [i.primary, ...i.related])
      .filter((slug) => !services.store.getBySlug(slug));
    if (missing.length) throw new EvalDataError(`${qrelsFile}: unknown article slug(s): ${missing.join(", ")}`);

    const judgments = graded ? graded.judgments : judgmentsByIntent(intents);
    if (steeringCases) {
      const report = await evaluateCompliance(steeringCases, (c) =>
        rankerFor(services, "rerank", undefined, { preset: c.preset, instruction: c.instruction, surface: c.surface })(c.query),
      );
      if (values.json) {
        console.log(JSON.stringify({ presets: { cases: report.cases, passed: report.passed, compliance: report.compliance } }));
      } else {
        console.log(`${values.presets}: ${report.passed} of ${report.cases} cases put an expected article first (compliance ${report.compliance.toFixed(3)})`);
        for (const f of report.failures) {
          console.log(`  FAIL ${JSON.stringify(f.case.query)} [${f.case.preset ?? `instruction: ${f.case.instruction}`}, ${f.case.surface}] -> ${f.top ?? "(nothing)"}; expected ${f.case.expect_top.join(" | ")}`);
        }
      }
      return 0;
    }
    if (values["off-topic"]) {
      const file = values["off-topic"];
      const offTopic = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim()).map((line, i) => {
        const parsed = JSON.parse(line) as { query?: unknown };
        if (typeof parsed.query !== "string" || !parsed.query.trim()) throw new EvalDataError(`${file}:${i + 1}: needs a "query" string`);
        return parsed.query;
      });
      const rank = rankerFor(services, "rerank");
      const answered: { query: string; top: string }[] = [];
      for (const query of offTopic) {
        const ranked = await rank(query);
        if (ranked.length) answered.push({ query, top: ranked[0]! });
      }
      const share = (offTopic.length - answered.length) / offTopic.length;
      if (values.json) {
        console.log(JSON.stringify({ off_topic: { queries: offTopic.length, no_result: round3(share), answered } }));
      } else {
        console.log(`${file}: ${offTopic.length - answered.length} of ${offTopic.length} queries get no result (${share.toFixed(3)})`);
        for (const a of answered) console.log(`  ANSWERED ${JSON.stringify(a.query)} -> ${a.top}`);
      }
      return 0;
    }
    if (values.preset) {
      // Fails fast with a clear message for an unknown preset.
      if (!services.presets.get(values.preset)) throw new EvalDataError(`--preset: no preset ${values.preset} in ${values["presets-file"]}`);
    }
    if (values.sweep) {
      await runSweep(services, parseSweep(values.sweep), queries, judgments, values.json ?? false);
      return 0;
    }
    const reports: Record<string, ModeReport> = {};
    for (const mode of modes) {
      const bar = createProgressBar(`eval ${mode}`);
      bar.start(queries.length, 0, { file: "" });
      reports[mode] = await evaluateMode(rankerFor(services, mode, undefined, { preset: values.preset, surface: values.surface === "agent" ? "agent" : "help" }), queries, judgments, (n) => bar.update(n));
      bar.stop();
    }
    if (values.json) {
      console.log(JSON.stringify({ queries: queries.length, modes: reports }));
    } else {
      printTable(queries.length, reports, services.engine.name);
    }
    return 0;
  } finally {
    await services.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

type WeightName = keyof FusionWeights;
const WEIGHT_NAMES: WeightName[] = ["keyword", "semantic", "phrasing", "rerank", "instruction", "requestInstruction"];

/** "keyword=0,0.1;instruction=0,0.2" -> values to try per weight (others stay as configured). */
function parseSweep(spec: string): Partial<Record<WeightName, number[]>> {
  const grid: Partial<Record<WeightName, number[]>> = {};
  for (const part of spec.split(/[;\s]+/).filter(Boolean)) {
    const [name, list] = part.split("=");
    if (!WEIGHT_NAMES.includes(name as WeightName) || !list) {
      throw new EvalDataError(`--sweep: expected name=v1,v2 with name one of ${WEIGHT_NAMES.join(", ")}; got "${part}"`);
    }
    const values = list.split(",").map(Number);
    if (values.some((v) => !Number.isFinite(v) || v < 0)) throw new EvalDataError(`--sweep: bad number in "${part}"`);
    grid[name as WeightName] = values;
  }
  return grid;
}

async function runSweep(
  services: Services,
  grid: Partial<Record<WeightName, number[]>>,
  queries: EvalQuery[],
  judgments: ReturnType<typeof judgmentsByIntent>,
  json: boolean,
): Promise<void> {
  const base = services.searchDeps().weights;
  let combos: FusionWeights[] = [base];
  for (const name of WEIGHT_NAMES) {
    const values = grid[name];
    if (values) combos = combos.flatMap((w) => values.map((v) => ({ ...w, [name]: v })));
  }
  const bar = createProgressBar("sweep");
  bar.start(combos.length, 0, { file: "" });
  const rows: { weights: FusionWeights; report: ModeReport }[] = [];
  for (const weights of combos) {
    rows.push({ weights, report: await evaluateMode(rankerFor(services, "rerank", weights), queries, judgments) });
    bar.increment();
  }
  bar.stop();
  rows.sort((a, b) => b.report["mrr@10"] - a.report["mrr@10"]);
  if (json) {
    console.log(JSON.stringify({ queries: queries.length, sweep: rows }));
    return;
  }
  const table = new Table({ head: [...WEIGHT_NAMES, "MRR@10", "nDCG@10", "Recall@5", "Hit@1 (primary)"], style: { head: [], border: [] } });
  for (const { weights, report } of rows) {
    table.push([...WEIGHT_NAMES.map((n) => String(weights[n])), report["mrr@10"].toFixed(3), report["ndcg@10"].toFixed(3), report["recall@5"].toFixed(3), report["hit@1_primary"].toFixed(3)]);
  }
  console.log(table.toString());
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

function printTable(count: number, reports: Record<string, ModeReport>, engine: string): void {
  const table = new Table({
    head: ["mode", "MRR@10", "nDCG@10", "Recall@5", "Recall@20", "Hit@1 (primary)", "no result", "p50 ms", "p95 ms", "queries"],
    style: { head: [], border: [] },
  });
  for (const [mode, r] of Object.entries(reports)) {
    table.push([
      mode,
      r["mrr@10"].toFixed(3),
      r["ndcg@10"].toFixed(3),
      r["recall@5"].toFixed(3),
      r["recall@20"].toFixed(3),
      r["hit@1_primary"].toFixed(3),
      r.no_result.toFixed(3),
      r.p50_ms.toFixed(2),
      r.p95_ms.toFixed(2),
      String(count),
    ]);
  }
  console.log(`engine: ${engine}; machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}`);
  console.log(table.toString());
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(error instanceof EvalDataError ? error.message : error);
    process.exitCode = error instanceof EvalDataError ? 2 : 1;
  });
