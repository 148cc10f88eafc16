/**
 * npm run user:create -- --email EMAIL --name NAME --role admin|agent
 * npm run user:password -- --email EMAIL
 * The password is read from the HELPRANK_PASSWORD variable or from standard input (one line),
 * never from the command line (it would land in shell history) and never printed.
 */
import { parseArgs } from "node:util";
import readline from "node:readline";
import { PASSWORD_MIN } from "~/auth/auth-schemas";
import { SessionStore } from "~/auth/sessions.server";
import { ROLES, type Role, UserStore } from "~/auth/users.server";
import { getEnv } from "~/config/env.server";
import { openDatabase } from "~/db/db.server";

async function readPassword(): Promise<string> {
  if (process.env.HELPRANK_PASSWORD) return process.env.HELPRANK_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write("Password (input is not shown as typed by your terminal settings): ");
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return "";
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string", default: "agent" } } });
  if ((command !== "create" && command !== "password") || !values.email) {
    console.error("usage: npm run user:create -- --email EMAIL --name NAME --role admin|agent\n       npm run user:password -- --email EMAIL\n(password from HELPRANK_PASSWORD or stdin)");
    return 2;
  }
  if (command === "create" && (!values.name || !ROLES.includes(values.role as Role))) {
    console.error(`--name is required and --role must be one of: ${ROLES.join(", ")}`);
    return 2;
  }
  const password = await readPassword();
  if (password.length < PASSWORD_MIN) {
    console.error(`the password must have at least ${PASSWORD_MIN} characters`);
    return 2;
  }
  const db = openDatabase(getEnv().DATABASE_PATH);
  try {
    const users = new UserStore(db);
    if (command === "create") {
      const user = await users.create({ email: values.email, name: values.name!, role: values.role as Role, password });
      console.log(`Created ${user.role} ${user.email}.`);
    } else {
      const user = users.byEmail(values.email);
      if (!user) {
        console.error(`no user with the e-mail address ${values.email}`);
        return 1;
      }
      await users.setPassword(user.id, password);
      new SessionStore(db).deleteForUser(user.id);
      console.log(`Password of ${user.email} changed; their sessions were ended.`);
    }
    return 0;
  } finally {
    db.close();
  }
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
