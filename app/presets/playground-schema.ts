import { z } from "zod";

export const PLAYGROUND_MAX_DOCUMENTS = 20;

/** The rerank test bench form: one document per line. */
export const playgroundSchema = z.object({
  query: z.string({ required_error: "Enter a query" }).trim().min(1).max(500, "Use at most 500 characters"),
  documents: z
    .string({ required_error: "Enter at least one document, one per line" })
    .max(40_000, "Use at most 40,000 characters")
    .transform((text) => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))
    .refine((docs) => docs.length >= 1, "Enter at least one document, one per line")
    .refine((docs) => docs.length <= PLAYGROUND_MAX_DOCUMENTS, `Use at most ${PLAYGROUND_MAX_DOCUMENTS} documents`)
    .refine((docs) => docs.every((d) => d.length <= 2000), "Each document may have at most 2,000 characters"),
  instruction: z.string().trim().max(500, "Use at most 500 characters").optional(),
  reranker: z.enum(["configured", "embedding"]).default("configured"),
});
