// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createRemixStub } from "@remix-run/testing";
import { afterEach, describe, expect, it } from "vitest";
import type { PageResultItem } from "~/search/search-page.server";
import { ResultList } from "./result-list";

afterEach(cleanup);

function hit(overrides: Partial<PageResultItem> = {}): PageResultItem {
  return {
    slug: "track-your-order",
    title: "Track your order",
    title_html: "<mark>Track</mark> your order",
    snippet: "Open <mark>tracking</mark> from the e-mail &lt;b&gt;we sent&lt;/b&gt;.",
    category: "shipping-delivery",
    category_name: "Shipping and delivery",
    audience: "public",
    locale: "en",
    updated: "2026-03-01",
    url: "/help/articles/track-your-order",
    score: 0.71,
    position: 0,
    event_id: "5b1f7c1e-2a43-4d7e-9a55-0b7e1c2d3e4f",
    click_href: "/click/0c8a3d52-6f1e-4b7a-8c9d-1e2f3a4b5c6d/0?event=5b1f7c1e-2a43-4d7e-9a55-0b7e1c2d3e4f",
    explain: { keyword: { score: 3.2, value: 0.6, weight: 0.05, contribution: 0.03, rank: 1 } },
    ...overrides,
  };
}

/** Renders inside a Remix router, since result titles are <Link>s. */
const SEARCH_ID = "0c8a3d52-6f1e-4b7a-8c9d-1e2f3a4b5c6d";

type ListProps = Parameters<typeof ResultList>[0];
function renderList(props: Omit<ListProps, "searchId" | "surface"> & Partial<ListProps>) {
  const Stub = createRemixStub([
    { path: "/", Component: () => <ResultList searchId={SEARCH_ID} surface="help" {...props} /> },
    { path: "/help/articles/:slug", Component: () => <h1>article page</h1> },
  ]);
  return render(<Stub initialEntries={["/"]} />);
}

describe("ResultList", () => {
  it("lists results in the order given, each title a link that logs the click on the way to its article", async () => {
    renderList({
      results: [
        hit(),
        hit({ slug: "refund-policy", title: "Refund policy", title_html: "Refund policy", url: "/help/articles/refund-policy", position: 1, click_href: `/click/${SEARCH_ID}/1?event=e2` }),
      ],
    });
    const items = await screen.findAllByRole("listitem");
    expect(items).toHaveLength(2);
    const [first, second] = items as [HTMLElement, HTMLElement];
    expect(within(first).getByRole("link").getAttribute("href")).toBe(`/click/${SEARCH_ID}/0?event=5b1f7c1e-2a43-4d7e-9a55-0b7e1c2d3e4f`);
    expect(within(first).getByRole("link").getAttribute("data-article-url")).toBe("/help/articles/track-your-order");
    expect(within(first).getByRole("link").textContent).toBe("Track your order");
    expect(within(second).getByRole("link").getAttribute("href")).toBe(`/click/${SEARCH_ID}/1?event=e2`);
    expect(items.map((li) => li.id)).toEqual(["result-0", "result-1"]);
  });

  it("a click sends a beacon under the link's event id and opens the article directly", async () => {
    const beacons: { url: string; body: string }[] = [];
    const original = navigator.sendBeacon;
    navigator.sendBeacon = ((url: string, data: Blob) => {
      void data.text().then((body) => beacons.push({ url, body }));
      return true;
    }) as typeof navigator.sendBeacon;
    try {
      renderList({ results: [hit({ position: 3 })] });
      await userEvent.click(await screen.findByRole("link", { name: "Track your order" }));
      expect(await screen.findByRole("heading", { name: "article page" })).toBeTruthy();
      await waitFor(() => expect(beacons).toHaveLength(1));
      expect(beacons[0]!.url).toBe("/api/events");
      expect(JSON.parse(beacons[0]!.body)).toEqual({
        events: [{ id: "5b1f7c1e-2a43-4d7e-9a55-0b7e1c2d3e4f", kind: "click", search_id: SEARCH_ID, surface: "help", slug: "track-your-order", position: 3 }],
      });
    } finally {
      navigator.sendBeacon = original;
    }
  });

  it("keeps the engine's highlights and shows escaped text as text, never as markup", async () => {
    renderList({ results: [hit()] });
    const item = await screen.findByRole("listitem");
    expect(item.querySelector("h3 mark")?.textContent).toBe("Track");
    expect(item.querySelector("p mark")?.textContent).toBe("tracking");
    expect(item.querySelector("b")).toBeNull();
    expect(item.textContent).toContain("<b>we sent</b>");
  });

  it("shows category display name, language and updated date", async () => {
    renderList({ results: [hit({ locale: "zh", title_html: "物流", title: "物流" })], updatedLabel: (d) => `更新于 ${d}` });
    const item = await screen.findByRole("listitem");
    expect(item.textContent).toContain("Shipping and delivery");
    expect(item.textContent).toContain("中文");
    expect(item.textContent).toContain("更新于 2026-03-01");
    expect(item.getAttribute("lang")).toBe("zh-CN");
  });

  it("marks internal articles clearly, and public ones only where both kinds are listed", async () => {
    renderList({ results: [hit({ slug: "escalation-matrix", audience: "internal" }), hit({ slug: "b" })] });
    const [internal, plain] = (await screen.findAllByRole("listitem")) as [HTMLElement, HTMLElement];
    expect(within(internal).getByTestId("internal-badge").textContent).toMatch(/Internal — agents only/);
    expect(within(plain).queryByTestId("internal-badge")).toBeNull();
    expect(plain.textContent).not.toContain("Public");
    cleanup();

    renderList({ results: [hit({ slug: "b" })], showAudience: true });
    expect((await screen.findByRole("listitem")).textContent).toContain("Public");
  });

  it("marks the keyboard's selection for assistive technology", async () => {
    renderList({ results: [hit({ slug: "a" }), hit({ slug: "b" })], selected: 1 });
    const items = await screen.findAllByRole("listitem");
    expect(items[0]!.getAttribute("aria-current")).toBeNull();
    expect(items[1]!.getAttribute("aria-current")).toBe("true");
  });

  it("adds each surface's own parts under a result", async () => {
    renderList({ results: [hit({ slug: "a" }), hit({ slug: "b" })], extra: (h, i) => <button type="button">Copy {h.slug} #{i}</button> });
    expect(await screen.findByRole("button", { name: "Copy a #0" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Copy b #1" })).toBeTruthy();
  });

  it("renders an empty list for no results", async () => {
    renderList({ results: [] });
    const list = await screen.findByTestId("result-list");
    expect(list.children).toHaveLength(0);
  });
});
