import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { AuthenticityTokenInput, AuthenticityTokenProvider } from "remix-utils/csrf/react";
import { getUser } from "./auth/auth.server";
import { csrf } from "./auth/session.server";
import stylesheet from "./tailwind.css?url";
import { useNonce } from "./ui/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** Pages set their own titles; this one is for error pages (an unknown address matches only the root). */
export const meta: MetaFunction = ({ error }) => {
  if (!error) return [{ title: "HelpRank" }];
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return [{ title: notFound ? "Page not found — Voltaro Help Center" : "Something went wrong — Voltaro Help Center" }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const [csrfToken, csrfCookie] = await csrf().commitToken(request);
  return Response.json(
    { user: user ? { name: user.name, email: user.email, role: user.role } : null, csrfToken },
    { headers: csrfCookie ? { "Set-Cookie": csrfCookie } : {} },
  );
}

interface RootData {
  user: { name: string; email: string; role: "agent" | "admin" } | null;
  csrfToken: string;
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData("root") as RootData | undefined;
  const pathname = useLocation().pathname;
  // Admin pages put an editor beside a three-column preview, and the console explains each result: they get the width.
  const width = pathname.startsWith("/admin") ? "max-w-6xl" : pathname.startsWith("/agent") ? "max-w-5xl" : "max-w-3xl";
  const lang = pageLanguage(useMatches());
  const agentSide = pathname.startsWith("/agent") || pathname.startsWith("/admin");
  const nonce = useNonce();
  const page = (
    <html lang={lang === "zh" ? "zh-CN" : "en"} className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-full bg-slate-50 font-sans text-slate-900 antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white" lang="en">
          <div className={`mx-auto flex ${width} flex-wrap items-center justify-between gap-2 px-4 py-3`}>
            {agentSide ? (
              <Link to="/agent" className="text-lg font-semibold tracking-tight text-indigo-700">
                HelpRank <span className="font-normal text-slate-700">agent console</span>
              </Link>
            ) : (
              <Link to={lang === "zh" ? "/help?lang=zh" : "/help"} className="text-lg font-semibold tracking-tight text-indigo-700" lang={lang === "zh" ? "zh-CN" : "en"}>
                {lang === "zh" ? "Voltaro 帮助中心" : "Voltaro Help Center"}
              </Link>
            )}
            <UserMenu user={data?.user ?? null} />
          </div>
        </header>
        <main id="main" className={`mx-auto ${width} px-4 py-8`}>{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
  return data ? <AuthenticityTokenProvider token={data.csrfToken}>{page}</AuthenticityTokenProvider> : page;
}

function UserMenu({ user }: { user: RootData["user"] }) {
  if (!user) {
    return (
      <nav aria-label="Account" className="text-sm">
        <Link to="/login" className="text-slate-700 hover:text-indigo-700 hover:underline">Agent sign-in</Link>
      </nav>
    );
  }
  return (
    <nav aria-label="Account" className="flex flex-wrap items-center gap-3 text-sm">
      <Link to="/agent" className="text-slate-700 hover:text-indigo-700 hover:underline">Agent console</Link>
      <Link to="/help" className="text-slate-700 hover:text-indigo-700 hover:underline">Help center</Link>
      {user.role === "admin" ? <Link to="/admin" className="text-slate-700 hover:text-indigo-700 hover:underline">Admin</Link> : null}
      <Link to="/account/password" className="text-slate-500 hover:underline" data-testid="signed-in-as">
        {user.name} ({user.role})
      </Link>
      <Form method="post" action="/logout">
        <AuthenticityTokenInput />
        <button type="submit" className="text-slate-700 underline hover:text-indigo-700">Sign out</button>
      </Form>
    </nav>
  );
}

/** The language of the page: the deepest route that says (help-center pages return `lang`). */
function pageLanguage(matches: ReturnType<typeof useMatches>): "en" | "zh" {
  for (const match of [...matches].reverse()) {
    const lang = (match.data as { lang?: unknown } | undefined)?.lang;
    if (lang === "zh" || lang === "en") return lang;
  }
  return "en";
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    // Our loaders say what was not found; the router's own text ("No route matches URL …") is not for people.
    const detail = typeof error.data === "string" && !error.data.includes("No route matches") ? error.data : undefined;
    return <NotFound detail={detail} />;
  }
  const [title, message] = isRouteErrorResponse(error)
    ? [`${error.status} ${error.statusText}`, typeof error.data === "string" ? error.data : "This page could not be shown."]
    : ["Something went wrong", "Please try again in a moment."];
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-xl font-semibold">{title}</h1>
      <p className="mt-2 text-slate-600">{message}</p>
      <Link to="/help" className="mt-4 inline-block text-indigo-700 underline">
        Back to the help center
      </Link>
    </div>
  );
}

/** An unknown address, or an article this visitor may not see: never the router's raw message. */
function NotFound({ detail }: { detail?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-xl font-semibold">Page not found</h1>
      {detail ? <p className="mt-2 text-slate-600">{detail}</p> : null}
      <p className="mt-2 text-slate-600">There is no page at this address: it may have moved, or the link may be mistyped. Search the help center instead.</p>
      <Form method="get" action="/help" role="search" className="mt-4 flex gap-2">
        <label htmlFor="not-found-q" className="sr-only">
          Search the help center
        </label>
        <input id="not-found-q" name="q" type="search" required maxLength={500} placeholder="e.g. where is my package" className="w-full rounded-md border border-slate-300 px-3 py-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600" />
        <button type="submit" className="rounded-md bg-indigo-700 px-4 py-2 font-medium text-white focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 focus-visible:ring-offset-2">
          Search
        </button>
      </Form>
      <Link to="/help" className="mt-4 inline-block text-indigo-700 underline">
        Back to the help center
      </Link>
    </div>
  );
}
