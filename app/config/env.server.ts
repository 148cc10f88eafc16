import { z } from "zod";

/** Thrown when an environment variable has a bad value; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
    HOST: z.string().default("0.0.0.0"),
    DATABASE_PATH: z.string().min(1).default("data/helprank.db"),
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
  })
  .superRefine((env, ctx) => {
    if (env.ENGINE === "meilisearch" && !env.MEILI_URL) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["MEILI_URL"],
        message: "is required when ENGINE=meilisearch",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

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
