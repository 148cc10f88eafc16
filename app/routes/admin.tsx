import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requireAdmin } from "~/auth/auth.server";

/** Every /admin page: admins only (anonymous -> /login, agents -> 403). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

const SECTIONS = [
  { to: "/admin/presets", label: "Presets" },
  { to: "/admin/playground", label: "Playground" },
  { to: "/admin/keys", label: "API keys" },
  { to: "/admin/users", label: "Users" },
  { to: "/admin/analytics", label: "Analytics" },
  { to: "/admin/experiments", label: "Experiments" },
];

export default function AdminLayout() {
  return (
    <div>
      <nav aria-label="Admin" className="mb-6 flex flex-wrap gap-1 border-b border-slate-200 pb-2 text-sm">
        {SECTIONS.map((s) => (
          <NavLink
            key={s.to}
            to={s.to}
            className={({ isActive }) =>
              `rounded-md px-3 py-1.5 ${isActive ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-100"}`
            }
          >
            {s.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
