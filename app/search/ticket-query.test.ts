import { describe, expect, it } from "vitest";
import { MAX_QUERY_LENGTH } from "./search-request";
import { deriveTicketQuery, maskPersonalData, MAX_TICKET_LENGTH } from "./ticket-query";

const kinds = (ticket: string) => deriveTicketQuery(ticket).removed.map((r) => r.kind);

describe("deriveTicketQuery", () => {
  it("keeps the problem of a realistic ticket and lists every kind of text it removed", () => {
    const ticket = [
      "Hello team,",
      "",
      "I hope you are well. My order #VT-123456 arrived yesterday, the package says delivered but I never got it.",
      "Can you send a replacement? You can reach me at anna.schmidt@example.com or +1 (555) 123-4567.",
      "",
      "Thanks in advance!",
      "Kind regards,",
      "Anna Schmidt",
      "Sent from my iPhone",
    ].join("\n");
    const result = deriveTicketQuery(ticket);

    expect(result.query).toBe("My order arrived yesterday, the package says delivered but I never got it. Can you send a replacement?");
    expect(result.truncated).toBe(false);
    expect(result.removed).toEqual(
      expect.arrayContaining([
        { kind: "greeting", text: "Hello team," },
        { kind: "filler", text: "I hope you are well." },
        { kind: "order-number", text: "#VT-123456" },
        { kind: "email", text: "anna.schmidt@example.com" },
        { kind: "phone", text: "+1 (555) 123-4567" },
        { kind: "sign-off", text: "Thanks in advance!" },
        { kind: "sign-off", text: "Kind regards," },
        { kind: "name-line", text: "Anna Schmidt" },
        { kind: "sign-off", text: "Sent from my iPhone" },
      ]),
    );
    expect(result.removed).toHaveLength(10);
    expect(result.query).not.toMatch(/anna|555|123456|iPhone|Hello|Thanks/i);
  });

  it("keeps Chinese text and removes the Chinese greeting, order number, phone and thanks", () => {
    const result = deriveTicketQuery("您好，我的订单号是12345678，物流显示已签收，但是我没有收到包裹。我的电话13800138000。谢谢！");

    expect(result.query).toBe("我的订单,物流显示已签收,但是我没有收到包裹。");
    expect(result.removed).toEqual([
      { kind: "order-number", text: "12345678" },
      { kind: "phone", text: "13800138000" },
      { kind: "greeting", text: "您好," },
      { kind: "sign-off", text: "谢谢!" },
      { kind: "filler", text: "我的电话。" },
    ]);
  });

  it("returns an empty query for a ticket that is only pleasantries", () => {
    const result = deriveTicketQuery("Hi there,\nI hope you are well.\nThanks for your help.\nBest,\nTom");
    expect(result.query).toBe("");
    expect(result.truncated).toBe(false);
    expect(kinds("Hi there,\nI hope you are well.\nThanks for your help.\nBest,\nTom").sort()).toEqual(
      ["filler", "greeting", "name-line", "sign-off", "sign-off"],
    );
    expect(deriveTicketQuery("你好！谢谢").query).toBe("");
    expect(deriveTicketQuery("").query).toBe("");
  });

  it("drops greetings written as a phrase before the question, and keeps the question", () => {
    expect(deriveTicketQuery("Hi, my refund has not arrived").query).toBe("my refund has not arrived");
    expect(deriveTicketQuery("Dear Voltaro support, my laptop will not charge.").query).toBe("my laptop will not charge.");
    expect(deriveTicketQuery("Good morning! The TV remote stopped working.").query).toBe("The TV remote stopped working.");
    expect(deriveTicketQuery("Hey there I can't log in to my account").query).toBe("I can't log in to my account");
    expect(deriveTicketQuery("Hi I was charged twice").query).toBe("I was charged twice");
  });

  it("drops one-line sign-offs with a name, and trailing thanks", () => {
    expect(deriveTicketQuery("The charger is missing from the box. Best, Tom").query).toBe("The charger is missing from the box.");
    expect(deriveTicketQuery("Where is my refund, thanks!").query).toBe("Where is my refund");
    expect(deriveTicketQuery("Cheers").query).toBe("");
  });

  it("drops filler sentences anywhere but keeps sentences that merely start like them", () => {
    const result = deriveTicketQuery("Please help. My phone screen cracked. I hope you can help. Thanks for the quick delivery, but the case is the wrong colour.");
    expect(result.query).toBe("My phone screen cracked. Thanks for the quick delivery, but the case is the wrong colour.");
    expect(result.removed).toEqual([
      { kind: "filler", text: "Please help." },
      { kind: "filler", text: "I hope you can help." },
    ]);
  });

  it("keeps ordinary small numbers, dates, model names and error codes", () => {
    const result = deriveTicketQuery("I ordered 2 items 3 days ago on 2024-05-12 for my iPhone 15, the WH-1000XM5 shows error 50013.");
    expect(result.query).toBe("I ordered 2 items 3 days ago on 2024-05-12 for my iPhone 15, the WH-1000XM5 shows error 50013.");
    expect(result.removed).toEqual([]);
  });

  it("recognises order numbers in their usual forms and leaves the word 'order'", () => {
    const result = deriveTicketQuery("My order 12345678 and order no. A1B2C3D4 and #VT-654321 never shipped.");
    expect(result.query).toBe("My order and order never shipped.");
    expect(result.removed).toEqual([
      { kind: "order-number", text: "12345678" },
      { kind: "order-number", text: "A1B2C3D4" },
      { kind: "order-number", text: "#VT-654321" },
    ]);
    expect(deriveTicketQuery("my order 3 days ago").removed).toEqual([]);
  });

  it("recognises local and international phone formats", () => {
    for (const phone of ["+1 (555) 123-4567", "020 7946 0958", "+44 20 7946 0958", "555-123-4567", "+86 138 0013 8000"]) {
      const result = deriveTicketQuery(`Please call me back on ${phone} about the broken kettle.`);
      expect(result.removed).toEqual([{ kind: "phone", text: phone }]);
      expect(result.query).toBe("Please call me back on about the broken kettle.");
    }
  });

  it("removes URLs and card numbers but not the sentence around them", () => {
    const result = deriveTicketQuery("I paid with 4111 1111 1111 1111 (see https://voltaro.com/orders/view?id=9) and was charged twice.");
    expect(result.query).toBe("I paid with and was charged twice.");
    expect(result.removed).toEqual([
      { kind: "url", text: "https://voltaro.com/orders/view?id=9" },
      { kind: "number", text: "4111 1111 1111 1111" },
    ]);
  });

  it("normalises NFKC, invisible characters and whitespace", () => {
    const result = deriveTicketQuery("Ｍｙ\u200b  ｌａｐｔｏｐ\u00ad\n\n\t won't\u2060 turn on\uFEFF");
    expect(result.query).toBe("My laptop won't turn on");
    const hidden = deriveTicketQuery("Email: anna\u200b@example.com, the app crashes");
    expect(hidden.removed).toContainEqual({ kind: "email", text: "anna@example.com" });
  });

  it("cuts a 2,000-character ticket to the query limit at a word boundary, keeping the first sentences", () => {
    const sentence = "My laptop screen flickers when I open the lid and the battery drains overnight. ";
    const ticket = `Hi,\n${"First the problem: the keyboard backlight is stuck on. "}${sentence.repeat(40)}`.slice(0, MAX_TICKET_LENGTH);
    expect(ticket).toHaveLength(MAX_TICKET_LENGTH);
    const result = deriveTicketQuery(ticket);

    expect(result.truncated).toBe(true);
    expect(result.query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    expect(result.query.startsWith("First the problem: the keyboard backlight is stuck on.")).toBe(true);
    expect(ticket.replace("Hi,\n", "").startsWith(result.query)).toBe(true);
    expect(ticket.charAt(ticket.indexOf(result.query) + result.query.length)).toMatch(/\s/);
  });

  it("cuts one over-long sentence at a word boundary, Chinese included", () => {
    const english = deriveTicketQuery(`${"the speaker crackles ".repeat(40)}`);
    expect(english.truncated).toBe(true);
    expect(english.query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    expect(english.query).toMatch(/crackles$|speaker$|the$/);

    const chinese = deriveTicketQuery("我的笔记本电脑屏幕一直闪烁而且电池很快就没电了".repeat(60));
    expect(chinese.truncated).toBe(true);
    expect(chinese.query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    expect(chinese.query.length).toBeGreaterThan(MAX_QUERY_LENGTH - 10);
    expect(chinese.query).toMatch(/^我的笔记本电脑/);
  });

  it("does not crash or stall on input far over MAX_TICKET_LENGTH", () => {
    const started = Date.now();
    for (const huge of ["a".repeat(100_000), "1 ".repeat(50_000), "x@".repeat(50_000), `Hi ${"order ".repeat(20_000)}`]) {
      expect(deriveTicketQuery(huge).query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    }
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("maskPersonalData", () => {
  it("masks e-mail addresses, phone numbers, order numbers and card-like numbers", () => {
    expect(maskPersonalData("write to anna.schmidt@example.com")).toBe("write to [email]");
    expect(maskPersonalData("call +44 20 7946 0958 or 020 7946 0958")).toBe("call [phone] or [phone]");
    expect(maskPersonalData("order #VT-123456 and order 12345678")).toBe("order [order] and order [order]");
    expect(maskPersonalData("card 4111-1111-1111-1111, account 12345678901234")).toBe("card [number], account [number]");
    expect(maskPersonalData("订单号12345678 电话13800138000")).toBe("订单[order] 电话[phone]");
  });

  it("leaves ordinary text unchanged", () => {
    for (const text of [
      "package says delivered but I never got it",
      "2 items, 3 days, iPhone 15, error 50013, 2024-05-12, £1,299.99",
      "我的包裹显示已签收，但是我没有收到。",
      "https://voltaro.com/help/returns",
    ]) {
      expect(maskPersonalData(text)).toBe(text);
    }
  });
});
