import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { AuthenticityTokenInput, AuthenticityTokenProvider } from "remix-utils/csrf/react";
import { getUser } from "./auth/auth.server";
import { csrf } from "./auth/session.server";
import stylesheet from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

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
  // Admin pages put an editor beside a three-column preview: they get the full width.
  const width = useLocation().pathname.startsWith("/admin") ? "max-w-6xl" : "max-w-3xl";
  const page = (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-full bg-slate-50 font-sans text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <div className={`mx-auto flex ${width} flex-wrap items-center justify-between gap-2 px-4 py-3`}>
            <Link to="/" className="text-lg font-semibold tracking-tight text-indigo-700">
              Voltaro Help Center
            </Link>
            <UserMenu user={data?.user ?? null} />
          </div>
        </header>
        <main className={`mx-auto ${width} px-4 py-8`}>{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
  return data ? <AuthenticityTokenProvider token={data.csrfToken}>{page}</AuthenticityTokenProvider> : page;
}

function UserMenu({ user }: { user: RootData["user"] }) {
  if (!user) {
    return (
      <nav aria-label="Account" className="text-sm">
        <Link to="/login" className="text-slate-600 hover:text-indigo-700 hover:underline">Agent sign-in</Link>
      </nav>
    );
  }
  return (
    <nav aria-label="Account" className="flex flex-wrap items-center gap-3 text-sm">
      <Link to="/agent" className="text-slate-700 hover:text-indigo-700 hover:underline">Agent search</Link>
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
      <Link to="/" className="mt-4 inline-block text-indigo-700 underline">
        Back to search
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
      <Form method="get" action="/" role="search" className="mt-4 flex gap-2">
        <label htmlFor="not-found-q" className="sr-only">
          Search the help center
        </label>
        <input id="not-found-q" name="q" type="search" required maxLength={500} placeholder="e.g. where is my package" className="w-full rounded-md border border-slate-300 px-3 py-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600" />
        <button type="submit" className="rounded-md bg-indigo-700 px-4 py-2 font-medium text-white focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 focus-visible:ring-offset-2">
          Search
        </button>
      </Form>
      <Link to="/" className="mt-4 inline-block text-indigo-700 underline">
        Back to the help center
      </Link>
    </div>
  );
}
