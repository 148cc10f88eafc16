/**
 * npm run bench:keyword -- --queries FILE — the keyword stage against a plain BM25 peer.
 * The peer is MiniSearch 7 with library defaults (fields title ×2, tags ×1.5, questions ×1.5, body;
 * OR of terms; no fuzzy, no prefix) over the same public English articles. Our keyword mode is the
 * eval CLI's: FTS5 BM25 plus spelling correction, no phrasing or semantic signal.
 */
import Table from "cli-table3";
import MiniSearch from "minisearch";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { importArticles } from "~/articles/import.server";
import { getEnv } from "~/config/env.server";
import { EvalDataError, judgmentsByIntent, parseIntentsFile, parseQueriesJsonl } from "~/eval/eval-data";
import { EVAL_DEPTH, evaluateMode, rankerFor, type ModeReport, type RankFn } from "~/eval/run-eval.server";
import { createServices } from "~/services.server";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      queries: { type: "string" },
      qrels: { type: "string", default: "seed/eval/intents.json" },
      articles: { type: "string", default: "seed/articles" },
    },
  });
  if (!values.queries) {
    console.error("usage: npm run bench:keyword -- --queries FILE [--qrels seed/eval/intents.json]");
    return 2;
  }
  const qrelsFile = values.qrels ?? "seed/eval/intents.json";
  const intents = parseIntentsFile(fs.readFileSync(qrelsFile, "utf8"), qrelsFile);
  const queries = parseQueriesJsonl(fs.readFileSync(values.queries, "utf8"), values.queries, intents);
  const judgments = judgmentsByIntent(intents);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "helprank-bench-keyword-"));
  // Keyword mode needs no sentence encoder: leave it unloaded so the bench is quick.
  const services = await createServices({
    ...getEnv(),
    DATABASE_PATH: path.join(workDir, "bench.db"),
    ENGINE: "sqlite",
    SEMANTIC: false,
    RERANKER: "off",
  });
  try {
    await importArticles({ dir: values.articles ?? "seed/articles", store: services.store, engine: services.engine, prune: true });
    await services.refreshIndexes();
    const articles = services.store.all().filter((a) => a.audience === "public" && a.locale === "en");

    const peer = new MiniSearch({
      fields: ["title", "tags", "questions", "body"],
      storeFields: ["slug"],
      idField: "slug",
      searchOptions: { boost: { title: 2, tags: 1.5, questions: 1.5 }, combineWith: "OR", fuzzy: false, prefix: false },
    });
    peer.addAll(articles.map((a) => ({ slug: a.slug, title: a.title, tags: a.tags.join(" "), questions: a.questions.join("\n"), body: a.bodyText })));
    const peerRank: RankFn = async (query) => peer.search(query).slice(0, EVAL_DEPTH).map((r) => String(r.id));

    const reports: Record<string, ModeReport> = {
      "MiniSearch 7 (BM25 peer)": await evaluateMode(peerRank, queries, judgments),
      "HelpRank keyword (FTS5 + spelling)": await evaluateMode(rankerFor(services, "keyword"), queries, judgments),
    };
    const table = new Table({ head: ["keyword stage", "MRR@10", "nDCG@10", "Recall@5", "Recall@20", "Hit@1 (primary)", "p50 ms", "p95 ms"], style: { head: [], border: [] } });
    for (const [name, r] of Object.entries(reports)) {
      table.push([name, r["mrr@10"].toFixed(3), r["ndcg@10"].toFixed(3), r["recall@5"].toFixed(3), r["recall@20"].toFixed(3), r["hit@1_primary"].toFixed(3), r.p50_ms.toFixed(2), r.p95_ms.toFixed(2)]);
    }
    console.log(`${queries.length} queries, ${articles.length} public English articles; machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}`);
    console.log(table.toString());
    return 0;
  } finally {
    await services.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(error instanceof EvalDataError ? error.message : error);
    process.exitCode = error instanceof EvalDataError ? 2 : 1;
  });
