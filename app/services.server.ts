import { CategoryCatalog } from "./articles/categories.server";
import { ArticleStore } from "./articles/store.server";
import { EventStore } from "./events/events.server";
import { SearchLog } from "./events/search-log.server";
import { ExperimentStore } from "./events/experiments.server";
import { ApiKeyStore } from "./auth/api-keys.server";
import { RateLimiter } from "./auth/rate-limit.server";
import { SessionStore } from "./auth/sessions.server";
import { UserStore } from "./auth/users.server";
import { PresetStore } from "./presets/presets.server";
import type { ArticleMeta } from "./search/pipeline.server";
import { getEnv, type Env } from "./config/env.server";
import { openDatabase, type Db } from "./db/db.server";
import { createReranker } from "./rerank/create-reranker.server";
import { createEngine } from "./search/engines/create-engine.server";
import type { SearchEngine } from "./search/engines/engine";
import type { GuardedReranker, SearchDeps } from "./search/pipeline.server";
import { CachedEmbedder, loadSentenceEncoder } from "./search/semantic/embedder.server";
import { EncoderThread } from "../model/encoder-thread";
import { QueryVectorStore } from "./search/semantic/query-vectors.server";
import { PhrasingIndex } from "./search/lexical/phrasing-index";
import { QueryInformation } from "./search/lexical/query-information";
import { SpellingCorrector } from "./search/lexical/spelling.server";
import { SemanticIndex } from "./search/semantic/semantic-index.server";
import { SemanticStages, servedLocales } from "./search/semantic/semantic-stages.server";
import { detectLocale } from "./search/text";
import { openVectorCache, VectorStore } from "./search/semantic/vector-store.server";

/** Long-lived handles, created once per process. */
export interface Services {
  env: Env;
  db: Db;
  store: ArticleStore;
  categories: CategoryCatalog;
  events: EventStore;
  searchLog: SearchLog;
  experiments: ExperimentStore;
  engine: SearchEngine;
  vectors: VectorStore;
  queryVectors: QueryVectorStore;
  users: UserStore;
  sessions: SessionStore;
  apiKeys: ApiKeyStore;
  rateLimiter: RateLimiter;
  presets: PresetStore;
  /** The first encoder of ENCODER_DIR (the one serving English by default). */
  embedder?: CachedEmbedder;
  /** Every encoder of ENCODER_DIR, in order. */
  embedders: readonly CachedEmbedder[];
  /** The encoder for a text: the one serving its language, else the first. */
  embedderFor(text: string): CachedEmbedder | undefined;
  reranker?: GuardedReranker;
  /** The first encoder's semantic index as of the last refresh (undefined when SEMANTIC=false). */
  semanticIndex(): SemanticIndex | undefined;
  /** Every encoder's index, by locale, as of the last refresh. */
  semanticStages(): SemanticStages | undefined;
  /**
   * Rebuilds the in-memory indexes from the store: the phrasing index and the spelling vocabulary,
   * and the semantic index after embedding what changed. Returns the semantic index.
   */
  refreshIndexes(onProgress?: (done: number, total: number) => void): Promise<SemanticIndex | undefined>;
  /**
   * Rebuilds the indexes when another process (the import CLI) changed the articles since the
   * last build, so a running server serves what was imported without a restart. Cheap when
   * nothing changed: one PRAGMA data_version read. Returns whether it rebuilt.
   */
  refreshIfStale(): Promise<boolean>;
  searchDeps(): SearchDeps;
  close(): Promise<void>;
}

/** `engineDown: "serve"`: the server starts while Meilisearch is unreachable (createEngine); the CLIs stop. */
export async function createServices(env: Env, options: { engineDown?: "fail" | "serve" } = {}): Promise<Services> {
  // Read first: a bad categories file stops start-up before anything is opened.
  const categories = CategoryCatalog.fromFile(env.CATEGORIES_FILE);
  const db = openDatabase(env.DATABASE_PATH, env.DATABASE_BUSY_TIMEOUT_MS, env.DATABASE_MMAP_MB);
  const engine = await createEngine(env, db, { whenDown: options.engineDown });
  const store = new ArticleStore(db);
  const vectorCache = env.VECTOR_CACHE_PATH ? openVectorCache(env.VECTOR_CACHE_PATH) : undefined;
  const vectors = new VectorStore(db, vectorCache?.store);
  // ENCODER_DIR lists one or more model folders; ENCODER_FILE (an override) applies to the first.
  const encoderDirs = env.ENCODER_DIR.split(",").map((d) => d.trim()).filter(Boolean);
  const encoders = env.SEMANTIC ? await Promise.all(encoderDirs.map((dir, i) => loadSentenceEncoder(dir, i === 0 ? env.ENCODER_FILE : undefined))) : [];
  // Each encoder also gets a thread of its own for the rerank API's pasted documents (started on first use).
  // Query vectors are shared through the database: with several processes, any one may get a repeated query.
  const queryVectors = new QueryVectorStore(db);
  const embedders = encoders.map(
    (e, i) =>
      new CachedEmbedder(e, {
        background: new EncoderThread({ dir: encoderDirs[i]!, file: i === 0 ? env.ENCODER_FILE : undefined, threads: 1 }),
        shared: queryVectors,
      }),
  );
  const served = servedLocales(embedders.map((e) => e.locales));
  const embedder = embedders[0];
  let stages: SemanticStages | undefined;
  const reranker = await createReranker(env);
  let index: SemanticIndex | undefined;
  let phrasing: PhrasingIndex | undefined;
  let spelling: SpellingCorrector | undefined;
  let articleMeta: Map<string, ArticleMeta> | undefined;
  let queryInformation: QueryInformation | undefined;
  const presets = new PresetStore(db);
  const searchLog = new SearchLog(db);
  // What the indexes were built from: SQLite's data_version (changes when another connection
  // commits anything) and the articles' version counter (other writes, e.g. logs, need no rebuild).
  let builtFrom: { dataVersion: number; articles: number } | undefined;
  let rebuilding: Promise<unknown> | undefined;
  // Read on every request: compiled once.
  const dataVersionStatement = db.prepare("PRAGMA data_version").pluck();
  const dataVersion = () => dataVersionStatement.get() as number;
  // Bumped by triggers on every article change (migration 014): one row to read.
  const articleVersionStatement = db.prepare("SELECT version FROM articles_version WHERE id = 1").pluck();
  const articleVersions = () => articleVersionStatement.get() as number;

  // Ranking reads the published counts (every process alike) unless told to read them live.
  const clickPriorStats = (key: string) => searchLog.clickStatsFor(key, { live: env.CLICK_PRIOR_REFRESH_S === 0 });

  const services: Services = {
    env,
    db,
    store,
    categories,
    events: new EventStore(db, searchLog),
    searchLog,
    experiments: new ExperimentStore(db),
    engine,
    vectors,
    queryVectors,
    users: new UserStore(db),
    sessions: new SessionStore(db),
    apiKeys: new ApiKeyStore(db),
    rateLimiter: new RateLimiter(db),
    presets,
    embedder,
    embedders,
    embedderFor: (text) => {
      const locale = detectLocale(text);
      return embedders.find((_, i) => served[i]!.includes(locale)) ?? embedder;
    },
    reranker,
    semanticIndex: () => index,
    semanticStages: () => stages,
    async refreshIndexes(onProgress) {
      builtFrom = { dataVersion: dataVersion(), articles: articleVersions() };
      const articles = store.all();
      phrasing = PhrasingIndex.build(articles);
      articleMeta = new Map(articles.map((a) => [a.slug, { category: a.category, tags: a.tags, updated: a.updated, translation: a.translation }]));
      queryInformation = QueryInformation.build(articles);
      spelling = env.SPELL_CORRECTION ? SpellingCorrector.fromArticles(articles) : undefined;
      if (!embedders.length) return undefined;
      const indexes: SemanticIndex[] = [];
      for (const [i, e] of embedders.entries()) {
        if (served[i]!.length) indexes.push(await SemanticIndex.build(articles, store, vectors, e, onProgress, served[i]));
      }
      stages = new SemanticStages(indexes.map((ix) => ({ index: ix, embedder: embedders.find((e) => e.modelId === ix.modelId)! })));
      index = indexes[0];
      return index;
    },
    async refreshIfStale() {
      if (!builtFrom) return false; // never built: getServices() and the scripts build on start
      const version = dataVersion();
      if (version === builtFrom.dataVersion) return false;
      if (articleVersions() === builtFrom.articles) {
        builtFrom.dataVersion = version;
        return false;
      }
      rebuilding ??= services.refreshIndexes().finally(() => (rebuilding = undefined));
      await rebuilding;
      return true;
    },
    searchDeps: () => ({
      engine,
      store,
      semantic: stages,
      phrasing,
      spelling,
      presets,
      articleMeta,
      queryInformation,
      reranker,
      rerankerName: env.RERANKER,
      recallK: env.RECALL_K,
      minSemanticScore: env.MIN_SEMANTIC_SCORE,
      rerankPassages: env.RERANK_PASSAGES,
      relevanceFloor: env.RELEVANCE_FLOOR,
      clickPrior: env.CLICK_PRIOR && env.CLICK_PRIOR_WEIGHT > 0 ? { weight: env.CLICK_PRIOR_WEIGHT, stats: clickPriorStats } : undefined,
      weights: {
        keyword: env.FUSION_KEYWORD_WEIGHT,
        semantic: env.FUSION_SEMANTIC_WEIGHT,
        phrasing: env.FUSION_PHRASING_WEIGHT,
        rerank: env.FUSION_RERANK_WEIGHT,
        instruction: env.FUSION_INSTRUCTION_WEIGHT,
        requestInstruction: env.FUSION_REQUEST_INSTRUCTION_WEIGHT,
      },
    }),
    async close() {
      await Promise.all([...encoders.map((e) => e.release()), ...embedders.map((e) => e.close())]);
      vectorCache?.close();
      db.close();
    },
  };
  return services;
}

declare global {
  // Survives module reloads in development, so one process keeps one database connection.
  var __helprankServices: Promise<Services> | undefined;
}

/** The process-wide services, with the indexes built on first use and rebuilt when stale. */
export async function getServices(): Promise<Services> {
  const services = await processServices();
  await services.refreshIfStale();
  return services;
}

function processServices(): Promise<Services> {
  globalThis.__helprankServices ??= createServices(getEnv(), { engineDown: "serve" })
    .then(async (services) => {
      await services.refreshIndexes();
      return services;
    })
    .catch((error: unknown) => {
      globalThis.__helprankServices = undefined;
      throw error;
    });
  return globalThis.__helprankServices;
}
