import { csrf } from "~/auth/session.server";
import * as login from "~/routes/login";

export const BASE = "http://test";
export const ctx = (address = "10.0.0.1") => ({ clientAddress: address });

/** Cookie jar of one browser: CSRF cookie and token from the root loader, session after login. */
export class Browser {
  cookies = new Map<string, string>();
  token = "";

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  take(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...value] = pair!.split("=");
      this.cookies.set(name!.trim(), value.join("="));
    }
    return response;
  }

  async init(): Promise<this> {
    const [token, cookie] = await csrf().commitToken(new Request(BASE));
    this.token = token;
    if (cookie) this.take(new Response(null, { headers: { "Set-Cookie": cookie } }));
    return this;
  }

  request(pathname: string, init: { form?: Record<string, string>; headers?: Record<string, string>; csrf?: boolean } = {}): Request {
    const headers = new Headers({ Cookie: this.header(), ...init.headers });
    if (!init.form) return new Request(`${BASE}${pathname}`, { headers });
    const body = new URLSearchParams({ ...(init.csrf === false ? {} : { csrf: this.token }), ...init.form });
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    return new Request(`${BASE}${pathname}`, { method: "POST", headers, body });
  }

  async signIn(email: string, password: string, address?: string): Promise<Response> {
    return this.take(await login.action({ request: this.request("/login", { form: { email, password } }), params: {}, context: ctx(address) }) as Response);
  }
}

/** Runs a loader or action and returns the Response it returned or threw. */
export async function outcome(run: () => Promise<unknown>): Promise<Response> {
  try {
    return (await run()) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

