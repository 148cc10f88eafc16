import fs from "node:fs";
import { z } from "zod";
import { ROLES, type UserStore } from "./users.server";

const usersFileSchema = z.object({
  users: z.array(
    z.object({
      email: z.string().email(),
      name: z.string().min(1),
      role: z.enum(ROLES),
      password: z.string().min(8),
    }),
  ),
});

/**
 * Creates the demo users of seed/users.json when the database has no user at all. Their
 * passwords are published, so they are flagged: production refuses to start while one is unchanged.
 */
export async function seedDemoUsers(users: UserStore, file: string): Promise<number> {
  if (users.count() > 0 || !fs.existsSync(file)) return 0;
  const parsed = usersFileSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  for (const user of parsed.users) await users.create({ ...user, demoPassword: true });
  return parsed.users.length;
}

export class DemoPasswordError extends Error {
  override name = "DemoPasswordError";
}

/** In production, no enabled user may keep a published demo password (unless ALLOW_DEMO_USERS). */
export function assertNoDemoPasswords(users: UserStore, env: { NODE_ENV: string; ALLOW_DEMO_USERS: boolean }): void {
  if (env.NODE_ENV !== "production" || env.ALLOW_DEMO_USERS) return;
  const demo = users.withDemoPasswords();
  if (demo.length) {
    throw new DemoPasswordError(
      `Refusing to start in production: ${demo.map((u) => u.email).join(", ")} still ha${demo.length === 1 ? "s" : "ve"} the published demo password.\n` +
        "  Set a new one with: npm run user:password -- --email EMAIL   (reads the password from stdin)\n" +
        "  or create your own admin first: npm run user:create -- --email EMAIL --name NAME --role admin",
    );
  }
}
