/* draw.c — the verifiable closed draw: canonical list, commitment, the
 * seeded weighted draw without replacement, the published record (JSON) and
 * its verification. The algorithm is specified in draw.h; this file must
 * stay a faithful implementation of that text, since independent verifiers
 * will implement the text, not this code. */
#include "campaign/draw.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* ---- the canonical list ---- */

static bool id_ok(const char *s)
{
	size_t n = 0;
	for (; s[n] != '\0'; n++) {
		unsigned char c = (unsigned char)s[n];
		/* Visible ASCII only: the separators (TAB, LF) and anything that
		 * prints ambiguously (spaces, CR, control or non-ASCII bytes) would
		 * let two different lists look alike to a person checking them. */
		if (c < 0x21 || c > 0x7e || n >= RECAM_DRAW_ID_MAX)
			return false;
	}
	return n > 0;
}

static bool entry_ok(const recam_draw_entry *e)
{
	return e->entry_id != NULL && e->participant_id != NULL && id_ok(e->entry_id) &&
	       id_ok(e->participant_id) && e->weight >= 1 && e->weight <= RECAM_DRAW_WEIGHT_MAX;
}

int recam_draw_check(const recam_draw_entry *e, size_t n, size_t *bad)
{
	if (n > 0 && e == NULL)
		return RECAM_EINVAL;
	if (n > RECAM_DRAW_ENTRIES_MAX)
		return RECAM_ETOOBIG;
	for (size_t i = 0; i < n; i++) {
		/* strcmp orders by unsigned bytes: the same order as the spec's
		 * "bytewise", whatever the locale. Strictly increasing also means
		 * unique. */
		if (!entry_ok(&e[i]) || (i > 0 && strcmp(e[i - 1].entry_id, e[i].entry_id) >= 0)) {
			if (bad)
				*bad = i;
			return RECAM_EINVAL;
		}
	}
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const recam_draw_entry *x = a, *y = b;
	return strcmp(x->entry_id, y->entry_id);
}

int recam_draw_canonicalize(recam_draw_entry *e, size_t n, size_t *bad)
{
	if (n > 0 && e == NULL)
		return RECAM_EINVAL;
	if (n > RECAM_DRAW_ENTRIES_MAX)
		return RECAM_ETOOBIG;
	for (size_t i = 0; i < n; i++)
		if (e[i].entry_id == NULL || e[i].participant_id == NULL) {
			if (bad)
				*bad = i;
			return RECAM_EINVAL;
		}
	if (n > 1)
		qsort(e, n, sizeof(*e), entry_cmp);
	return recam_draw_check(e, n, bad);
}

/* Decimal digits of v at the end of out[20]; returns where they start.
 * (snprintf per line would cost as much as the hashing.) */
static const char *u64_dec(uint64_t v, char out[20], size_t *len)
{
	size_t i = 20;
	do
		out[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	*len = 20 - i;
	return out + i;
}

/* The hash of a list already checked. */
static void list_hash(const recam_draw_entry *e, size_t n, unsigned char out[RECAM_DRAW_HASH_BYTES])
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	/* Lines are batched: one update per line costs more than the hashing. */
	unsigned char buf[8192];
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		size_t le = strlen(e[i].entry_id), lp = strlen(e[i].participant_id);
		char digits[20];
		size_t lw;
		const char *w = u64_dec(e[i].weight, digits, &lw);
		size_t line = le + lp + lw + 3; /* <= 2 * 128 + 10 + 3: fits buf */
		if (used + line > sizeof(buf)) {
			crypto_hash_sha256_update(&st, buf, used);
			used = 0;
		}
		memcpy(buf + used, e[i].entry_id, le);
		used += le;
		buf[used++] = '\t';
		memcpy(buf + used, e[i].participant_id, lp);
		used += lp;
		buf[used++] = '\t';
		memcpy(buf + used, w, lw);
		used += lw;
		buf[used++] = '\n';
	}
	crypto_hash_sha256_update(&st, buf, used);
	crypto_hash_sha256_final(&st, out);
}

int recam_draw_list_hash(const recam_draw_entry *e, size_t n, unsigned char out[RECAM_DRAW_HASH_BYTES])
{
	int rc = recam_draw_check(e, n, NULL);
	if (rc == 0)
		list_hash(e, n, out);
	return rc;
}

/* Strict decimal: no sign, no leading zero, within the weight bounds. */
static bool parse_weight(const char *p, size_t len, uint64_t *out)
{
	if (len == 0 || len > 10 || p[0] == '0')
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	if (v > RECAM_DRAW_WEIGHT_MAX)
		return false;
	*out = v;
	return true;
}

int recam_draw_list_parse(const char *text, size_t len, recam_draw_list *out, size_t *bad_line)
{
	memset(out, 0, sizeof(*out));
	if (bad_line)
		*bad_line = 0;
	if (len > 0 && text == NULL)
		return RECAM_EINVAL;
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (len > 0 && text[len - 1] != '\n') {
		if (bad_line)
			*bad_line = lines + 1;
		return RECAM_EINVAL;
	}
	if (lines > RECAM_DRAW_ENTRIES_MAX)
		return RECAM_ETOOBIG;
	int rc = RECAM_ENOMEM;
	out->text = malloc(len + 1);
	out->entries = calloc(lines ? lines : 1, sizeof(*out->entries));
	if (out->text == NULL || out->entries == NULL)
		goto fail;
	if (len > 0)
		memcpy(out->text, text, len);
	out->text[len] = '\0';
	rc = RECAM_EINVAL;
	char *p = out->text;
	for (size_t ln = 0; ln < lines; ln++) {
		if (bad_line)
			*bad_line = ln + 1;
		char *field[3];
		size_t flen[3];
		int f = 0;
		field[0] = p;
		for (;; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == '\t' || c == '\n') {
				flen[f] = (size_t)(p - field[f]);
				*p = '\0';
				if (c == '\n' ? f != 2 : f == 2)
					goto fail;
				if (c == '\n') {
					p++;
					break;
				}
				field[++f] = p + 1;
			} else if (c < 0x21 || c > 0x7e) {
				goto fail; /* NUL, CR, spaces, non-ASCII: not canonical */
			}
		}
		recam_draw_entry *e = &out->entries[ln];
		e->entry_id = field[0];
		e->participant_id = field[1];
		if (!parse_weight(field[2], flen[2], &e->weight))
			goto fail;
	}
	out->n = lines;
	size_t bad = 0;
	rc = recam_draw_check(out->entries, out->n, &bad);
	if (rc != 0) {
		if (bad_line)
			*bad_line = bad + 1;
		goto fail;
	}
	if (bad_line)
		*bad_line = 0;
	return 0;
fail:
	recam_draw_list_free(out);
	return rc;
}

void recam_draw_list_free(recam_draw_list *l)
{
	if (l == NULL)
		return;
	free(l->entries);
	free(l->text);
	memset(l, 0, sizeof(*l));
}

/* ---- the keyed stream ---- */

typedef struct draw_stream {
	crypto_auth_hmacsha256_state keyed; /* HMAC state after the key: copied per block */
	uint64_t block;
	unsigned char buf[crypto_auth_hmacsha256_BYTES];
	size_t pos;
} draw_stream;

static const char draw_tag[] = "recam-draw/1";

static void stream_init(draw_stream *s, const unsigned char seed[RECAM_DRAW_SEED_BYTES])
{
	crypto_auth_hmacsha256_init(&s->keyed, seed, RECAM_DRAW_SEED_BYTES);
	s->block = 0;
	s->pos = sizeof(s->buf);
}

static uint64_t stream_word(draw_stream *s)
{
	if (s->pos == sizeof(s->buf)) {
		unsigned char msg[sizeof(draw_tag) - 1 + 8];
		memcpy(msg, draw_tag, sizeof(draw_tag) - 1);
		uint64_t b = s->block++;
		for (int k = 7; k >= 0; k--, b >>= 8)
			msg[sizeof(draw_tag) - 1 + (size_t)k] = (unsigned char)b;
		crypto_auth_hmacsha256_state st = s->keyed;
		crypto_auth_hmacsha256_update(&st, msg, sizeof(msg));
		crypto_auth_hmacsha256_final(&st, s->buf);
		sodium_memzero(&st, sizeof(st));
		s->pos = 0;
	}
	uint64_t v = 0;
	for (size_t k = 0; k < 8; k++)
		v = v << 8 | s->buf[s->pos + k];
	s->pos += 8;
	return v;
}

static void stream_wipe(draw_stream *s) { sodium_memzero(s, sizeof(*s)); }

/* ---- weighted sampling without replacement ---- */

/* Fenwick tree over the pool weights: prefix sums and removals in O(log n),
 * so K+A picks cost O((K+A) log n) rather than O((K+A) n). tree[1..n]. */
typedef struct fenwick {
	uint64_t *tree;
	size_t n;
	size_t top; /* highest power of two <= n */
} fenwick;

static int fenwick_build(fenwick *f, const recam_draw_entry *e, size_t n)
{
	f->n = n;
	f->tree = malloc((n + 1) * sizeof(*f->tree));
	if (f->tree == NULL)
		return RECAM_ENOMEM;
	f->tree[0] = 0;
	for (size_t i = 1; i <= n; i++)
		f->tree[i] = e[i - 1].weight;
	/* Linear build; sums cannot wrap: the total was checked to stay below 2^63. */
	for (size_t i = 1; i <= n; i++) {
		size_t j = i + (i & (~i + 1));
		if (j <= n)
			f->tree[j] += f->tree[i];
	}
	f->top = 1;
	while (f->top <= n / 2)
		f->top <<= 1;
	return 0;
}

static void fenwick_remove(fenwick *f, size_t idx, uint64_t w)
{
	for (size_t i = idx + 1; i <= f->n; i += i & (~i + 1))
		f->tree[i] -= w;
}

/* The first index whose cumulative weight exceeds r (r < pool total). */
static size_t fenwick_find(const fenwick *f, uint64_t r)
{
	size_t pos = 0;
	for (size_t step = f->n ? f->top : 0; step; step >>= 1)
		if (pos + step <= f->n && f->tree[pos + step] <= r) {
			pos += step;
			r -= f->tree[pos];
		}
	return pos; /* 1-based pos + 1, so 0-based pos */
}

/* Participants who have won, for "one win per participant": a set of
 * strings, open addressing, grown by doubling. It holds at most K+A
 * participants, so the rule costs nothing per eligible entry. */
typedef struct won_set {
	const char **slot;
	uint64_t *hash; /* SipHash of each slot: compared before the strings, reused on growth */
	size_t cap, used;
	unsigned char key[crypto_shorthash_KEYBYTES];
} won_set;

static uint64_t won_hash(const won_set *w, const char *s)
{
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, (const unsigned char *)s, strlen(s), w->key);
	uint64_t v;
	memcpy(&v, h, sizeof(v));
	return v;
}

static int won_init(won_set *w)
{
	memset(w, 0, sizeof(*w));
	/* A per-run random key: crafted ids cannot make the set slow, and the
	 * draw's result does not depend on the set's layout. */
	randombytes_buf(w->key, sizeof(w->key));
	w->cap = 64;
	w->slot = calloc(w->cap, sizeof(*w->slot));
	w->hash = calloc(w->cap, sizeof(*w->hash));
	return w->slot && w->hash ? 0 : RECAM_ENOMEM;
}

static void won_free(won_set *w)
{
	free(w->slot);
	free(w->hash);
	sodium_memzero(w, sizeof(*w));
}

static void won_put(won_set *w, const char *s, uint64_t h)
{
	size_t j = (size_t)h & (w->cap - 1);
	while (w->slot[j])
		j = (j + 1) & (w->cap - 1);
	w->slot[j] = s;
	w->hash[j] = h;
	w->used++;
}

/* Inserts s; *added is false when it was already there. */
static int won_add(won_set *w, const char *s, bool *added)
{
	uint64_t h = won_hash(w, s);
	for (size_t j = (size_t)h & (w->cap - 1); w->slot[j]; j = (j + 1) & (w->cap - 1))
		if (w->hash[j] == h && strcmp(w->slot[j], s) == 0) {
			*added = false;
			return 0;
		}
	if (2 * (w->used + 1) > w->cap) { /* keep the table at most half full */
		won_set g = *w;
		g.cap = w->cap * 2;
		g.used = 0;
		g.slot = calloc(g.cap, sizeof(*g.slot));
		g.hash = calloc(g.cap, sizeof(*g.hash));
		if (g.slot == NULL || g.hash == NULL) {
			free(g.slot);
			free(g.hash);
			return RECAM_ENOMEM;
		}
		for (size_t i = 0; i < w->cap; i++)
			if (w->slot[i])
				won_put(&g, w->slot[i], w->hash[i]);
		free(w->slot);
		free(w->hash);
		*w = g;
	}
	won_put(w, s, h);
	*added = true;
	return 0;
}

void recam_draw_result_free(recam_draw_result *r)
{
	if (r == NULL)
		return;
	free(r->winners);
	free(r->alternates);
	memset(r, 0, sizeof(*r));
}

static int total_weight(const recam_draw_entry *e, size_t n, uint64_t *out)
{
	uint64_t t = 0;
	for (size_t i = 0; i < n; i++) {
		if (e[i].weight > (uint64_t)INT64_MAX - t)
			return RECAM_ERANGE;
		t += e[i].weight;
	}
	*out = t;
	return 0;
}

/* The draw on a list already checked (callers that also hash the list
 * check it once). */
static int draw_run(const unsigned char seed[RECAM_DRAW_SEED_BYTES], const recam_draw_entry *e, size_t n,
		    size_t k, size_t a, bool one_win_per_participant, recam_draw_result *out)
{
	memset(out, 0, sizeof(*out));
	uint64_t pool;
	int rc = total_weight(e, n, &pool);
	if (rc != 0)
		return rc;
	fenwick f = {0};
	won_set won = {0};
	draw_stream st;
	stream_init(&st, seed);
	size_t kk = k < n ? k : n, aa = a < n ? a : n;
	rc = RECAM_ENOMEM;
	out->winners = malloc((kk ? kk : 1) * sizeof(*out->winners));
	out->alternates = malloc((aa ? aa : 1) * sizeof(*out->alternates));
	if (out->winners == NULL || out->alternates == NULL)
		goto fail;
	if ((rc = fenwick_build(&f, e, n)) != 0 || (rc = won_init(&won)) != 0)
		goto fail;
	/* Every pick takes an entry of positive weight out of the pool, so
	 * there are at most n; the bound turns a future bug into a failed
	 * test rather than a hung draw. */
	for (size_t picks = 0; picks < n && pool > 0 && out->n_winners + out->n_alternates < kk + aa; picks++) {
		uint64_t w, r;
		do
			w = stream_word(&st);
		while (!recam_lottery_uniform_accept(w, 64, pool, &r));
		size_t i = fenwick_find(&f, r);
		fenwick_remove(&f, i, e[i].weight);
		pool -= e[i].weight;
		/* A participant who already won is skipped: the entry leaves the
		 * pool and the pick is void. Removing that participant's other
		 * entries lazily like this gives every remaining entry the same
		 * chance as removing them all at the win would (a void pick only
		 * conditions on the entries left), without grouping all n entries
		 * by participant first. */
		if (one_win_per_participant) {
			bool added;
			if ((rc = won_add(&won, e[i].participant_id, &added)) != 0)
				goto fail;
			if (!added)
				continue;
		}
		if (out->n_winners < kk)
			out->winners[out->n_winners++] = i;
		else
			out->alternates[out->n_alternates++] = i;
	}
	rc = 0;
fail:
	stream_wipe(&st);
	free(f.tree);
	won_free(&won);
	if (rc != 0)
		recam_draw_result_free(out);
	return rc;
}

int recam_draw_run(const unsigned char seed[RECAM_DRAW_SEED_BYTES], const recam_draw_entry *e, size_t n,
		   size_t k, size_t a, bool one_win_per_participant, recam_draw_result *out)
{
	if (out == NULL || seed == NULL)
		return RECAM_EINVAL;
	memset(out, 0, sizeof(*out));
	int rc = recam_draw_check(e, n, NULL);
	return rc != 0 ? rc : draw_run(seed, e, n, k, a, one_win_per_participant, out);
}

/* ---- the published record ---- */

static void ids_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void recam_draw_record_free(recam_draw_record *rec)
{
	if (rec == NULL)
		return;
	ids_free(rec->winners, rec->n_winners);
	ids_free(rec->alternates, rec->n_alternates);
	sodium_memzero(rec, sizeof(*rec));
}

int recam_draw_commit(const recam_rng *rng, const recam_draw_entry *e, size_t n, size_t k, size_t a,
		      bool one_win_per_participant, recam_draw_record *rec,
		      unsigned char seed[RECAM_DRAW_SEED_BYTES])
{
	if (rec == NULL || seed == NULL || k > RECAM_DRAW_ENTRIES_MAX || a > RECAM_DRAW_ENTRIES_MAX)
		return RECAM_EINVAL;
	memset(rec, 0, sizeof(*rec));
	uint64_t tw;
	int rc = recam_draw_list_hash(e, n, rec->list_hash);
	if (rc == 0)
		rc = total_weight(e, n, &tw);
	if (rc != 0)
		return rc;
	recam_lottery_random_bytes(rng, seed, RECAM_DRAW_SEED_BYTES);
	crypto_hash_sha256(rec->seed_hash, seed, RECAM_DRAW_SEED_BYTES);
	rec->version = RECAM_DRAW_VERSION;
	rec->entries = n;
	rec->total_weight = tw;
	rec->k = k;
	rec->a = a;
	rec->one_win_per_participant = one_win_per_participant;
	return 0;
}

static char **ids_of(const recam_draw_entry *e, const size_t *idx, size_t n)
{
	char **v = calloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; v && i < n; i++)
		if ((v[i] = strdup(e[idx[i]].entry_id)) == NULL) {
			ids_free(v, i);
			return NULL;
		}
	return v;
}

int recam_draw_execute(recam_draw_record *rec, const unsigned char seed[RECAM_DRAW_SEED_BYTES],
		       const recam_draw_entry *e, size_t n)
{
	if (rec == NULL || seed == NULL || rec->has_result || rec->version != RECAM_DRAW_VERSION)
		return RECAM_EINVAL;
	unsigned char h[RECAM_DRAW_HASH_BYTES];
	crypto_hash_sha256(h, seed, RECAM_DRAW_SEED_BYTES);
	if (sodium_memcmp(h, rec->seed_hash, sizeof(h)) != 0)
		return RECAM_ECONFLICT;
	int rc = recam_draw_list_hash(e, n, h);
	if (rc != 0)
		return rc;
	/* The list drawn from must be the committed one: a list changed between
	 * commitment and draw would make the published record unverifiable. */
	if (n != rec->entries || memcmp(h, rec->list_hash, sizeof(h)) != 0)
		return RECAM_ECONFLICT;
	recam_draw_result res;
	if ((rc = draw_run(seed, e, n, rec->k, rec->a, rec->one_win_per_participant, &res)) != 0)
		return rc;
	char **w = ids_of(e, res.winners, res.n_winners);
	char **al = w ? ids_of(e, res.alternates, res.n_alternates) : NULL;
	if (w == NULL || al == NULL) {
		ids_free(w, res.n_winners);
		recam_draw_result_free(&res);
		return RECAM_ENOMEM;
	}
	rec->winners = w;
	rec->n_winners = res.n_winners;
	rec->alternates = al;
	rec->n_alternates = res.n_alternates;
	rec->has_result = true;
	memcpy(rec->seed, seed, RECAM_DRAW_SEED_BYTES);
	rec->has_seed = true;
	recam_draw_result_free(&res);
	return 0;
}

static json_t *hex_json(const unsigned char *b, size_t n)
{
	char hex[2 * 64 + 1];
	sodium_bin2hex(hex, sizeof(hex), b, n);
	return json_string(hex);
}

static json_t *ids_json(char *const *v, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, json_string(v[i])) != 0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

json_t *recam_draw_record_to_json(const recam_draw_record *rec)
{
	if (rec == NULL)
		return NULL;
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	int bad = 0;
	bad |= json_object_set_new(o, "algorithm", json_string(RECAM_DRAW_ALGORITHM));
	bad |= json_object_set_new(o, "version", json_integer(rec->version));
	bad |= json_object_set_new(o, "seed_sha256", hex_json(rec->seed_hash, RECAM_DRAW_HASH_BYTES));
	bad |= json_object_set_new(o, "list_sha256", hex_json(rec->list_hash, RECAM_DRAW_HASH_BYTES));
	bad |= json_object_set_new(o, "entries", json_integer((json_int_t)rec->entries));
	bad |= json_object_set_new(o, "total_weight", json_integer((json_int_t)rec->total_weight));
	bad |= json_object_set_new(o, "winners_wanted", json_integer((json_int_t)rec->k));
	bad |= json_object_set_new(o, "alternates_wanted", json_integer((json_int_t)rec->a));
	bad |= json_object_set_new(o, "one_win_per_participant", json_boolean(rec->one_win_per_participant));
	if (rec->has_result) {
		bad |= json_object_set_new(o, "winners", ids_json(rec->winners, rec->n_winners));
		bad |= json_object_set_new(o, "alternates", ids_json(rec->alternates, rec->n_alternates));
	}
	if (rec->has_seed)
		bad |= json_object_set_new(o, "seed", hex_json(rec->seed, RECAM_DRAW_SEED_BYTES));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int why_set(char *why, size_t whylen, const char *field, const char *what)
{
	if (why && whylen)
		snprintf(why, whylen, "%s: %s", field, what);
	return RECAM_EINVAL;
}

static bool get_hex(const json_t *o, const char *key, unsigned char *out, size_t n)
{
	const json_t *v = json_object_get(o, key);
	const char *s = json_string_value(v);
	/* Lower case only: one spelling per value keeps records comparable. */
	if (s == NULL || json_string_length(v) != 2 * n)
		return false;
	for (size_t i = 0; i < 2 * n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	size_t got = 0;
	return sodium_hex2bin(out, n, s, 2 * n, NULL, &got, NULL) == 0 && got == n;
}

static bool get_count(const json_t *o, const char *key, uint64_t max, uint64_t *out)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

static bool get_ids(const json_t *o, const char *key, size_t max, char ***out, size_t *n)
{
	const json_t *arr = json_object_get(o, key);
	if (!json_is_array(arr) || json_array_size(arr) > max)
		return false;
	size_t len = json_array_size(arr);
	char **v = calloc(len ? len : 1, sizeof(*v));
	if (v == NULL)
		return false;
	for (size_t i = 0; i < len; i++) {
		const json_t *s = json_array_get(arr, i);
		const char *str = json_string_value(s);
		/* strlen == length refuses an embedded NUL that would hide a tail. */
		if (str == NULL || strlen(str) != json_string_length(s) || !id_ok(str) ||
		    (v[i] = strdup(str)) == NULL) {
			ids_free(v, i);
			return false;
		}
	}
	*out = v;
	*n = len;
	return true;
}

int recam_draw_record_from_json(const json_t *j, recam_draw_record *rec, char *why, size_t whylen)
{
	static const char *const known[] = {
	    "algorithm",      "version",        "seed_sha256",			"list_sha256",
	    "entries",	      "total_weight",   "winners_wanted",		"alternates_wanted",
	    "one_win_per_participant", "winners", "alternates", "seed", NULL};
	if (rec == NULL)
		return RECAM_EINVAL;
	memset(rec, 0, sizeof(*rec));
	if (!json_is_object(j))
		return why_set(why, whylen, "record", "not a JSON object");
	const char *key;
	const json_t *val;
	json_object_foreach((json_t *)j, key, val) {
		size_t i = 0;
		while (known[i] && strcmp(known[i], key) != 0)
			i++;
		if (known[i] == NULL)
			return why_set(why, whylen, key, "unknown field");
	}
	const char *alg = json_string_value(json_object_get(j, "algorithm"));
	if (alg == NULL || strcmp(alg, RECAM_DRAW_ALGORITHM) != 0)
		return why_set(why, whylen, "algorithm", "not " RECAM_DRAW_ALGORITHM);
	const json_t *ver = json_object_get(j, "version");
	if (!json_is_integer(ver) || json_integer_value(ver) != RECAM_DRAW_VERSION)
		return why_set(why, whylen, "version", "unsupported version");
	rec->version = RECAM_DRAW_VERSION;
	if (!get_hex(j, "seed_sha256", rec->seed_hash, RECAM_DRAW_HASH_BYTES))
		return why_set(why, whylen, "seed_sha256", "64 lower-case hex digits expected");
	if (!get_hex(j, "list_sha256", rec->list_hash, RECAM_DRAW_HASH_BYTES))
		return why_set(why, whylen, "list_sha256", "64 lower-case hex digits expected");
	uint64_t k, a;
	if (!get_count(j, "entries", RECAM_DRAW_ENTRIES_MAX, &rec->entries))
		return why_set(why, whylen, "entries", "a count within bounds expected");
	if (!get_count(j, "total_weight", (uint64_t)INT64_MAX, &rec->total_weight))
		return why_set(why, whylen, "total_weight", "a count within bounds expected");
	if (!get_count(j, "winners_wanted", RECAM_DRAW_ENTRIES_MAX, &k))
		return why_set(why, whylen, "winners_wanted", "a count within bounds expected");
	if (!get_count(j, "alternates_wanted", RECAM_DRAW_ENTRIES_MAX, &a))
		return why_set(why, whylen, "alternates_wanted", "a count within bounds expected");
	rec->k = (size_t)k;
	rec->a = (size_t)a;
	const json_t *one = json_object_get(j, "one_win_per_participant");
	if (!json_is_boolean(one))
		return why_set(why, whylen, "one_win_per_participant", "true or false expected");
	rec->one_win_per_participant = json_is_true(one);
	bool hw = json_object_get(j, "winners") != NULL, ha = json_object_get(j, "alternates") != NULL;
	if (hw != ha)
		return why_set(why, whylen, hw ? "alternates" : "winners", "winners and alternates go together");
	if (hw) {
		/* A record may list fewer than wanted (not enough participants),
		 * never more. */
		if (!get_ids(j, "winners", rec->k, &rec->winners, &rec->n_winners))
			return why_set(why, whylen, "winners", "at most winners_wanted entry ids expected");
		if (!get_ids(j, "alternates", rec->a, &rec->alternates, &rec->n_alternates)) {
			recam_draw_record_free(rec);
			return why_set(why, whylen, "alternates", "at most alternates_wanted entry ids expected");
		}
		rec->has_result = true;
	}
	if (json_object_get(j, "seed") != NULL) {
		if (!get_hex(j, "seed", rec->seed, RECAM_DRAW_SEED_BYTES)) {
			recam_draw_record_free(rec);
			return why_set(why, whylen, "seed", "64 lower-case hex digits expected");
		}
		rec->has_seed = true;
	}
	return 0;
}

/* ---- verification ---- */

bool recam_draw_same_commitment(const recam_draw_record *before, const recam_draw_record *after)
{
	return before && after && before->version == after->version &&
	       memcmp(before->seed_hash, after->seed_hash, RECAM_DRAW_HASH_BYTES) == 0 &&
	       memcmp(before->list_hash, after->list_hash, RECAM_DRAW_HASH_BYTES) == 0 &&
	       before->entries == after->entries && before->total_weight == after->total_weight &&
	       before->k == after->k && before->a == after->a &&
	       before->one_win_per_participant == after->one_win_per_participant;
}

static int mismatch(recam_draw_mismatch *mm, recam_draw_mismatch_kind kind, size_t index, const char *expected,
		    const char *recorded, const char *msg)
{
	if (mm) {
		mm->kind = kind;
		mm->index = index;
		snprintf(mm->expected, sizeof(mm->expected), "%s", expected ? expected : "");
		snprintf(mm->recorded, sizeof(mm->recorded), "%s", recorded ? recorded : "");
		snprintf(mm->message, sizeof(mm->message), "%s", msg);
	}
	return RECAM_ECONFLICT;
}

/* First position where the re-derived ids and the recorded ids differ,
 * counting a missing element as a difference; -1 when they are equal. */
static int compare_ids(const recam_draw_entry *e, const size_t *idx, size_t n, char *const *rec, size_t rn,
		       recam_draw_mismatch_kind kind, const char *what, recam_draw_mismatch *mm)
{
	size_t top = n > rn ? n : rn;
	for (size_t i = 0; i < top; i++) {
		const char *exp = i < n ? e[idx[i]].entry_id : NULL;
		const char *got = i < rn ? rec[i] : NULL;
		if (exp && got && strcmp(exp, got) == 0)
			continue;
		char msg[256];
		if (exp && got)
			snprintf(msg, sizeof(msg), "%s %zu: the draw gives %s, the record says %s", what, i + 1, exp,
				 got);
		else if (exp)
			snprintf(msg, sizeof(msg), "%s %zu: the draw gives %s, the record ends before it", what,
				 i + 1, exp);
		else
			snprintf(msg, sizeof(msg), "%s %zu: the record lists %s, the draw has no more", what, i + 1,
				 got);
		return mismatch(mm, kind, i, exp, got, msg);
	}
	return 0;
}

int recam_draw_verify(const recam_draw_record *rec, const recam_draw_entry *e, size_t n, recam_draw_mismatch *mm)
{
	if (mm)
		memset(mm, 0, sizeof(*mm));
	if (rec == NULL || rec->version != RECAM_DRAW_VERSION)
		return RECAM_EINVAL;
	if (!rec->has_seed)
		return mismatch(mm, RECAM_DRAW_NO_SEED, 0, NULL, NULL, "the record has no published seed yet");
	if (!rec->has_result)
		return mismatch(mm, RECAM_DRAW_NO_RESULT, 0, NULL, NULL, "the record has no winners yet");
	unsigned char h[RECAM_DRAW_HASH_BYTES];
	crypto_hash_sha256(h, rec->seed, RECAM_DRAW_SEED_BYTES);
	if (memcmp(h, rec->seed_hash, sizeof(h)) != 0)
		return mismatch(mm, RECAM_DRAW_SEED, 0, NULL, NULL,
				"SHA-256 of the published seed is not the committed seed_sha256");
	size_t bad = 0;
	int rc = recam_draw_check(e, n, &bad);
	if (rc == RECAM_EINVAL) {
		char msg[256];
		snprintf(msg, sizeof(msg), "list entry %zu is invalid or out of canonical order", bad + 1);
		return mismatch(mm, RECAM_DRAW_LIST_INVALID, bad, n > bad ? e[bad].entry_id : NULL, NULL, msg);
	}
	if (rc != 0)
		return rc;
	uint64_t tw;
	if ((rc = total_weight(e, n, &tw)) != 0)
		return mismatch(mm, RECAM_DRAW_LIST_INVALID, 0, NULL, NULL, "the list's weights sum to 2^63 or more");
	char msg[256];
	if (n != rec->entries || tw != rec->total_weight) {
		snprintf(msg, sizeof(msg), "the list has %zu entries of total weight %llu, the record says %llu of %llu",
			 n, (unsigned long long)tw, (unsigned long long)rec->entries,
			 (unsigned long long)rec->total_weight);
		return mismatch(mm, RECAM_DRAW_LIST_HASH, 0, NULL, NULL, msg);
	}
	list_hash(e, n, h);
	if (memcmp(h, rec->list_hash, sizeof(h)) != 0)
		return mismatch(mm, RECAM_DRAW_LIST_HASH, 0, NULL, NULL,
				"SHA-256 of the list is not the committed list_sha256");
	recam_draw_result res;
	if ((rc = draw_run(rec->seed, e, n, rec->k, rec->a, rec->one_win_per_participant, &res)) != 0)
		return rc;
	rc = compare_ids(e, res.winners, res.n_winners, rec->winners, rec->n_winners, RECAM_DRAW_WINNER, "winner",
			 mm);
	if (rc == 0)
		rc = compare_ids(e, res.alternates, res.n_alternates, rec->alternates, rec->n_alternates,
				 RECAM_DRAW_ALTERNATE, "alternate", mm);
	recam_draw_result_free(&res);
	return rc;
}
