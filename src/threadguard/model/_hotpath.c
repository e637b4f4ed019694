/* The fast tier's hot path in C: normalised texts -> logits, the same numbers as the Python path.
 *
 * It does what features.py and linear.py do for scoring, text by text, with the same floating-point
 * operations in the same order (so its logits are bit-identical to the pure-Python path): tokens
 * ([a-z0-9]+('[a-z]+)?), each token's hashed word and char n-gram columns (asked of Python once per
 * new token and cached here), word bigrams, lexicon hits and the dense lexicon / pattern / style
 * features, counts, TF-IDF with per-block L2 norms, and the sparse-dense product with the weights.
 * Python keeps everything else: normalisation, explanation spans, probabilities.
 *
 * Build with -ffp-contract=off: a fused multiply-add would round differently from numpy and scipy.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Lexicon categories, in threadguard.model.lexicon.CATEGORIES order (checked by the Python side). */
enum { CAT_SLUR, CAT_IDENTITY, CAT_PROFANITY, CAT_SEXUAL, CAT_INSULT, CAT_DEHUMANISING, CAT_VIOLENCE,
       CAT_REPORTING, N_CATEGORIES };
#define N_GROUPS 7
#define N_OUT 14  /* the model's outputs: 7 attributes, 7 target groups */
#define ROW 16    /* floats per column in `rows`: N_OUT weights, the idf, padding */
#define IDF N_OUT
/* Per-token word classes (features.py's sets), computed by Python for each new token. */
enum { SECOND_PERSON = 1, MODAL = 2, PEOPLE = 4, PAST_MARKER = 8, YEAR = 16 };
/* Dense feature slots, in the order of the `dense_index` array given at construction. */
enum { D_LEX = 0, D_SLUR = D_LEX + N_CATEGORIES, D_IDENTITY = D_SLUR + N_GROUPS,
       D_SECOND_PERSON_INSULT = D_IDENTITY + N_GROUPS, D_VIOLENCE_CALL, D_VIOLENCE_GROUP,
       D_DEHUMANISE_GROUP, D_COUNTER_SPEECH, D_CAPS, D_EXCLAIM, D_LENGTH, N_DENSE_SLOTS };

typedef struct { int32_t start, length, lex, flags; } TokenInfo; /* columns in `columns` */

typedef struct { int32_t first, last, cat, group; } Hit;

typedef struct { int32_t key; float value; double raw; int32_t first, last; } DenseEntry; /* anchors: tokens; -1: none */

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define GROW(ptr, cap, need, type)                                                   \
    do {                                                                             \
        if ((need) > (cap)) {                                                        \
            Py_ssize_t c_ = (cap) ? (cap) : 64;                                      \
            while (c_ < (need)) c_ *= 2;                                             \
            type *p_ = PyMem_Realloc((ptr), (size_t)c_ * sizeof(type));              \
            if (!p_) { PyErr_NoMemory(); goto fail; }                                \
            (ptr) = p_; (cap) = c_;                                                  \
        }                                                                            \
    } while (0)

typedef struct {
    PyObject_HEAD
    PyObject *new_tokens;  /* callable(list[str]) -> (columns, lengths, lex ids, flags) int32 buffers */
    /* per column: its N_OUT weights, then its idf, in one aligned 64-byte line (a column costs one memory
       access instead of two or three: waiting for memory is most of the cost) */
    float *rows;
    float intercept[N_OUT];
    int64_t n_word, n_hashed, n_features;
    int key_bits;  /* bits of the largest hashed column */
    uint64_t hash_seed;
    int32_t dense_index[N_DENSE_SLOTS];
    Py_ssize_t vocabulary_limit;
    /* token cache: open addressing over token bytes */
    char *names; Py_ssize_t names_used, names_cap;
    int64_t *name_at; int32_t *name_len; TokenInfo *info; Py_ssize_t n_tokens, tokens_cap;
    int32_t *slots; Py_ssize_t n_slots;  /* token index + 1, 0 = empty */
    int32_t *columns; Py_ssize_t columns_used, columns_cap;
    /* lexicon */
    int32_t *word_single;   /* per lexicon word: its tag list when it is an entry on its own, else -1 */
    int32_t *phrase_at;     /* per lexicon word, n_words + 1 values: its phrases in `phrases` */
    Py_ssize_t n_words;
    int32_t *phrases; Py_ssize_t phrases_len;  /* [length, tag list, words...] ..., by first word */
    int32_t *tag_offsets, *tag_cat, *tag_group; Py_ssize_t n_tag_lists;
    int max_words;
} Hotpath;

/* FNV-1a from a per-process random seed: comment text is hostile, and tokens chosen to collide in a
   known hash would slow every lookup */
static uint64_t hash_bytes(uint64_t seed, const char *s, Py_ssize_t n) {
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (Py_ssize_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 1099511628211ULL; }
    return h;
}

/* The cached token with these bytes, or -1. */
static Py_ssize_t find_token(Hotpath *self, const char *s, Py_ssize_t n) {
    if (!self->n_slots) return -1;
    size_t mask = (size_t)self->n_slots - 1, i = (size_t)hash_bytes(self->hash_seed, s, n) & mask;
    for (;; i = (i + 1) & mask) {
        int32_t t = self->slots[i];
        if (!t) return -1;
        t -= 1;
        if (self->name_len[t] == n && !memcmp(self->names + self->name_at[t], s, (size_t)n)) return t;
    }
}

static int rehash(Hotpath *self, Py_ssize_t n_slots) {
    int32_t *slots = PyMem_Calloc((size_t)n_slots, sizeof(int32_t));
    if (!slots) { PyErr_NoMemory(); return -1; }
    size_t mask = (size_t)n_slots - 1;
    for (Py_ssize_t t = 0; t < self->n_tokens; t++) {
        size_t i = (size_t)hash_bytes(self->hash_seed, self->names + self->name_at[t], self->name_len[t]) & mask;
        while (slots[i]) i = (i + 1) & mask;
        slots[i] = (int32_t)(t + 1);
    }
    PyMem_Free(self->slots);
    self->slots = slots;
    self->n_slots = n_slots;
    return 0;
}

static Py_ssize_t add_token(Hotpath *self, const char *s, Py_ssize_t n, TokenInfo info) {
    if ((self->n_tokens + 1) * 2 > self->n_slots && rehash(self, self->n_slots ? self->n_slots * 2 : 4096) < 0)
        return -1;
    GROW(self->names, self->names_cap, self->names_used + n, char);
    GROW(self->name_at, self->tokens_cap, self->n_tokens + 1, int64_t);
    /* the three per-token arrays grow together: name_at set the capacity, follow it */
    {
        int32_t *len = PyMem_Realloc(self->name_len, (size_t)self->tokens_cap * sizeof(int32_t));
        if (!len) { PyErr_NoMemory(); goto fail; }
        self->name_len = len;
        TokenInfo *inf = PyMem_Realloc(self->info, (size_t)self->tokens_cap * sizeof(TokenInfo));
        if (!inf) { PyErr_NoMemory(); goto fail; }
        self->info = inf;
    }
    memcpy(self->names + self->names_used, s, (size_t)n);
    Py_ssize_t t = self->n_tokens++;
    self->name_at[t] = self->names_used;
    self->name_len[t] = (int32_t)n;
    self->info[t] = info;
    self->names_used += n;
    size_t mask = (size_t)self->n_slots - 1, i = (size_t)hash_bytes(self->hash_seed, s, n) & mask;
    while (self->slots[i]) i = (i + 1) & mask;
    self->slots[i] = (int32_t)(t + 1);
    return t;
fail:
    return -1;
}

static void clear_tokens(Hotpath *self) {
    self->names_used = self->n_tokens = self->columns_used = 0;
    if (self->slots) memset(self->slots, 0, (size_t)self->n_slots * sizeof(int32_t));
}

/* ---- per-call scratch ------------------------------------------------------------------------- */

typedef struct {
    int32_t *tokens; Py_ssize_t tokens_cap;      /* all texts' tokens: cache index, or -(pending + 1) */
    Py_ssize_t *text_start;                      /* per text: its first token in `tokens`, n + 1 values */
    int32_t *sentence; Py_ssize_t sentence_cap;  /* per token: sentence ends before it in its text */
    int64_t *offsets; Py_ssize_t offsets_cap;    /* per token: [begin, end) in its normalised text */
    int32_t *keys, *sorted; Py_ssize_t keys_cap, sorted_cap;
    Hit *hits; Py_ssize_t hits_cap;
    DenseEntry *dense; Py_ssize_t dense_cap;      /* one text's dense entries, in the Python path's order */
    DenseEntry *by_key; Py_ssize_t by_key_cap;    /* the same, stably sorted by column */
    int32_t *by_cat; Py_ssize_t by_cat_cap;      /* hit indices grouped by category */
    char *buffer; Py_ssize_t buffer_cap;         /* bytes of one token */
} Scratch;

static void scratch_free(Scratch *s) {
    PyMem_Free(s->tokens); PyMem_Free(s->text_start); PyMem_Free(s->sentence); PyMem_Free(s->keys);
    PyMem_Free(s->sorted); PyMem_Free(s->hits); PyMem_Free(s->dense); PyMem_Free(s->by_cat); PyMem_Free(s->by_key);
    PyMem_Free(s->offsets);
    PyMem_Free(s->buffer);
}

static inline int is_token_char(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static inline int is_sentence_end(Py_UCS4 c) {
    return c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == '\n';
}

/* ---- lexicon and dense features (features.py: Lexicon.match, _dense_entries, _pattern_entries) -- */

static int match_lexicon(Hotpath *self, const int32_t *lex, Py_ssize_t n, Scratch *s, Py_ssize_t *n_hits) {
    Py_ssize_t free_from = 0, count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int32_t w = lex[i];
        if (w < 0 || i < free_from) continue;
        int single = self->word_single[w], starts = self->phrase_at[w + 1] > self->phrase_at[w];
        if (single < 0 && !starts) continue;
        Py_ssize_t length = 1;
        int32_t tags = -1;
        if (starts) {  /* the longest phrase first */
            Py_ssize_t longest = n - i < self->max_words ? n - i : self->max_words;
            for (Py_ssize_t size = longest; size > 1 && tags < 0; size--) {
                for (Py_ssize_t p = self->phrase_at[w]; p < self->phrase_at[w + 1]; p += 2 + self->phrases[p]) {
                    if (self->phrases[p] != size) continue;
                    Py_ssize_t k = 0;
                    while (k < size && self->phrases[p + 2 + k] == lex[i + k]) k++;
                    if (k == size) { tags = self->phrases[p + 1]; length = size; break; }
                }
            }
        }
        if (tags < 0) tags = single;
        if (tags < 0) continue;
        for (int32_t k = self->tag_offsets[tags]; k < self->tag_offsets[tags + 1]; k++) {
            GROW(s->hits, s->hits_cap, count + 1, Hit);
            s->hits[count++] = (Hit){(int32_t)i, (int32_t)(i + length - 1), self->tag_cat[k], self->tag_group[k]};
        }
        free_from = i + length;
    }
    *n_hits = count;
    return 0;
fail:
    return -1;
}

static int add_dense(Scratch *s, Py_ssize_t *n, int32_t key, double value, Py_ssize_t first, Py_ssize_t last) {
    GROW(s->dense, s->dense_cap, *n + 1, DenseEntry);
    /* np.asarray(values, float32) for the features; the value as it is for the explanation */
    s->dense[(*n)++] = (DenseEntry){key, (float)value, value, (int32_t)first, (int32_t)last};
    return 0;
fail:
    return -1;
}

#define ADD(slot, value, first, last)                                                          \
    do {                                                                                        \
        if (add_dense(s, &n_dense, self->dense_index[slot], (value), (first), (last)) < 0) return -1; \
    } while (0)

/* The dense entries of one text, in the Python path's order (their sums depend on it). */
static Py_ssize_t dense_entries(Hotpath *self, PyObject *original, const int32_t *toks, const int32_t *sentence,
                                Py_ssize_t n, Py_ssize_t n_hits, Scratch *s) {
    Py_ssize_t n_dense = 0;
    const Hit *hits = s->hits;
    int counts[N_CATEGORIES] = {0};
    for (Py_ssize_t h = 0; h < n_hits; h++) counts[hits[h].cat]++;
    for (Py_ssize_t h = 0; h < n_hits; h++) {
        int c = counts[hits[h].cat];
        Hit hit = hits[h];
        ADD(D_LEX + hit.cat, (double)(c < 3 ? c : 3) / c, hit.first, hit.last);
        if (hit.group >= 0 && hit.cat == CAT_SLUR) ADD(D_SLUR + hit.group, 1.0, hit.first, hit.last);
        if (hit.group >= 0 && hit.cat == CAT_IDENTITY) ADD(D_IDENTITY + hit.group, 1.0, hit.first, hit.last);
    }
    if (n_hits) {
        /* hits of each category, in hit order: by_cat[cat_start[c] .. cat_start[c + 1]) */
        Py_ssize_t cat_start[N_CATEGORIES + 1] = {0};
        for (int c = 0; c < N_CATEGORIES; c++) cat_start[c + 1] = cat_start[c] + counts[c];
        Py_ssize_t fill[N_CATEGORIES];
        memcpy(fill, cat_start, sizeof(fill));
        GROW(s->by_cat, s->by_cat_cap, n_hits, int32_t);
        for (Py_ssize_t h = 0; h < n_hits; h++) s->by_cat[fill[hits[h].cat]++] = (int32_t)h;
#define EACH(c, var) for (Py_ssize_t var##_k = cat_start[c]; var##_k < cat_start[(c) + 1]; var##_k++)
#define HIT(var) (hits[s->by_cat[var##_k]])
        /* group hits: slurs, then identity terms (contiguous in by_cat) */
        const Py_ssize_t group_lo = cat_start[CAT_SLUR], group_hi = cat_start[CAT_IDENTITY + 1];
        static const int insulting[3] = {CAT_INSULT, CAT_SLUR, CAT_PROFANITY};
        for (int q = 0; q < 3; q++) {
            EACH(insulting[q], a) {
                Hit hit = HIT(a);
                for (Py_ssize_t j = hit.first - 4 > 0 ? hit.first - 4 : 0; j < hit.first; j++) {
                    if ((self->info[toks[j]].flags & SECOND_PERSON) && sentence[j] == sentence[hit.first]) {
                        ADD(D_SECOND_PERSON_INSULT, 1.0, j, hit.last);
                        break;
                    }
                }
            }
        }
        EACH(CAT_VIOLENCE, v) {
            Hit hit = HIT(v);
            Py_ssize_t start = hit.first;
            while (start > 0 && sentence[start - 1] == sentence[hit.first]) start--;
            Py_ssize_t before = hit.first - 5 > start ? hit.first - 5 : start;
            Py_ssize_t after_end = hit.last + 5 < n ? hit.last + 5 : n;
            int past = 0, modal = 0;
            Py_ssize_t aimed = -1;  /* the first of the people aimed at, in the four tokens after */
            for (Py_ssize_t k = before; k < hit.first; k++) {
                int f = self->info[toks[k]].flags;
                if (f & (PAST_MARKER | YEAR)) past = 1;
                if (f & MODAL) modal = 1;
            }
            for (Py_ssize_t k = start; k < n && !past; k++)
                if (sentence[k] == sentence[hit.first] && (self->info[toks[k]].flags & YEAR)) past = 1;
            for (Py_ssize_t k = hit.last + 1; k < after_end && aimed < 0; k++)
                if (self->info[toks[k]].flags & PEOPLE) aimed = k;
            int imperative = hit.first == start ||
                             (hit.first - start <= 2 && (self->info[toks[start]].flags & MODAL));
            if (!past && (imperative || modal) && (aimed >= 0 || hit.first == start))
                ADD(D_VIOLENCE_CALL, 1.0, hit.first, aimed >= 0 ? aimed : hit.last);
            for (Py_ssize_t g = group_lo; g < group_hi; g++) {
                Hit other = hits[s->by_cat[g]];
                if (sentence[other.first] == sentence[hit.first] && !past) {
                    ADD(D_VIOLENCE_GROUP, 1.0, MIN(other.first, hit.first), MAX(other.last, hit.last));
                    break;
                }
            }
        }
        EACH(CAT_DEHUMANISING, d) {
            Hit hit = HIT(d);
            for (Py_ssize_t g = group_lo; g < group_hi; g++) {
                Hit other = hits[s->by_cat[g]];
                int32_t gap = other.first - hit.first;
                if (sentence[other.first] == sentence[hit.first] && (gap < 0 ? -gap : gap) <= 6) {
                    ADD(D_DEHUMANISE_GROUP, 1.0, MIN(other.first, hit.first), MAX(other.last, hit.last));
                    break;
                }
            }
        }
        EACH(CAT_REPORTING, r) {
            Hit hit = HIT(r);
            const Hit *found = NULL;
            static const int targets[2] = {CAT_SLUR, CAT_DEHUMANISING};
            for (int q = 0; q < 2 && !found; q++) {
                EACH(targets[q], t) {
                    if (sentence[hit.first] == sentence[HIT(t).first]) { found = &HIT(t); break; }
                }
            }
            if (found) ADD(D_COUNTER_SPEECH, 1.0, MIN(hit.first, found->first), MAX(hit.last, found->last));
        }
#undef EACH
#undef HIT
    }
    /* style: ASCII letters and capitals of the original text, "!"s, and the token count */
    Py_ssize_t length = PyUnicode_GET_LENGTH(original), letters = 0, upper = 0, exclaims = 0;
    int kind = PyUnicode_KIND(original);
    const void *data = PyUnicode_DATA(original);
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 'A' && c <= 'Z') { letters++; upper++; }
        else if (c >= 'a' && c <= 'z') letters++;
        else if (c == '!') exclaims++;
    }
    if (letters >= 8) {
        double caps = (double)upper / (double)letters;
        if (caps > 0.5) ADD(D_CAPS, caps, -1, -1);
    }
    if (exclaims) ADD(D_EXCLAIM, (double)(exclaims < 5 ? exclaims : 5) / 5, -1, -1);
    ADD(D_LENGTH, log1p((double)n) / 6, -1, -1);
    return n_dense;
fail:
    return -1;
}
#undef ADD

/* ---- sorting the hashed columns of one text (LSD radix, 10 bits a pass, as many passes as the columns
   need: two for the shipped 2^19 + 30 columns) ------------------------------------------------------- */

static void sort_keys(int32_t *keys, int32_t *tmp, Py_ssize_t n, int bits) {
    if (n < 64) {
        for (Py_ssize_t i = 1; i < n; i++) {
            int32_t v = keys[i];
            Py_ssize_t j = i;
            while (j > 0 && keys[j - 1] > v) { keys[j] = keys[j - 1]; j--; }
            keys[j] = v;
        }
        return;
    }
    int32_t count[1024];
    for (int shift = 0; shift < bits; shift += 10) {
        memset(count, 0, sizeof(count));
        for (Py_ssize_t i = 0; i < n; i++) count[(keys[i] >> shift) & 1023]++;
        int32_t total = 0;
        for (int b = 0; b < 1024; b++) { int32_t c = count[b]; count[b] = total; total += c; }
        for (Py_ssize_t i = 0; i < n; i++) tmp[count[(keys[i] >> shift) & 1023]++] = keys[i];
        int32_t *swap = keys; keys = tmp; tmp = swap;
        if (shift + 10 >= bits && (shift / 10) % 2 == 0) memcpy(tmp, keys, (size_t)n * sizeof(int32_t));
    }
}

static int compare_dense(const void *a, const void *b) {
    const DenseEntry *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* ---- one text: its row's logits ----------------------------------------------------------------- */

/* Per token, its share of the logits of `outputs` (k of them), into c (n x k): what features.py's
   batch_token_contributions gives with TokenWeights, with the same float operations in the same order
   (per-token sums rounded to float32, char n-grams summed in column order, bigram halves to the first
   tokens and then to the second ones, anchored dense entries in entry order), so the same bits. */
static void token_contributions(Hotpath *self, const int32_t *toks, Py_ssize_t n, const DenseEntry *dense,
                                Py_ssize_t n_dense, const double inverse[2], const int32_t *outputs, int k,
                                double *c) {
    const float *rows = self->rows;
    for (Py_ssize_t t = 0; t < n; t++) {
        const TokenInfo *info = &self->info[toks[t]];
        const int32_t *columns = self->columns + info->start;
        for (int j = 0; j < k; j++) {
            int o = outputs[j];
            const float *w = rows + (int64_t)columns[0] * ROW;
            float word = (float)((double)w[o] * (double)w[IDF]);
            double chars = 0.0;
            for (int32_t m = 1; m < info->length; m++) {
                w = rows + (int64_t)columns[m] * ROW;
                chars += (double)w[o] * (double)w[IDF];
            }
            c[t * k + j] = (double)word * inverse[0] + (double)(float)chars * inverse[1];
        }
    }
    for (int second = 0; second < 2; second++) {  /* a bigram's weight, half to each of its tokens */
        for (Py_ssize_t t = 0; t + 1 < n; t++) {
            int64_t a = self->columns[self->info[toks[t]].start], b = self->columns[self->info[toks[t + 1]].start];
            const float *w = rows + (((a * 0x9E3779B1LL) ^ (b + 0x7F4A7C15LL)) & (self->n_word - 1)) * ROW;
            for (int j = 0; j < k; j++)
                c[(t + second) * k + j] += (double)w[outputs[j]] * (double)w[IDF] * (inverse[0] / 2);
        }
    }
    for (Py_ssize_t d = 0; d < n_dense; d++) {  /* an anchored dense feature, shared by its tokens */
        const DenseEntry *e = &dense[d];
        if (e->first < 0) continue;
        double share = e->raw / (double)(e->last - e->first + 1);
        const float *w = rows + (self->n_hashed + e->key) * ROW;
        for (Py_ssize_t t = e->first; t <= e->last; t++)
            for (int j = 0; j < k; j++) c[t * k + j] += (double)w[outputs[j]] * share;
    }
}

/* One text's logits into out, its slur groups' bits, its block scales and, where `explained` (n x k) is
   given, its tokens' shares of `outputs`. */
static int text_logits(Hotpath *self, PyObject *original, const int32_t *toks, const int32_t *sentence,
                       Py_ssize_t n, Scratch *s, float *out, int32_t *slur_groups, double *scales,
                       const int32_t *outputs, int n_outputs, double *explained) {
    const float *rows = self->rows;
    Py_ssize_t n_keys = 0;
    for (Py_ssize_t t = 0; t < n; t++) n_keys += self->info[toks[t]].length;
    n_keys += n > 1 ? n - 1 : 0;
    GROW(s->keys, s->keys_cap, n_keys, int32_t);
    GROW(s->sorted, s->sorted_cap, n_keys, int32_t);
    Py_ssize_t k = 0;
    for (Py_ssize_t t = 0; t < n; t++) {
        const TokenInfo *info = &self->info[toks[t]];
        memcpy(s->keys + k, self->columns + info->start, (size_t)info->length * sizeof(int32_t));
        k += info->length;
    }
    for (Py_ssize_t t = 0; t + 1 < n; t++) {  /* features.py: Featuriser.bigram_columns */
        int64_t a = self->columns[self->info[toks[t]].start], b = self->columns[self->info[toks[t + 1]].start];
        s->keys[k++] = (int32_t)(((a * 0x9E3779B1LL) ^ (b + 0x7F4A7C15LL)) & (self->n_word - 1));
    }
    sort_keys(s->keys, s->sorted, n_keys, self->key_bits);

    /* lexicon hits and dense entries (sorted by slot, summed in entry order, as np.add.at) */
    int32_t lex_stack[64];
    int32_t *lex = n <= 64 ? lex_stack : PyMem_Malloc((size_t)n * sizeof(int32_t));
    if (!lex) { PyErr_NoMemory(); goto fail; }
    for (Py_ssize_t t = 0; t < n; t++) lex[t] = self->info[toks[t]].lex;
    Py_ssize_t n_hits = 0;
    int matched = match_lexicon(self, lex, n, s, &n_hits);
    if (lex != lex_stack) PyMem_Free(lex);
    if (matched < 0) goto fail;
    *slur_groups = 0;
    for (Py_ssize_t h = 0; h < n_hits; h++)
        if (s->hits[h].cat == CAT_SLUR && s->hits[h].group >= 0) *slur_groups |= 1 << s->hits[h].group;
    Py_ssize_t n_dense = dense_entries(self, original, toks, sentence, n, n_hits, s);
    if (n_dense < 0) goto fail;
    /* a stable sort keeps each slot's entries in order, so their float32 sum is the Python path's */
    GROW(s->by_key, s->by_key_cap, n_dense, DenseEntry);
    DenseEntry *by_key = s->by_key;
    for (Py_ssize_t i = 0; i < n_dense; i++) {
        DenseEntry v = s->dense[i];
        Py_ssize_t j = i;
        while (j > 0 && compare_dense(&by_key[j - 1], &v) > 0) { by_key[j] = by_key[j - 1]; j--; }
        by_key[j] = v;
    }

    /* distinct columns and their counts; their idf and weights are fetched ahead (random access into
       arrays of tens of MB: waiting for memory is most of the cost otherwise) */
    Py_ssize_t m = 0;
    for (Py_ssize_t i = 0; i < n_keys;) {
        Py_ssize_t j = i;
        int32_t column = s->keys[i];
        while (j < n_keys && s->keys[j] == column) j++;
        __builtin_prefetch(rows + (int64_t)column * ROW);
        s->keys[m] = column;
        s->sorted[m++] = (int32_t)(j - i);
        i = j;
    }
    /* block norms of the idf-weighted counts (word block, then char block), in column order */
    double norm[2] = {0.0, 0.0}, word_norm = 0.0, char_norm = 0.0;  /* two sums: kept in registers */
    for (Py_ssize_t i = 0; i < m; i++) {
        int32_t column = s->keys[i];
        float weighted = (float)s->sorted[i] * rows[(int64_t)column * ROW + IDF];
        if (column >= self->n_word)
            char_norm += (double)weighted * (double)weighted;
        else
            word_norm += (double)weighted * (double)weighted;
    }
    norm[0] = word_norm;
    norm[1] = char_norm;
    double inverse[2];
    for (int b = 0; b < 2; b++) {
        double root = sqrt(norm[b]);
        inverse[b] = 1.0 / (root > 1e-9 ? root : 1e-9);
    }
    float y[N_OUT] = {0.0f};  /* scipy's csr_matvecs: float32 sums in column order */
    for (Py_ssize_t i = 0; i < m; i++) {
        int32_t column = s->keys[i];
        const float *w = rows + (int64_t)column * ROW;
        float value = (float)s->sorted[i] * (float)((double)w[IDF] * inverse[column >= self->n_word]);
        for (int o = 0; o < N_OUT; o++) y[o] += value * w[o];
    }
    for (Py_ssize_t i = 0; i < n_dense;) {
        Py_ssize_t j = i;
        float sum = 0.0f;
        for (; j < n_dense && by_key[j].key == by_key[i].key; j++) sum += by_key[j].value;
        int64_t column = self->n_hashed + by_key[i].key;
        const float *w = rows + column * ROW;
        float value = sum * (float)((double)w[IDF] * 1.0);  /* a dense column's block scale is 1 */
        for (int o = 0; o < N_OUT; o++) y[o] += value * w[o];
        i = j;
    }
    for (int o = 0; o < N_OUT; o++) out[o] = y[o] + self->intercept[o];
    scales[0] = inverse[0];
    scales[1] = inverse[1];
    if (explained) token_contributions(self, toks, n, s->dense, n_dense, inverse, outputs, n_outputs, explained);
    return 0;
fail:
    return -1;
}

/* ---- Hotpath.logits ------------------------------------------------------------------------------ */

/* Tokenise every text into s->tokens (cache indices; new tokens pending, their strings in `pending`). */
static int tokenise(Hotpath *self, PyObject *texts, Scratch *s, PyObject *pending, PyObject *pending_index) {
    Py_ssize_t n_texts = PyList_GET_SIZE(texts), used = 0;
    for (Py_ssize_t x = 0; x < n_texts; x++) {
        PyObject *text = PyList_GET_ITEM(texts, x);
        s->text_start[x] = used;
        Py_ssize_t length = PyUnicode_GET_LENGTH(text);
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        int32_t ends = 0;  /* features.py: _sentence_ids (no token holds a sentence end) */
        for (Py_ssize_t i = 0; i < length;) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (!is_token_char(c)) { ends += is_sentence_end(c); i++; continue; }
            Py_ssize_t begin = i;
            while (i < length && is_token_char(PyUnicode_READ(kind, data, i))) i++;
            if (i + 1 < length && PyUnicode_READ(kind, data, i) == '\'') {
                Py_UCS4 next = PyUnicode_READ(kind, data, i + 1);
                if (next >= 'a' && next <= 'z') {
                    i += 2;
                    while (i < length) {
                        Py_UCS4 d = PyUnicode_READ(kind, data, i);
                        if (d < 'a' || d > 'z') break;
                        i++;
                    }
                }
            }
            Py_ssize_t size = i - begin;
            GROW(s->buffer, s->buffer_cap, size, char);
            for (Py_ssize_t j = 0; j < size; j++) s->buffer[j] = (char)PyUnicode_READ(kind, data, begin + j);
            Py_ssize_t found = find_token(self, s->buffer, size);
            int32_t id;
            if (found >= 0) {
                id = (int32_t)found;
            } else {  /* new: pending, once per call */
                PyObject *name = PyUnicode_FromStringAndSize(s->buffer, size);
                if (!name) goto fail;
                PyObject *known = PyDict_GetItemWithError(pending_index, name);
                if (known) {
                    id = (int32_t)(-1 - PyLong_AsLong(known));
                } else if (PyErr_Occurred()) {
                    Py_DECREF(name);
                    goto fail;
                } else {
                    Py_ssize_t p = PyList_GET_SIZE(pending);
                    PyObject *index = PyLong_FromSsize_t(p);
                    int bad = !index || PyDict_SetItem(pending_index, name, index) < 0 ||
                              PyList_Append(pending, name) < 0;
                    Py_XDECREF(index);
                    if (bad) { Py_DECREF(name); goto fail; }
                    id = (int32_t)(-1 - p);
                }
                Py_DECREF(name);
            }
            GROW(s->tokens, s->tokens_cap, used + 1, int32_t);
            GROW(s->sentence, s->sentence_cap, used + 1, int32_t);
            GROW(s->offsets, s->offsets_cap, 2 * (used + 1), int64_t);
            s->offsets[2 * used] = begin;
            s->offsets[2 * used + 1] = i;
            s->tokens[used] = id;
            s->sentence[used++] = ends;
        }
    }
    s->text_start[n_texts] = used;
    return 0;
fail:
    return -1;
}

/* A C-contiguous buffer of 4-byte values of struct type `type` ('i': int32, 'f': float32), with
   `expected` values (-1: any number). */
static int get_buffer(PyObject *obj, Py_buffer *view, char type, Py_ssize_t expected, const char *what) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return -1;
    const char *format = view->format ? view->format : "B";
    if (strchr("@=<", format[0])) format++;
    int integer = type == 'i' && (!strcmp(format, "i") || !strcmp(format, "l"));
    if (view->itemsize != 4 || !(integer || (type == 'f' && !strcmp(format, "f")))) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_TypeError, "%s must be a C-contiguous %s array", what, type == 'i' ? "int32" : "float32");
        return -1;
    }
    if (expected >= 0 && view->len / 4 != expected) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_ValueError, "%s has %zd values, expected %zd", what, view->len / 4, expected);
        return -1;
    }
    return 0;
}

/* Ask Python for the new tokens' columns and word classes, and cache them. */
static int resolve_pending(Hotpath *self, PyObject *pending, int32_t **ids) {
    Py_ssize_t n = PyList_GET_SIZE(pending);
    *ids = NULL;
    if (!n) return 0;
    PyObject *answer = PyObject_CallOneArg(self->new_tokens, pending);
    if (!answer) return -1;
    Py_buffer cols = {0}, lengths = {0}, lex = {0}, flags = {0};
    int ok = -1;
    if (!PyTuple_Check(answer) || PyTuple_GET_SIZE(answer) != 4) {
        PyErr_SetString(PyExc_TypeError, "new_tokens must return (columns, lengths, lexicon ids, flags)");
        goto done;
    }
    if (get_buffer(PyTuple_GET_ITEM(answer, 0), &cols, 'i', -1, "columns") < 0) goto done;
    if (get_buffer(PyTuple_GET_ITEM(answer, 1), &lengths, 'i', n, "lengths") < 0) goto done;
    if (get_buffer(PyTuple_GET_ITEM(answer, 2), &lex, 'i', n, "lexicon ids") < 0) goto done;
    if (get_buffer(PyTuple_GET_ITEM(answer, 3), &flags, 'i', n, "flags") < 0) goto done;
    *ids = PyMem_Malloc((size_t)n * sizeof(int32_t));
    if (!*ids) { PyErr_NoMemory(); goto done; }
    const int32_t *c = cols.buf, *len = lengths.buf, *lx = lex.buf, *fl = flags.buf;
    Py_ssize_t at = 0, total = cols.len / 4;
    for (Py_ssize_t p = 0; p < n; p++) {
        if (len[p] < 1 || at + len[p] > total || lx[p] >= self->n_words) {
            PyErr_SetString(PyExc_ValueError, "new_tokens returned inconsistent arrays");
            goto done;
        }
        for (int32_t j = 0; j < len[p]; j++) {
            if (c[at + j] < 0 || c[at + j] >= self->n_hashed) {
                PyErr_SetString(PyExc_ValueError, "new_tokens returned a column outside the hashed blocks");
                goto done;
            }
        }
        Py_ssize_t size;
        const char *name = PyUnicode_AsUTF8AndSize(PyList_GET_ITEM(pending, p), &size);
        if (!name) goto done;
        Py_ssize_t t = find_token(self, name, size);  /* another thread may have added it meanwhile */
        if (t < 0) {
            GROW(self->columns, self->columns_cap, self->columns_used + len[p], int32_t);
            memcpy(self->columns + self->columns_used, c + at, (size_t)len[p] * sizeof(int32_t));
            TokenInfo info = {(int32_t)self->columns_used, len[p], lx[p], fl[p]};
            self->columns_used += len[p];
            t = add_token(self, name, size, info);
            if (t < 0) goto done;
        }
        (*ids)[p] = (int32_t)t;
        at += len[p];
    }
    ok = 0;
fail:
done:
    if (cols.obj) PyBuffer_Release(&cols);
    if (lengths.obj) PyBuffer_Release(&lengths);
    if (lex.obj) PyBuffer_Release(&lex);
    if (flags.obj) PyBuffer_Release(&flags);
    Py_DECREF(answer);
    if (ok < 0) { PyMem_Free(*ids); *ids = NULL; }
    return ok;
}

static PyObject *Hotpath_logits(Hotpath *self, PyObject *args) {
    PyObject *texts, *originals, *out_obj, *groups_obj, *scales_obj, *explain_obj;
    if (!PyArg_ParseTuple(args, "O!O!OOOO", &PyList_Type, &texts, &PyList_Type, &originals, &out_obj, &groups_obj,
                          &scales_obj, &explain_obj))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(texts);
    if (PyList_GET_SIZE(originals) != n) {
        PyErr_SetString(PyExc_ValueError, "texts and originals differ in length");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyUnicode_Check(PyList_GET_ITEM(texts, i)) || !PyUnicode_Check(PyList_GET_ITEM(originals, i))) {
            PyErr_SetString(PyExc_TypeError, "texts and originals must be lists of str");
            return NULL;
        }
    }
    Py_buffer out = {0}, groups = {0}, scales = {0}, explain = {0};
    PyObject *result = NULL, *explained = NULL;
    double *shares = NULL;
    int k = 0;
    if (PyObject_GetBuffer(out_obj, &out, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0) goto release;
    if (get_buffer(groups_obj, &groups, 'i', n, "slur_groups") < 0) goto release;
    if (PyObject_GetBuffer(scales_obj, &scales, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0) goto release;
    if (explain_obj != Py_None) {
        if (get_buffer(explain_obj, &explain, 'i', -1, "explain") < 0) goto release;
        k = (int)(explain.len / 4);
        for (int j = 0; j < k; j++) {
            if (((int32_t *)explain.buf)[j] < 0 || ((int32_t *)explain.buf)[j] >= N_OUT || k > N_OUT) {
                PyErr_SetString(PyExc_ValueError, "explain must name at most 14 outputs, each in 0..13");
                goto release;
            }
        }
        if (!(explained = PyList_New(n))) goto release;
    }
    if (out.itemsize != 4 || out.len != n * N_OUT * 4 || scales.itemsize != 8 || scales.len != n * 2 * 8) {
        PyErr_SetString(PyExc_ValueError, "out must be float32 (len(texts), 14), scales float64 (len(texts), 2)");
        goto release;
    }
    if (self->n_tokens > self->vocabulary_limit) clear_tokens(self);
    Scratch s = {0};
    int32_t *resolved = NULL;
    PyObject *pending = PyList_New(0), *pending_index = PyDict_New();
    if (!pending || !pending_index) goto done;
    s.text_start = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    if (!s.text_start) { PyErr_NoMemory(); goto done; }
    if (tokenise(self, texts, &s, pending, pending_index) < 0) goto done;
    if (resolve_pending(self, pending, &resolved) < 0) goto done;
    for (Py_ssize_t t = 0; t < s.text_start[n]; t++)
        if (s.tokens[t] < 0) s.tokens[t] = resolved[-1 - s.tokens[t]];
    for (Py_ssize_t x = 0; x < n; x++) {
        Py_ssize_t first = s.text_start[x], count = s.text_start[x + 1] - first;
        if (explained) {
            double *grown = PyMem_Realloc(shares, (size_t)(count * k + 1) * sizeof(double));
            if (!grown) { PyErr_NoMemory(); goto done; }
            shares = grown;
        }
        if (text_logits(self, PyList_GET_ITEM(originals, x), s.tokens + first, s.sentence + first, count, &s,
                        (float *)out.buf + x * N_OUT, (int32_t *)groups.buf + x, (double *)scales.buf + 2 * x,
                        explain.buf, k, explained ? shares : NULL) < 0)
            goto done;
        if (explained) {  /* (token offsets as int64 pairs, shares as float64 tokens x k), as bytes */
            PyObject *offsets = PyBytes_FromStringAndSize(count ? (const char *)(s.offsets + 2 * first) : NULL,
                                                          (Py_ssize_t)(count * 2 * sizeof(int64_t)));
            PyObject *found = PyBytes_FromStringAndSize(count ? (const char *)shares : NULL,
                                                        (Py_ssize_t)(count * k * sizeof(double)));
            PyObject *item = offsets && found ? PyTuple_Pack(2, offsets, found) : NULL;
            Py_XDECREF(offsets);
            Py_XDECREF(found);
            if (!item) goto done;
            PyList_SET_ITEM(explained, x, item);
        }
    }
    result = explained ? Py_NewRef(explained) : Py_NewRef(Py_None);
done:
    PyMem_Free(resolved);
    PyMem_Free(shares);
    scratch_free(&s);
    Py_XDECREF(pending);
    Py_XDECREF(pending_index);
release:
    if (out.obj) PyBuffer_Release(&out);
    if (groups.obj) PyBuffer_Release(&groups);
    if (scales.obj) PyBuffer_Release(&scales);
    if (explain.obj) PyBuffer_Release(&explain);
    Py_XDECREF(explained);
    return result;
}

/* ---- construction ---------------------------------------------------------------------------- */

static int32_t *copy_int32(PyObject *obj, Py_ssize_t *n, const char *what) {
    Py_buffer view;
    if (get_buffer(obj, &view, 'i', -1, what) < 0) return NULL;
    *n = view.len / 4;
    int32_t *copy = PyMem_Malloc(view.len ? (size_t)view.len : 1);
    if (!copy) { PyBuffer_Release(&view); PyErr_NoMemory(); return NULL; }
    memcpy(copy, view.buf, (size_t)view.len);
    PyBuffer_Release(&view);
    return copy;
}

static int Hotpath_init(Hotpath *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"new_tokens", "idf", "coef", "intercept", "n_word", "n_hashed", "dense_index",
                            "word_single", "phrase_at", "phrases", "tag_offsets", "tag_cat", "tag_group",
                            "max_words", "vocabulary_limit", "hash_seed", NULL};
    PyObject *new_tokens, *idf, *coef, *intercept, *dense_index, *word_single, *phrase_at, *phrases,
        *tag_offsets, *tag_cat, *tag_group;
    long long n_word, n_hashed;
    int max_words;
    Py_ssize_t limit;
    unsigned long long hash_seed;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOOLLOOOOOOOinK", names, &new_tokens, &idf, &coef,
                                     &intercept, &n_word, &n_hashed, &dense_index, &word_single, &phrase_at,
                                     &phrases, &tag_offsets, &tag_cat, &tag_group, &max_words, &limit, &hash_seed))
        return -1;
    if (self->new_tokens) {
        PyErr_SetString(PyExc_RuntimeError, "Hotpath is initialised once");
        return -1;
    }
    if (!PyCallable_Check(new_tokens)) {
        PyErr_SetString(PyExc_TypeError, "new_tokens must be callable");
        return -1;
    }
    if (n_word <= 0 || (n_word & (n_word - 1)) || n_hashed <= n_word) {
        PyErr_SetString(PyExc_ValueError, "n_word must be a power of two below n_hashed");
        return -1;
    }
    Py_ssize_t count;
    int32_t *dense = copy_int32(dense_index, &count, "dense_index");
    if (!dense) return -1;
    if (count != N_DENSE_SLOTS) {
        PyMem_Free(dense);
        PyErr_Format(PyExc_ValueError, "dense_index must have %d values", N_DENSE_SLOTS);
        return -1;
    }
    memcpy(self->dense_index, dense, sizeof(self->dense_index));
    PyMem_Free(dense);
    int32_t max_dense = 0;
    for (int i = 0; i < N_DENSE_SLOTS; i++) max_dense = self->dense_index[i] > max_dense ? self->dense_index[i] : max_dense;
    self->n_word = n_word;
    self->n_hashed = n_hashed;
    for (self->key_bits = 0; (1LL << self->key_bits) < n_hashed; self->key_bits++) {}
    self->n_features = n_hashed + max_dense + 1;
    Py_buffer idf_view, coef_view, intercept_view;
    if (get_buffer(intercept, &intercept_view, 'f', N_OUT, "intercept") < 0) return -1;
    memcpy(self->intercept, intercept_view.buf, sizeof(self->intercept));
    PyBuffer_Release(&intercept_view);
    if (get_buffer(idf, &idf_view, 'f', -1, "idf") < 0) return -1;
    Py_ssize_t n_features = idf_view.len / 4;
    if (n_features < self->n_features) {
        PyBuffer_Release(&idf_view);
        PyErr_SetString(PyExc_ValueError, "idf is shorter than the hashed blocks plus the dense features");
        return -1;
    }
    if (get_buffer(coef, &coef_view, 'f', n_features * N_OUT, "coef") < 0) {
        PyBuffer_Release(&idf_view);
        return -1;
    }
    self->n_features = n_features;
    self->rows = aligned_alloc(64, (size_t)n_features * ROW * sizeof(float));
    if (self->rows) {
        const float *idf_values = idf_view.buf, *coef_values = coef_view.buf;
        for (int64_t c = 0; c < n_features; c++) {
            memcpy(self->rows + c * ROW, coef_values + c * N_OUT, N_OUT * sizeof(float));
            self->rows[c * ROW + IDF] = idf_values[c];
            self->rows[c * ROW + IDF + 1] = 0.0f;
        }
    }
    PyBuffer_Release(&idf_view);
    PyBuffer_Release(&coef_view);
    if (!self->rows) { PyErr_NoMemory(); return -1; }
    Py_ssize_t n_phrase_at, n_offsets, n_cat, n_group;
    if (!(self->word_single = copy_int32(word_single, &self->n_words, "word_single"))) return -1;
    if (!(self->phrase_at = copy_int32(phrase_at, &n_phrase_at, "phrase_at"))) return -1;
    if (!(self->phrases = copy_int32(phrases, &self->phrases_len, "phrases"))) return -1;
    if (!(self->tag_offsets = copy_int32(tag_offsets, &n_offsets, "tag_offsets"))) return -1;
    if (!(self->tag_cat = copy_int32(tag_cat, &n_cat, "tag_cat"))) return -1;
    if (!(self->tag_group = copy_int32(tag_group, &n_group, "tag_group"))) return -1;
    self->n_tag_lists = n_offsets - 1;
    if (n_phrase_at != self->n_words + 1 || n_offsets < 1 || n_cat != n_group || self->tag_offsets[n_offsets - 1] != n_cat) {
        PyErr_SetString(PyExc_ValueError, "inconsistent lexicon tables");
        return -1;
    }
    for (Py_ssize_t w = 0; w < self->n_words; w++) {
        if (self->word_single[w] >= self->n_tag_lists) {
            PyErr_SetString(PyExc_ValueError, "word_single names a missing tag list");
            return -1;
        }
    }
    for (Py_ssize_t k = 0; k < n_cat; k++) {
        if (self->tag_cat[k] < 0 || self->tag_cat[k] >= N_CATEGORIES || self->tag_group[k] < -1 ||
            self->tag_group[k] >= N_GROUPS) {
            PyErr_SetString(PyExc_ValueError, "a lexicon tag names an unknown category or group");
            return -1;
        }
    }
    for (Py_ssize_t w = 0; w < self->n_words; w++) {
        if (self->phrase_at[w] < 0 || self->phrase_at[w] > self->phrase_at[w + 1] ||
            self->phrase_at[w + 1] > self->phrases_len) {
            PyErr_SetString(PyExc_ValueError, "malformed phrase_at table");
            return -1;
        }
    }
    for (Py_ssize_t p = 0; p < self->phrases_len;) {
        if (p + 2 > self->phrases_len || self->phrases[p] < 2 || p + 2 + self->phrases[p] > self->phrases_len ||
            self->phrases[p + 1] < 0 || self->phrases[p + 1] >= self->n_tag_lists) {
            PyErr_SetString(PyExc_ValueError, "malformed phrases table");
            return -1;
        }
        for (int32_t k = 0; k < self->phrases[p]; k++) {
            if (self->phrases[p + 2 + k] < 0 || self->phrases[p + 2 + k] >= self->n_words) {
                PyErr_SetString(PyExc_ValueError, "a phrase names an unknown word");
                return -1;
            }
        }
        p += 2 + self->phrases[p];
    }
    self->max_words = max_words;
    self->hash_seed = hash_seed;
    self->vocabulary_limit = limit;
    self->new_tokens = Py_NewRef(new_tokens);
    return 0;
}

static void Hotpath_dealloc(Hotpath *self) {
    Py_XDECREF(self->new_tokens);
    free(self->rows);
    PyMem_Free(self->names); PyMem_Free(self->name_at); PyMem_Free(self->name_len); PyMem_Free(self->info);
    PyMem_Free(self->slots); PyMem_Free(self->columns); PyMem_Free(self->word_single);
    PyMem_Free(self->phrase_at); PyMem_Free(self->phrases); PyMem_Free(self->tag_offsets);
    PyMem_Free(self->tag_cat); PyMem_Free(self->tag_group);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Hotpath_size(Hotpath *self, PyObject *Py_UNUSED(ignored)) {
    return PyLong_FromSsize_t(self->n_tokens);
}

static PyMethodDef Hotpath_methods[] = {
    {"logits", (PyCFunction)Hotpath_logits, METH_VARARGS,
     "logits(normalised, originals, out: float32 (n, 14), slur_groups: int32 (n,), scales: float64 (n, 2), "
     "explain: int32 output columns or None) -> None, or per text (token offsets, their shares) as bytes"},
    {"cached_tokens", (PyCFunction)Hotpath_size, METH_NOARGS, "How many tokens are cached."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject HotpathType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "threadguard.model._hotpath.Hotpath",
    .tp_basicsize = sizeof(Hotpath),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The fast tier's featurise-and-multiply path for scoring (see hotpath.py).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Hotpath_init,
    .tp_dealloc = (destructor)Hotpath_dealloc,
    .tp_methods = Hotpath_methods,
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_hotpath", "The fast tier's compiled hot path.", -1,
                                    NULL};

PyMODINIT_FUNC PyInit__hotpath(void) {
    if (PyType_Ready(&HotpathType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    if (PyModule_AddObjectRef(m, "Hotpath", (PyObject *)&HotpathType) < 0) { Py_DECREF(m); return NULL; }
    return m;
}
