import { createSession, ort } from "./ort";

/**
 * Dot products of `vector` with every row of `matrix` (rows of `vector.length` numbers, one after
 * another), in row order, run by onnxruntime's Gemm (MLAS: vectorised and cache-blocked). A search
 * scores its query, and the instructions it carries, against every stored unit vector: 4,741 × 384
 * took 2.9 ms as a JavaScript loop and takes 0.18 ms here (docs/decisions/010). The matrix is an
 * input, not part of the model, so one tiny graph serves every matrix; onnxruntime reads the
 * Float32Arrays where they lie.
 */
export async function rowProducts(vector: Float32Array, matrix: Float32Array): Promise<Float32Array> {
  const dims = vector.length;
  if (!dims || matrix.length % dims !== 0) {
    throw new Error(`rowProducts: a matrix of ${matrix.length} numbers is not made of rows of ${dims}`);
  }
  const rows = matrix.length / dims;
  if (!rows) return new Float32Array(0);
  const out = await (await gemmSession()).run({
    vector: new ort.Tensor("float32", vector, [1, dims]),
    matrix: new ort.Tensor("float32", matrix, [rows, dims]),
  });
  return out.products!.data as Float32Array;
}

let session: Promise<ort.InferenceSession> | undefined;

/** One session per process: the graph is the same for every matrix. */
function gemmSession(): Promise<ort.InferenceSession> {
  // One thread: the products of one query take a fraction of a millisecond, and the server's
  // processes already use every core. CPU even on a GPU host: the matrix lives in this process.
  session ??= createSession(gemmModel(), { threads: 1, providers: ["cpu"] });
  return session;
}

/**
 * The ONNX model `products = vector × matrixᵀ` (Gemm, transB = 1) with symbolic sizes, written as
 * protobuf by hand: eleven fields of onnx.proto are all it takes, and no ONNX package is needed
 * at run time. Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, …).
 */
function gemmModel(): Uint8Array {
  const FLOAT = 1;
  const ATTRIBUTE_INT = 2;
  // ValueInfoProto { name = 1; type = 2 { tensor_type = 1 { elem_type = 1; shape = 2 { dim = 1 { dim_value = 1 | dim_param = 2 } } } } }
  const valueInfo = (name: string, dims: (number | string)[]) =>
    [...text(1, name), ...bytes(2, bytes(1, varint(1, FLOAT), bytes(2, ...dims.map((d) => bytes(1, typeof d === "number" ? varint(1, d) : text(2, d))))))];
  // NodeProto { input = 1; output = 2; op_type = 4; attribute = 5 { name = 1; i = 3; type = 20 } }
  const node = [...text(1, "vector"), ...text(1, "matrix"), ...text(2, "products"), ...text(4, "Gemm"), ...bytes(5, text(1, "transB"), varint(3, 1), varint(20, ATTRIBUTE_INT))];
  // GraphProto { node = 1; name = 2; input = 11; output = 12 }
  const graph = [
    ...bytes(1, node),
    ...text(2, "row_products"),
    ...bytes(11, valueInfo("vector", [1, "dims"])),
    ...bytes(11, valueInfo("matrix", ["rows", "dims"])),
    ...bytes(12, valueInfo("products", [1, "rows"])),
  ];
  // ModelProto { ir_version = 1; graph = 7; opset_import = 8 { domain = 1; version = 2 } }
  const IR_VERSION = 8;
  const OPSET = 13;
  return Uint8Array.from([...varint(1, IR_VERSION), ...bytes(7, graph), ...bytes(8, text(1, ""), varint(2, OPSET))]);
}

function encodeVarint(value: number): number[] {
  const out: number[] = [];
  while (value > 127) {
    out.push((value & 127) | 128);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
}

/** A varint field. */
function varint(field: number, value: number): number[] {
  return [...encodeVarint(field << 3), ...encodeVarint(value)];
}

/** A length-delimited field holding the concatenation of `parts`. */
function bytes(field: number, ...parts: number[][]): number[] {
  const body = parts.flat();
  return [...encodeVarint((field << 3) | 2), ...encodeVarint(body.length), ...body];
}

function text(field: number, value: string): number[] {
  return bytes(field, [...Buffer.from(value, "utf8")]);
}
