/**
 * What an instruction is about, without its ranking verbs: "Prefer articles about spreading the
 * cost" -> "spreading the cost". A sentence encoder reads "prefer articles about" as content and
 * finds every article equally "about articles"; only the topic says which ones to favour. The
 * words removed say how to rank, never what to rank (no topic or category is looked up here).
 */
export function instructionTopic(instruction: string): string {
  const topic = instruction
    .trim()
    .replace(/^(please\s+)?(prefer|favou?r|prioriti[sz]e|put|show|rank|boost)\s+(the\s+)?(articles?|pages?|results?|answers?|documents?|docs)\s+(that\s+are\s+|which\s+are\s+)?(about|on|for|that|which|with|covering|explaining|describing)\s+/i, "")
    .replace(/\s+(first|higher|on top|at the top)\s*[.!]?$/i, "")
    .trim();
  return topic || instruction.trim();
}
