import { z } from "zod";

/** The "new experiment" form, on client and server (Conform + zod). */
export const createExperimentSchema = z
  .object({
    intent: z.literal("create"),
    name: z.string({ required_error: "Name the experiment" }).trim().min(1).max(100, "Use at most 100 characters"),
    surface: z.enum(["help", "agent"], { errorMap: () => ({ message: "Choose the help center or the agent console" }) }),
    presetA: z.string({ required_error: "Choose preset A" }).min(1),
    presetB: z.string({ required_error: "Choose preset B" }).min(1),
    splitPercent: z.coerce
      .number({ required_error: "Give the share of sessions on B", invalid_type_error: "The share must be a number" })
      .int("Use a whole percentage")
      .min(1, "At least 1% of sessions must get B")
      .max(99, "At most 99% of sessions may get B"),
  })
  .refine((v) => v.presetA !== v.presetB, { message: "Preset B must differ from preset A", path: ["presetB"] });
