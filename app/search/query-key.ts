import { maskPersonalData } from "./ticket-query";

/** Masked, then lowercased with punctuation and repeated blanks gone: "Where's my Parcel?!" -> "where s my parcel". */
export function queryKey(query: string): string {
  return maskPersonalData(query)
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\[(email|phone|order|number|url)\]/g, " $1 ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .slice(0, 200);
}
