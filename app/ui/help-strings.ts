/** The help center's words in each of its languages (articles carry their own). */
export const HELP_LANGS = ["en", "zh"] as const;
export type HelpLang = (typeof HELP_LANGS)[number];

export function helpLang(value: string | null | undefined): HelpLang {
  return value === "zh" ? "zh" : "en";
}

/** The html lang attribute for a help-center language. */
export const HTML_LANG: Record<HelpLang, string> = { en: "en", zh: "zh-CN" };

const en = {
  siteName: "Voltaro Help Center",
  heading: "How can we help?",
  searchLabel: "Search help articles",
  searchPlaceholder: "e.g. where is my package",
  searchButton: "Search",
  browseTopics: "Browse topics",
  articleCount: (n: number) => `${n} article${n === 1 ? "" : "s"}`,
  resultCount: (n: number, q: string) => `${n} article${n === 1 ? "" : "s"} for “${q}”`,
  noResultsTitle: (q: string) => `We couldn't find an article for “${q}”`,
  noResultsTips: ["Check the spelling, or use fewer or more general words.", "Describe the problem, e.g. “my package hasn't arrived”."],
  noResultsBrowse: "Or browse a topic:",
  contactPrompt: "Still stuck? Our team is happy to help.",
  contactLink: "Contact customer service",
  notFoundPrompt: "Didn't find what you need?",
  notFoundLink: "I didn't find what I need: contact us",
  correctionShowing: "Showing results for",
  correctionInstead: "Search instead for",
  rerankerFallback: "Smart ranking is unavailable right now, so these results are ranked by the words they share with your search.",
  previous: "← Previous",
  next: "Next →",
  pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
  updated: (date: string) => `Updated ${date}`,
  home: "Help Center",
  onThisPage: "On this page",
  related: "Related articles",
  helpfulQuestion: "Was this article helpful?",
  helpfulYes: "Yes",
  helpfulNo: "No",
  helpfulThanksYes: "Thanks for letting us know.",
  helpfulThanksNo: "Thanks. Sorry this didn't help: you can contact us and we'll sort it out.",
  languageLabel: "Language",
  readIn: "阅读中文版",
  switchTo: "中文",
  categoryEmpty: "There are no articles in this topic yet.",
  searchError: "That search could not be run:",
};

const zh: typeof en = {
  siteName: "Voltaro 帮助中心",
  heading: "需要什么帮助？",
  searchLabel: "搜索帮助文章",
  searchPlaceholder: "例如：快递到哪了",
  searchButton: "搜索",
  browseTopics: "按主题浏览",
  articleCount: (n) => `${n} 篇文章`,
  resultCount: (n, q) => `“${q}”共有 ${n} 篇相关文章`,
  noResultsTitle: (q) => `没有找到与“${q}”相关的文章`,
  noResultsTips: ["请检查拼写，或换用更少、更通用的词。", "描述一下遇到的问题，例如“包裹还没到”。"],
  noResultsBrowse: "也可以按主题浏览：",
  contactPrompt: "还是没有解决？我们的客服很乐意帮忙。",
  contactLink: "联系客服",
  notFoundPrompt: "没有找到需要的内容？",
  notFoundLink: "没有找到我需要的内容：联系客服",
  correctionShowing: "显示的是以下搜索的结果：",
  correctionInstead: "仍然搜索",
  rerankerFallback: "智能排序暂时不可用，以下结果按与搜索词相同的字词排序。",
  previous: "← 上一页",
  next: "下一页 →",
  pageOf: (page, pages) => `第 ${page} 页，共 ${pages} 页`,
  updated: (date) => `更新于 ${date}`,
  home: "帮助中心",
  onThisPage: "本页内容",
  related: "相关文章",
  helpfulQuestion: "这篇文章对您有帮助吗？",
  helpfulYes: "有帮助",
  helpfulNo: "没有帮助",
  helpfulThanksYes: "感谢您的反馈。",
  helpfulThanksNo: "感谢反馈。很抱歉没能帮到您，您可以联系客服，我们会为您处理。",
  languageLabel: "语言",
  readIn: "Read in English",
  switchTo: "English",
  categoryEmpty: "这个主题下还没有文章。",
  searchError: "无法进行这次搜索：",
};

export const HELP_STRINGS: Record<HelpLang, typeof en> = { en, zh };
