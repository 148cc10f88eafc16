import { z } from "zod";
import { KEY_SCOPES } from "./api-key-scopes";

/** Form schemas shared by the browser (Conform validation) and the server (the same checks again). */
export const loginSchema = z.object({
  email: z.string({ required_error: "Enter your e-mail address" }).trim().email("Enter a valid e-mail address").max(200),
  password: z.string({ required_error: "Enter your password" }).max(200, "Password is too long"),
  redirectTo: z.string().optional(),
});

export const PASSWORD_MIN = 12;
const newPassword = z
  .string({ required_error: `Choose a password of at least ${PASSWORD_MIN} characters` })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(200, "Use at most 200 characters");

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ required_error: "Enter your current password" }).max(200),
    newPassword,
    confirmPassword: z.string({ required_error: "Repeat the new password" }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match" })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password different from the current one" });

export const createUserSchema = z.object({
  intent: z.literal("create"),
  email: z.string({ required_error: "Enter an e-mail address" }).trim().email("Enter a valid e-mail address").max(200),
  name: z.string({ required_error: "Enter a name" }).trim().min(1).max(100, "Use at most 100 characters"),
  role: z.enum(["agent", "admin"], { errorMap: () => ({ message: "Choose agent or admin" }) }),
  password: newPassword,
});

export const createKeySchema = z.object({
  intent: z.literal("create"),
  name: z.string({ required_error: "Name the key after the integration that uses it" }).trim().min(1).max(100, "Use at most 100 characters"),
  scope: z.enum(KEY_SCOPES, { errorMap: () => ({ message: "Choose public or internal" }) }),
});
