import { MAX_QUERY_LENGTH } from "./search-request";
import { INVISIBLE } from "./text";

/** Longest ticket the agent route accepts (it answers 400 above this). */
export const MAX_TICKET_LENGTH = 2000;

export type RemovedKind =
  | "greeting"
  | "sign-off"
  | "order-number"
  | "email"
  | "phone"
  | "url"
  | "name-line"
  | "filler"
  /** Long digit runs and card-like numbers: personal data that is neither a phone nor an order. */
  | "number";

export interface RemovedText {
  kind: RemovedKind;
  text: string;
}

export interface TicketQuery {
  /** What to search for; "" when nothing searchable remains. */
  query: string;
  /** What was taken out of the ticket, for the agent UI. */
  removed: RemovedText[];
  /** True when the derived query had to be cut to MAX_QUERY_LENGTH (cut at a word boundary). */
  truncated: boolean;
}

/** Derives a keyword search query from a pasted customer message. */
export function deriveTicketQuery(ticket: string): TicketQuery {
  const removed: RemovedText[] = [];
  const text = removePersonalData(normalise(ticket), removed);
  let segments = splitSegments(text);
  segments = dropGreeting(segments, removed);
  segments = dropSignOff(segments, removed);
  segments = dropFiller(segments, removed);
  return { ...fitToLimit(segments, MAX_QUERY_LENGTH), removed };
}

/**
 * Masks personal data in any text (used when logging queries): e-mail -> "[email]",
 * phone -> "[phone]", order numbers -> "[order]", long digit runs/card-like numbers -> "[number]".
 */
export function maskPersonalData(text: string): string {
  return replacePersonalData(text, (kind, match, span = match) => (kind === "url" ? span : MASKS[kind]));
}

const MASKS: Record<PersonalKind, string> = {
  url: "[url]",
  email: "[email]",
  phone: "[phone]",
  "order-number": "[order]",
  number: "[number]",
};

// ---------------------------------------------------------------------------------------------
// Normalising

/** Stands in for removed text until the query is assembled, so removals cannot glue numbers together. */
const GAP = "\ue000";

/** NFKC, invisible characters removed, blanks collapsed within lines, blank lines dropped. */
function normalise(text: string): string {
  return text
    .normalize("NFKC")
    .replace(INVISIBLE, "")
    .replaceAll(GAP, " ")
    .split(/\r\n|[\n\r\v\f\u2028\u2029\u0085]/)
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// Personal data

type PersonalKind = "url" | "email" | "phone" | "order-number" | "number";
/** `match` is what to report ("#VT-123456"); `span` is all that is replaced ("number is #VT-123456"). */
type Replacer = (kind: PersonalKind, match: string, span?: string) => string;

/*
 * Patterns match ASCII only and use ASCII boundaries, so Chinese next to an address or a number
 * ("电话13800138000") neither blocks the match nor gets swallowed by it. Each pattern starts
 * with a negative lookbehind for its own characters, so it only starts at the beginning of a run:
 * that keeps matching linear on long inputs.
 */
const WEB_ADDRESS = /(?<![\w./-])(?:https?:\/\/|www\.)[\w\-.~:/?#[\]@!$&'()*+,;=%]+/gi;
const EMAIL = /(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])/g;
const ORDER_CODE = String.raw`([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?![\w-])`;
/** "order 12345678", "order no. A1B2C3D4", "order number is #VT-123456": the word "order" stays. */
const ORDER_IN_CONTEXT = new RegExp(
  String.raw`\b(orders?|purchase)((?:\s*(?:(?:number|num|no|nr|id|code|ref(?:erence)?)\b|no\.|nr\.))*\s*(?:is|was|=)?\s*[:#]?\s*#?\s*)` + ORDER_CODE,
  "gi",
);
/** "订单号12345678", "订单号是: VT-123456": "订单" stays. */
const ORDER_IN_CONTEXT_ZH = new RegExp(String.raw`(订单|单号)((?:号码|编号|号)?\s*(?:是|为)?\s*[:#]?\s*#?\s*)` + ORDER_CODE, "gi");
/** "#VT-123456", "No. A1B2C3D4". */
const PREFIXED_CODE = new RegExp(String.raw`(?<![\w&#])(?:#|\b(?:no|nr)\.)\s?#?` + ORDER_CODE, "gi");
/** A token of letters and a run of 5+ digits: "VT-123456", "ORD123456". Hex error codes are kept. */
const ORDERISH_TOKEN = /(?<![\w-])(?!0x)(?=[\w-]*[A-Za-z])(?=[\w-]*\d{5})[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![\w-])/gi;
/** Digits, maybe grouped by single spaces, dots or dashes, maybe with "+country" and "(area)". */
const DIGIT_CLUSTER = /(?<![\w+.-])(?:\+ ?\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d+(?:[ .-]\d+)*(?![\w-])/g;
const DATE = /^(?:\d{4}[.-]\d{1,2}[.-]\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{2,4})$/;

/** Runs every personal-data pattern over the text, replacing each match with what `replace` returns. */
function replacePersonalData(text: string, replace: Replacer): string {
  return [replaceUrls, replaceEmails, replaceOrderNumbers, replaceDigitClusters].reduce((acc, step) => step(acc, replace), text);
}

function replaceUrls(text: string, replace: Replacer): string {
  return text.replace(WEB_ADDRESS, (match) => {
    const url = trimUrlEnd(match);
    return replace("url", url) + match.slice(url.length);
  });
}

/** Sentence punctuation after a URL, and a closing bracket that was opened before it, are not part of it. */
function trimUrlEnd(url: string): string {
  const trailing = ".,;:!?'" + (url.includes("(") ? "" : ")") + (url.includes("[") ? "" : "]");
  let end = url.length;
  while (end > 0 && trailing.includes(url[end - 1]!)) end--;
  return url.slice(0, end);
}

function replaceEmails(text: string, replace: Replacer): string {
  return text.replace(EMAIL, (match) => replace("email", match));
}

function replaceOrderNumbers(text: string, replace: Replacer): string {
  const inContext = (match: string, word: string, label: string, code: string) =>
    isOrderCode(code, /[#]|\b(?:no|nr|number|num|id|code|ref|reference)\b|号|编号/i.test(label))
      ? word + (/^\s/.test(label) ? " " : "") + replace("order-number", (label.includes("#") ? "#" : "") + code, label + code)
      : match;
  return text
    .replace(ORDER_IN_CONTEXT, inContext)
    .replace(ORDER_IN_CONTEXT_ZH, inContext)
    .replace(PREFIXED_CODE, (match, code: string) => (isOrderCode(code, true) ? replace("order-number", match) : match))
    .replace(ORDERISH_TOKEN, (match) => replace("order-number", match));
}

/** An order code has 5+ digits, or, when labelled ("#", "no.", "number"), 4+ characters with a digit. */
function isOrderCode(code: string, labelled: boolean): boolean {
  const digits = code.replace(/\D/g, "").length;
  return digits >= 5 || (labelled && digits > 0 && code.length >= 4);
}

function replaceDigitClusters(text: string, replace: Replacer): string {
  return text.replace(DIGIT_CLUSTER, (match) => {
    const kind = classifyDigits(match);
    return kind ? replace(kind, match) : match;
  });
}

/** Phone, long number, or an ordinary number to keep ("2 items", "iPhone 15", a date, a 5-digit error code). */
function classifyDigits(cluster: string): "phone" | "number" | undefined {
  const digits = cluster.replace(/\D/g, "").length;
  if (DATE.test(cluster)) return undefined;
  if (/[+(]/.test(cluster)) return digits >= 7 && digits <= 15 ? "phone" : digits > 15 ? "number" : undefined;
  if (/[ .-]/.test(cluster)) {
    if (digits >= 7 && digits <= 12) return "phone";
    return digits >= 13 ? "number" : undefined;
  }
  if (digits === 10 || digits === 11) return "phone"; // national numbers written without spaces
  return digits >= 8 ? "number" : undefined;
}

function removePersonalData(text: string, removed: RemovedText[]): string {
  const withGaps = replacePersonalData(text, (kind, match) => {
    removed.push({ kind, text: match });
    return GAP;
  });
  return withGaps
    .split("\n")
    .map(tidyAfterRemoval)
    .filter(Boolean)
    .join("\n");
}

/**
 * Closes the holes removals leave: "(see https://…)" -> "", "at anna@x.com or +1 555…" -> "at",
 * "is , and" -> "is, and", and a ")" that closed a URL's surrounding bracket.
 */
function tidyAfterRemoval(line: string): string {
  if (!line.includes(GAP)) return line;
  return line
    .replace(/\ue000\s*(?:or|and|\/|,|或|和)\s*(?=\ue000)/giu, "")
    .replace(/[([]\s*(?:(?:see|at|via|link|here|from|on)\s*:?\s*)?\ue000[\s,;:/\ue000]*[)\]]/giu, GAP)
    .replace(/\ue000\s*([)\]])/g, (match, bracket: string, offset: number, whole: string) =>
      whole.slice(0, offset).includes(bracket === ")" ? "(" : "[") ? match : GAP,
    )
    .replaceAll(GAP, " ")
    .replace(/[([{]\s*[)\]}]/g, " ")
    .replace(/\s+([,.;:!?。、])/g, "$1")
    .replace(/([,;:])(?:\s*[,;:])+/g, "$1")
    .replace(/[,;:]+([.!?。])/g, "$1")
    .replace(/\s+/g, " ")
    .replace(/^[\s,;:.]+/, "")
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Segments: lines, split into sentences

/** After ".", "!", "?" and a space, or a Chinese full stop; not after "Mr." or "e.g.". */
const SENTENCE_END = /(?<=[.!?。])(?<!\b(?:mr|mrs|ms|dr|st|vs|approx|e\.g|i\.e)\.)\s+|(?<=。)(?=\S)|(?<=[!?])(?=\p{Script=Han})/iu;

function splitSegments(text: string): string[] {
  return text
    .split("\n")
    .flatMap((line) => line.split(SENTENCE_END))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Lower case, curly apostrophes straightened, surrounding punctuation removed: for matching phrases. */
function phraseKey(segment: string): string {
  return segment
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/^[\s,.!?;:…~。、()-]+|[\s,.!?;:…~。、()-]+$/g, "")
    .replace(/\s+/g, " ");
}

// ---------------------------------------------------------------------------------------------
// Greetings

const GREETING_WORD = /^(?:hi|hello|hey|hiya|howdy|hallo|greetings|dear|good (?:morning|afternoon|evening|day)|to whom it may concern)(?![\p{L}\p{N}'’-])/iu;
const GREETING_ZH = /^(?:客服)?(?:你好|您好|嗨|哈喽|哈啰)(?:客服)?[\s,!.。~、]*/u;
const ADDRESSEE_WORDS = new Set(["there", "team", "all", "everyone", "folks", "guys", "support", "sir", "madam", "sir/madam", "or", "customer", "service", "services", "care", "help", "desk"]);
const NOT_A_NAME = new Set(["i", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d", "my", "we", "our", "can", "could", "please", "is", "just", "so", "the", "it"]);
const COMMON_ADDRESSEES = new RegExp(String.raw`^(?:\s+(?:${[...ADDRESSEE_WORDS].map(escapeRegExp).join("|")})(?![\p{L}\p{N}]))*`, "iu");
const ADDRESSEE_WORD = /\s+((?:Mr|Mrs|Ms|Dr)\.|[\p{L}][\p{L}'’/-]*)/uy;

/** Drops greetings at the start, whole segments ("Dear Voltaro support,") or a leading phrase ("Hi, my…"). */
function dropGreeting(segments: string[], removed: RemovedText[]): string[] {
  const rest = [...segments];
  for (let i = 0; i < 3 && rest.length; i++) {
    const split = splitGreeting(rest[0]!);
    if (!split) break;
    removed.push({ kind: "greeting", text: split.greeting });
    if (split.rest) rest[0] = split.rest;
    else rest.shift();
  }
  return rest;
}

function splitGreeting(segment: string): { greeting: string; rest: string } | undefined {
  const zh = GREETING_ZH.exec(segment);
  if (zh) return { greeting: zh[0].trim(), rest: segment.slice(zh[0].length).trim() };
  const word = GREETING_WORD.exec(segment);
  if (!word) return undefined;
  const end = endOfAddressee(segment, word[0].length);
  const punctuation = /^\s*[,!?.:;—–-]+/.exec(segment.slice(end));
  if (punctuation || !segment.slice(end).trim()) {
    const cut = end + (punctuation?.[0].length ?? 0);
    return { greeting: segment.slice(0, cut).trim(), rest: segment.slice(cut).trim() };
  }
  // "Hi I ordered…": without punctuation a name cannot be told from the question, so only
  // "there", "team" and the like go with the greeting word.
  const bare = word[0] + COMMON_ADDRESSEES.exec(segment.slice(word[0].length))![0];
  return { greeting: bare, rest: segment.slice(bare.length).trim() };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Skips who the greeting addresses: "there", "team", "Voltaro support", "Anna" (up to four words). */
function endOfAddressee(segment: string, start: number): number {
  let end = start;
  for (let words = 0; words < 4; words++) {
    ADDRESSEE_WORD.lastIndex = end;
    const match = ADDRESSEE_WORD.exec(segment);
    if (!match) break;
    const word = match[1]!;
    const lower = word.toLowerCase();
    const isAddressee = ADDRESSEE_WORDS.has(lower) || (/^\p{Lu}/u.test(word) && !NOT_A_NAME.has(lower));
    if (!isAddressee) break;
    end = ADDRESSEE_WORD.lastIndex;
  }
  return end;
}

// ---------------------------------------------------------------------------------------------
// Sign-offs

const SIGN_OFF_PHRASE = String.raw`(?:(?:many |big )?thanks(?: (?:a lot|a bunch|so much|very much|again|in advance|for (?:your|the|any) (?:help|time|support|assistance|patience)))*|thank you(?: (?:so much|very much|again|in advance|for (?:your|the|any) (?:help|time|support|assistance|patience)))*|thx|ty|tia|cheers|(?:kind|best|warm|warmest|many|with kind|with best) regards|regards|best(?: wishes)?|all the best|sincerely|yours(?: sincerely| truly| faithfully)?|respectfully|take care|have a (?:good|great|nice) (?:day|one|weekend)|谢谢(?:你|您)?(?:了|啦)?|多谢|非常感谢|感谢(?:你|您)?|此致敬礼|祝好)`;
const SIGN_OFF = new RegExp(`^${SIGN_OFF_PHRASE}$`, "u");
const SIGN_OFF_START = new RegExp(`^${SIGN_OFF_PHRASE}(?=[\\s,!.–—-])`, "iu");
const NAME = String.raw`(?:\p{Lu}[\p{L}'’.-]*(?: \p{Lu}[\p{L}'’.-]*){0,2}|\p{Script=Han}{2,4})`;
const DEVICE_SIGNATURE = /^(?:sent from my [\p{L}\p{N} -]+|get outlook for [\p{L}\p{N} ]+|sent from (?:yahoo )?mail for [\p{L}\p{N} ]+|发自我的\s*[\p{L}\p{N} ]+)$/iu;
const NAME_LINE = new RegExp(`^(?:[-–—]\\s*)?${NAME}[.,]?$`, "u");
/** ", thanks!" / "，谢谢" ending the last sentence. */
const TRAILING_THANKS = /(?:[,;–—-]\s*(?:many thanks|thanks|thank you|thx|cheers)(?: (?:so much|a lot|very much|in advance|again))?|[,、\s]*(?:谢谢|多谢)(?:你|您)?(?:了|啦)?)[\s!.。~]*$/iu;

function isSignOff(segment: string): boolean {
  const key = phraseKey(segment);
  return SIGN_OFF.test(key) || DEVICE_SIGNATURE.test(key) || isSignOffWithName(segment);
}

/** "Kind regards, Anna", "Best, Tom", "Thanks Anna Smith": the phrase in any case, the name capitalised. */
function isSignOffWithName(segment: string): boolean {
  const phrase = SIGN_OFF_START.exec(segment);
  if (!phrase) return false;
  const name = segment.slice(phrase[0].length).replace(/^[\s,!.]+/u, "").trim();
  return NAME_LINE.test(name);
}

/** Drops sign-offs, device signatures and a name line after a sign-off, from the end backwards. */
function dropSignOff(segments: string[], removed: RemovedText[]): string[] {
  const rest = [...segments];
  const tail: RemovedText[] = [];
  while (rest.length) {
    const last = rest[rest.length - 1]!;
    const previous = rest[rest.length - 2];
    if (isSignOff(last)) tail.push({ kind: "sign-off", text: last });
    else if (NAME_LINE.test(last) && previous !== undefined && isSignOff(previous)) tail.push({ kind: "name-line", text: last });
    else break;
    rest.pop();
  }
  const last = rest[rest.length - 1];
  const thanks = last === undefined ? null : TRAILING_THANKS.exec(last);
  if (last !== undefined && thanks && thanks.index > 0) {
    rest[rest.length - 1] = last.slice(0, thanks.index).trim();
    tail.push({ kind: "sign-off", text: thanks[0].replace(/^[,;–—\-、\s]+/u, "").trim() });
  }
  removed.push(...tail.reverse());
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Filler

const FILLER: RegExp[] = [
  /^(?:i )?hope (?:you(?:'re| are)(?: all)?(?: doing)? (?:well|good|great|fine|ok|okay)|(?:this|my) (?:e-?mail |message )?finds you(?: all)? well|all is well|you(?:'re| are) having a (?:good|great|nice|lovely) (?:day|week))(?: today)?$/,
  /^(?:i )?hope (?:you|someone|somebody) can help(?: me)?(?: with this| out| here)?$/,
  /^(?:can|could|would) (?:you|someone|somebody|anyone)(?: please)? help(?: me)?(?: with this| out| here)?$/,
  /^(?:please|pls|plz) (?:help|advise|assist)(?: me)?(?: with this| asap| urgently| as soon as possible)?$/,
  /^help(?: me)?(?: please)?$/,
  /^(?:is )?(?:any ?one|anybody|someone|somebody) (?:there|here|around)$/,
  /^(?:thanks|thank you)(?: (?:so|very) much)? (?:for|in advance for) (?:your|the|any) (?:help|time|support|assistance|patience)(?: (?:in advance|with this))?$/,
  /^(?:any|your) (?:help|assistance|advice)(?: (?:with this|here))? (?:would be|is|will be) (?:much |greatly |really |very )?appreciated$/,
  /^(?:i )?(?:look|am looking|looking) forward to (?:hearing from you|your (?:reply|response|answer))(?: soon)?$/,
  /^(?:i )?(?:would )?appreciate (?:your|any) help$/,
  // What is left of "My e-mail is anna@…" or "Call me on +44…" once the address is gone.
  /^(?:you can |please )?(?:reach|contact|call|text|e-?mail) me (?:at|on|via)$/,
  /^(?:you can |please )?(?:call|text|e-?mail|contact|reach)(?: me)?$/,
  /^my (?:e-?mail(?: address)?|phone(?: number)?|mobile(?: number)?|number|contact details?) (?:is|are)$/,
  /^(?:我的)?(?:电话|手机|手机号|手机号码|邮箱|联系方式)(?:是|为|:)?$/,
  /^(?:请|麻烦)?(?:帮帮我|帮个忙|帮忙(?:看看|处理一下)?|尽快处理)(?:一下)?(?:吧)?$/,
  /^(?:麻烦|辛苦)(?:你|您)?了$/,
  /^(?:谢谢|感谢)(?:你|您)的帮助$/,
];

/** Drops sentences that say nothing about the problem ("I hope you are well.", "Please help."). */
function dropFiller(segments: string[], removed: RemovedText[]): string[] {
  return segments.filter((segment) => {
    const key = phraseKey(segment);
    const filler = FILLER.some((pattern) => pattern.test(key)) || SIGN_OFF.test(key);
    if (filler) removed.push({ kind: "filler", text: segment });
    return !filler;
  });
}

// ---------------------------------------------------------------------------------------------
// Assembling the query

const HAN_END = /[\p{Script=Han}。!?,、]$/u;
const HAN_START = /^\p{Script=Han}/u;

/** Chinese sentences were written without a space between them; everything else gets one. */
function joinSegments(segments: string[]): string {
  return segments.reduce((acc, s) => (!acc ? s : acc + (HAN_END.test(acc) && HAN_START.test(s) ? "" : " ") + s), "");
}

/**
 * Keeps the first sentences that fit (the problem is usually stated first). If whole sentences
 * would leave less than half the limit, the text is cut at the last word boundary instead.
 */
function fitToLimit(segments: string[], limit: number): { query: string; truncated: boolean } {
  const all = joinSegments(segments).trim();
  if (all.length <= limit) return { query: all, truncated: false };
  let whole = "";
  for (const segment of segments) {
    const next = joinSegments([whole, segment].filter(Boolean));
    if (next.length > limit) break;
    whole = next;
  }
  if (whole.length >= limit / 2) return { query: whole, truncated: true };
  return { query: cutAtWordBoundary(all, limit), truncated: true };
}

const words = new Intl.Segmenter("zh", { granularity: "word" });

/** The longest prefix of at most `limit` characters that ends between words (Chinese included). */
function cutAtWordBoundary(text: string, limit: number): string {
  let cut = 0;
  // The extra characters let the segmenter see the whole word that straddles the limit.
  for (const { index } of words.segment(text.slice(0, limit + 40))) {
    if (index > limit) break;
    cut = index;
  }
  // One "word" longer than the limit (a pasted hash, say): cut it, but not inside a surrogate pair.
  if (cut === 0) cut = /[\ud800-\udbff]/.test(text[limit - 1] ?? "") ? limit - 1 : limit;
  return text.slice(0, cut).replace(/[\s,;:–—-]+$/u, "");
}
