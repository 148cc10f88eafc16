import { z } from "zod";

/** Thrown when an environment variable has a bad value; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const weight = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(100).default(fallback));
const flag = (fallback: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .enum(["true", "false", "1", "0", "on", "off"], { errorMap: () => ({ message: "must be true or false" }) })
      .default(fallback ? "true" : "false")
      .transform((v) => ["true", "1", "on"].includes(v)),
  );

export const RERANKERS = ["embedding", "cross-encoder", "vllm", "tei", "cohere", "off"] as const;

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
    HOST: z.string().default("0.0.0.0"),
    DATABASE_PATH: z.string().min(1).default("data/helprank.db"),
    /** How far V8 lets a server process's heap grow past its live objects, in percent; 0 = V8's own rule (docs/decisions/010). */
    HEAP_GROWTH_PERCENT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(300).default(30)),
    /** A file of sentence vectors shared by several databases (tests, e2e, eval of one run). */
    VECTOR_CACHE_PATH: optionalString,
    ARTICLES_DIR: z.string().min(1).default("seed/articles"),
    ENGINE: z.enum(["sqlite", "meilisearch"]).default("sqlite"),
    MEILI_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
    MEILI_MASTER_KEY: optionalString,
    MEILI_ADMIN_KEY: optionalString,
    MEILI_SEARCH_KEY: optionalString,
    MEILI_INDEX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "only letters, digits, '-' and '_'")
      .default("helprank_articles"),
    SEMANTIC: flag(true),
    /** Model folders, comma-separated: each serves the locales of its config that earlier ones do not. */
    ENCODER_DIR: z.string().min(1).default("model/minilm-l6-en,model/multilingual-e5-small"),
    /** Overrides the ONNX file named in the folder's helprank-encoder.json. */
    ENCODER_FILE: optionalString,
    RERANKER: z.enum(RERANKERS, { errorMap: () => ({ message: `must be one of: ${RERANKERS.join(", ")}` }) }).default("embedding"),
    RERANKER_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
    RERANKER_MODEL: optionalString,
    RERANKER_API_KEY: optionalString,
    RERANKER_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(60_000).default(800)),
    /** Consecutive reranker failures that open its circuit breaker (searches then skip it at once). */
    RERANKER_CIRCUIT_FAILURES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000).default(3)),
    /** How long the open circuit skips the reranker before one trial call may close it again. */
    RERANKER_CIRCUIT_COOLDOWN_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(3_600_000).default(30_000)),
    CROSS_ENCODER_DIR: optionalString,
    RECALL_K: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(500).default(50)),
    RERANK_PASSAGES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(20).default(3)),
    MIN_SEMANTIC_SCORE: z.preprocess(emptyToUndefined, z.coerce.number().min(-1).max(1).default(0.3)),
    SPELL_CORRECTION: flag(true),
    FUSION_KEYWORD_WEIGHT: weight(0.05),
    FUSION_SEMANTIC_WEIGHT: weight(1),
    FUSION_PHRASING_WEIGHT: weight(0.1),
    FUSION_RERANK_WEIGHT: weight(1),
    FUSION_INSTRUCTION_WEIGHT: weight(0.15),
    FUSION_REQUEST_INSTRUCTION_WEIGHT: weight(2),
    /** The click prior's weight in fusion (fusion.ts CLICK_PRIOR_*); 0 switches it off. */
    CLICK_PRIOR_WEIGHT: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(1).default(0.1)),
    /** Kill switch for the click prior, whatever its weight. */
    CLICK_PRIOR: flag(true),
    /** How long ranking uses one snapshot of a query's click counts: a reload shows the same order. 0 reads them live. */
    CLICK_PRIOR_REFRESH_S: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(86_400).default(600)),
    /** How long a write waits for another connection's lock; past it the request is a 503 with Retry-After. */
    DATABASE_BUSY_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(60_000).default(5000)),
    /** How much of the database file is read through a memory map; 0 reads it plainly. */
    DATABASE_MMAP_MB: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65_536).default(256)),
    /** Rerank API requests scored at once per server process; more get 429 with Retry-After. */
    RERANK_API_MAX_CONCURRENT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).default(1)),
    /** Requests a minute per client address (or signed-in user, or API key); 0 switches the limit off. */
    RATE_LIMIT_SEARCH_PER_MIN: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(1_000_000).default(300)),
    RATE_LIMIT_EVENTS_PER_MIN: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(1_000_000).default(600)),
    /** Searches and events older than this are deleted (at start-up and every 6 hours). */
    EVENT_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3650).default(180)),
    /** "en=0.48,zh=0.96": per query locale, a search whose best result is less relevant than this has no results (docs/decisions/008). */
    RELEVANCE_FLOOR: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default("en=0.48,zh=0.96")
        .transform((text, ctx) => {
          const floors: Record<string, number> = {};
          for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
            const match = /^(en|zh)=(-?\d+(?:\.\d+)?)$/.exec(part);
            if (!match) {
              ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${part}" is not locale=number (locales en, zh), e.g. en=0.4,zh=0.93` });
              return z.NEVER;
            }
            floors[match[1]!] = Number(match[2]);
          }
          return floors as Partial<Record<"en" | "zh", number>>;
        }),
    ),
    /** Signs the session and CSRF cookies; required in production (at least 32 characters). */
    SESSION_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, "must be at least 32 characters").optional()),
    /** Lets a production build start while a seeded demo user keeps its published password. */
    ALLOW_DEMO_USERS: flag(false),
    USERS_FILE: z.string().min(1).default("seed/users.json"),
    PRESETS_FILE: z.string().min(1).default("seed/presets.json"),
    /** Display names and descriptions of the categories, in English and Chinese. */
    CATEGORIES_FILE: z.string().min(1).default("seed/categories.json"),
    /** The article the help center's "contact us" links open (its translation for Chinese pages). */
    CONTACT_ARTICLE: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be an article slug").default("contact-customer-service"),
    /** Failed sign-ins allowed per account and per client address in LOGIN_WINDOW_S. */
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000).default(5)),
    LOGIN_MAX_FAILURES_PER_IP: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(10_000).default(20)),
    LOGIN_WINDOW_S: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(86_400).default(900)),
  })
  .superRefine((env, ctx) => {
    if (["vllm", "tei", "cohere"].includes(env.RERANKER) && !env.RERANKER_URL) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["RERANKER_URL"], message: `is required when RERANKER=${env.RERANKER}` });
    }
    if (["vllm", "cohere"].includes(env.RERANKER) && !env.RERANKER_MODEL) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["RERANKER_MODEL"], message: `is required when RERANKER=${env.RERANKER}` });
    }
    if (env.RERANKER === "cross-encoder" && !env.CROSS_ENCODER_DIR) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["CROSS_ENCODER_DIR"], message: "is required when RERANKER=cross-encoder (a folder with model.onnx and tokenizer.json)" });
    }
    if (env.RERANKER === "embedding" && !env.SEMANTIC) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["RERANKER"], message: "embedding needs SEMANTIC=true (it reranks with the sentence encoder)" });
    }
    if (env.NODE_ENV === "production" && !env.SESSION_SECRET) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["SESSION_SECRET"], message: "is required when NODE_ENV=production (e.g. openssl rand -hex 32)" });
    }
    if (env.ENGINE === "meilisearch" && !env.MEILI_URL) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["MEILI_URL"],
        message: "is required when ENGINE=meilisearch",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Used outside production only, so development needs no setup; production must set its own. */
export const DEVELOPMENT_SESSION_SECRET = "helprank-development-secret-not-for-production";

export function sessionSecret(env: Env): string {
  return env.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated environment, read once per process. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
