/** Optimal-string-alignment distance (a transposition is one edit); the package ships no types. */
declare module "damerau-levenshtein" {
  export default function damerauLevenshtein(a: string, b: string, limit?: number): { steps: number; relative: number; similarity: number };
}
