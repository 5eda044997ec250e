#include "thread_quote.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "entity.h"
#include "utf8.h"

enum label_role { LABEL_NONE, LABEL_FROM, LABEL_TO, LABEL_OTHER };

struct label {
	const char *text; /* lower case where ASCII */
	enum label_role role;
};

static const struct label labels[] = {
    {"from", LABEL_FROM},
    {"差出人", LABEL_FROM},
    {"送信者", LABEL_FROM},
    {"von", LABEL_FROM},
    {"de", LABEL_FROM},
    {"da", LABEL_FROM},
    {"van", LABEL_FROM},
    {"to", LABEL_TO},
    {"宛先", LABEL_TO},
    {"an", LABEL_TO},
    {"à", LABEL_TO},
    {"À", LABEL_TO},
    {"a", LABEL_TO},
    {"para", LABEL_TO},
    {"aan", LABEL_TO},
    {"cc", LABEL_TO},
    {"kopie", LABEL_TO},
    {"copie à", LABEL_TO},
    {"copia", LABEL_TO},
    {"cópia", LABEL_TO},
    {"sent", LABEL_OTHER},
    {"date", LABEL_OTHER},
    {"送信日時", LABEL_OTHER},
    {"日付", LABEL_OTHER},
    {"gesendet", LABEL_OTHER},
    {"datum", LABEL_OTHER},
    {"envoyé", LABEL_OTHER},
    {"envoyé le", LABEL_OTHER},
    {"enviado", LABEL_OTHER},
    {"enviado el", LABEL_OTHER},
    {"enviada em", LABEL_OTHER},
    {"enviado em", LABEL_OTHER},
    {"fecha", LABEL_OTHER},
    {"inviato", LABEL_OTHER},
    {"data", LABEL_OTHER},
    {"verzonden", LABEL_OTHER},
    {"verzonden op", LABEL_OTHER},
    {"subject", LABEL_OTHER},
    {"件名", LABEL_OTHER},
    {"betreff", LABEL_OTHER},
    {"objet", LABEL_OTHER},
    {"asunto", LABEL_OTHER},
    {"oggetto", LABEL_OTHER},
    {"assunto", LABEL_OTHER},
    {"onderwerp", LABEL_OTHER},
};

#define LABEL_MAX_BYTES 24

struct quote_state {
	struct thread_quote *q;
	unsigned since_from; /* non-blank lines since a From line, or 0 */
	unsigned since_sep;  /* non-blank lines since a separator, or 0 */
	int confirmed;	     /* the From line's block is a block */
	int has_rcpt;	     /* and has had a To or Cc line */
	int continues;	     /* the last line was a To or Cc line */
	char from[THREAD_QUOTE_LINE_BYTES + 1]; /* the pending From value */
	char prev[THREAD_QUOTE_LINE_BYTES + 1]; /* unmatched last line */
};

void thread_quote_init(struct thread_quote *q)
{
	memset(q, 0, sizeof(*q));
}

void thread_quote_free(struct thread_quote *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->p[i].name);
		free(q->p[i].addr);
	}
	free(q->p);
	memset(q, 0, sizeof(*q));
}

size_t thread_quote_addresses(const struct thread_quote *q)
{
	size_t n = 0;

	for (size_t i = 0; i < q->n; i++)
		n += q->p[i].addr != NULL;
	return n;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Bytes of trailing white space at the end of s[0..n), NBSP included. */
static size_t trailing_space(const char *s, size_t n)
{
	size_t k = 0;

	for (;;) {
		if (n - k >= 1 && is_space((unsigned char)s[n - k - 1]))
			k++;
		else if (n - k >= 2 && !memcmp(s + n - k - 2, "\xc2\xa0", 2))
			k += 2;
		else if (n - k >= 3 &&
			 !memcmp(s + n - k - 3, "\xe2\x80\xaf", 3))
			k += 3;
		else if (n - k >= 3 &&
			 !memcmp(s + n - k - 3, "\xe3\x80\x80", 3))
			k += 3;
		else
			return k;
	}
}

/* n cut back to a UTF-8 character boundary of s (at most 3 bytes back:
 * further, the bytes are no UTF-8 anyway). */
static size_t utf8_cut(const char *s, size_t n)
{
	for (unsigned k = 0; k < 3 && n && ((unsigned char)s[n] & 0xc0) == 0x80;
	     k++)
		n--;
	return n;
}

/* A copy of s[0..n), trimmed of spaces and quotes, at most max bytes from
 * its start (or its end when tail), or NULL when nothing is left. */
static char *trimmed_copy(const char *s, size_t n, size_t max, int tail)
{
	while (n && (is_space((unsigned char)*s) || *s == '"' || *s == '\'')) {
		s++;
		n--;
	}
	n -= trailing_space(s, n);
	while (n && (s[n - 1] == '"' || s[n - 1] == '\'')) {
		n--;
		n -= trailing_space(s, n);
	}
	if (!n)
		return NULL;
	if (n > max) {
		if (tail) {
			size_t skip = n - max;
			for (unsigned c = 0;
			     c < 3 && skip < n &&
			     ((unsigned char)s[skip] & 0xc0) == 0x80;
			     c++)
				skip++;
			s += skip;
			n -= skip;
		} else {
			n = utf8_cut(s, max);
		}
	}
	return n ? strndup(s, n) : NULL;
}

static int same_text(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Takes name and addr (either may be NULL); drops duplicates. */
static int add_participant(struct thread_quote *q, char *name, char *addr)
{
	if (!name && !addr)
		return 0;
	for (size_t i = 0; i < q->n; i++) {
		struct thread_participant *p = &q->p[i];
		if (addr ? same_text(p->addr, addr)
			 : !p->addr && same_text(p->name, name)) {
			if (!p->name && name) {
				p->name = name;
				name = NULL;
			}
			free(name);
			free(addr);
			return 0;
		}
	}
	if (q->n >= THREAD_QUOTE_PARTICIPANTS) {
		q->limited = 1;
		free(name);
		free(addr);
		return 0;
	}
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 8;
		struct thread_participant *p = realloc(q->p, cap * sizeof(*p));
		if (!p) {
			free(name);
			free(addr);
			return -ENOMEM;
		}
		q->p = p;
		q->cap = cap;
	}
	q->p[q->n].name = name;
	q->p[q->n].addr = addr;
	q->n++;
	return 0;
}

static int is_local_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') ||
	       (c && strchr(".!#$%&'*+-/=?^_`{|}~", c));
}

static int is_domain_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/* The first address in s[0..n): its start and length; 0 when none. */
static int find_address(const char *s, size_t n, size_t *start, size_t *len)
{
	for (size_t at = 0; at < n; at++) {
		size_t b = at, e = at + 1, dot = 0;
		if (s[at] != '@')
			continue;
		while (b > 0 && is_local_char((unsigned char)s[b - 1]))
			b--;
		while (b < at && (s[b] == '.' || s[b] == '\''))
			b++;
		while (e < n && is_domain_char((unsigned char)s[e]))
			e++;
		while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
			e--;
		for (size_t i = at + 1; i < e; i++)
			if (s[i] == '.')
				dot = i;
		if (b == at || !dot || dot >= e - 1 || s[at + 1] == '.' ||
		    e - b > THREAD_QUOTE_ADDR_BYTES)
			continue;
		*start = b;
		*len = e - b;
		return 1;
	}
	return 0;
}

/* One mailbox as an Outlook line shows it: Name <addr>, Name
 * [mailto:addr], "addr", or Name alone. */
static int add_mailbox(struct thread_quote *q, const char *s, size_t n)
{
	size_t start = 0, len, name_end;
	char *addr = NULL, *name;

	if (find_address(s, n, &start, &len)) {
		addr = address_lower(strndup(s + start, len));
		if (!addr)
			return -ENOMEM;
		name_end = start;
		for (size_t i = 0; i < start; i++)
			if (s[i] == '<' || s[i] == '[' || s[i] == '(') {
				name_end = i;
				break;
			}
	} else {
		name_end = n;
	}
	name = trimmed_copy(s, name_end, THREAD_QUOTE_NAME_BYTES, 0);
	if (addr && name && strchr(name, '@')) {
		free(name);
		name = NULL;
	}
	if (!addr && name && !strpbrk(name, "<>[]@"))
		return add_participant(q, name, NULL);
	if (!addr) {
		free(name);
		return 0;
	}
	return add_participant(q, name, addr);
}

/* The mailboxes of a From, To or Cc value: ';' separates them, ',' too
 * when a piece holds more than one address (a bare "Last, First" stays
 * one name). */
static int add_mailboxes(struct thread_quote *q, const char *v, size_t n)
{
	while (n) {
		const char *semi = memchr(v, ';', n);
		size_t piece = semi ? (size_t)(semi - v) : n;
		const char *at = memchr(v, '@', piece);
		int several =
		    at && memchr(at + 1, '@', piece - (size_t)(at - v) - 1);
		int rc = 0;

		if (several) {
			const char *p = v;
			size_t left = piece;
			while (left && rc == 0) {
				const char *comma = memchr(p, ',', left);
				size_t item =
				    comma ? (size_t)(comma - p) : left;
				rc = add_mailbox(q, p, item);
				p += item + (comma != NULL);
				left -= item + (comma != NULL);
			}
		} else {
			rc = add_mailbox(q, v, piece);
		}
		if (rc < 0)
			return rc;
		v += piece + (semi != NULL);
		n -= piece + (semi != NULL);
	}
	return 0;
}

/* The role of a "Label: value" line, and where its value starts. */
static enum label_role label_of(const char *s, size_t n, size_t *value)
{
	char lower[LABEL_MAX_BYTES + 1];
	size_t colon, clen = 0, k;

	for (colon = 0; colon < n && colon <= LABEL_MAX_BYTES + 3; colon++) {
		if (s[colon] == ':') {
			clen = 1;
			break;
		}
		if (n - colon >= 3 && !memcmp(s + colon, "\xef\xbc\x9a", 3)) {
			clen = 3;
			break;
		}
	}
	if (!clen)
		return LABEL_NONE;
	k = colon - trailing_space(s, colon);
	if (!k || k > LABEL_MAX_BYTES)
		return LABEL_NONE;
	for (size_t i = 0; i < k; i++)
		lower[i] = ascii_lower(s[i]);
	lower[k] = '\0';
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (strcmp(lower, labels[i].text) != 0)
			continue;
		*value = colon + clen;
		while (*value < n &&
		       (s[*value] == '*' || is_space((unsigned char)s[*value])))
			(*value)++;
		return labels[i].role;
	}
	return LABEL_NONE;
}

static int starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && !memcmp(s, prefix, k);
}

static int contains(const char *s, size_t n, const char *what)
{
	return memmem(s, n, what, strlen(what)) != NULL;
}

/* s ends with word and a colon (ASCII or full-width, spaces before). */
static int ends_with_colon(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);

	if (n >= 1 && s[n - 1] == ':')
		n--;
	else if (n >= 3 && !memcmp(s + n - 3, "\xef\xbc\x9a", 3))
		n -= 3;
	else
		return 0;
	n -= trailing_space(s, n);
	return n >= k && !memcmp(s + n - k, word, k);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_attribution(const char *s, size_t n)
{
	size_t d = 0;

	if (starts_with(s, n, "On ") && ends_with_colon(s, n, "wrote"))
		return 1;
	if (ends_with_colon(s, n, "書きました"))
		return 1;
	while (d < n && d < 4 && is_digit(s[d]))
		d++;
	if (d == 4 && starts_with(s + d, n - d, "年") &&
	    ends_with_colon(s, n, ">"))
		return 1;
	if ((starts_with(s, n, "Am ") && contains(s, n, " schrieb ")) ||
	    (starts_with(s, n, "Op ") && contains(s, n, " schreef ")))
		return ends_with_colon(s, n, "");
	return (starts_with(s, n, "Le ") && ends_with_colon(s, n, "écrit")) ||
	       (starts_with(s, n, "El ") &&
		ends_with_colon(s, n, "escribió")) ||
	       (starts_with(s, n, "Il ") && ends_with_colon(s, n, "scritto")) ||
	       (starts_with(s, n, "Em ") && ends_with_colon(s, n, "escreveu"));
}

static int add_attribution(struct thread_quote *q, const char *s, size_t n)
{
	size_t start, len;
	int found = 0;

	if (q->blocks + q->attributions >= THREAD_QUOTE_BLOCKS) {
		q->limited = 1;
		return 0;
	}
	q->attributions++;
	while (find_address(s, n, &start, &len)) {
		char *addr = address_lower(strndup(s + start, len));
		if (!addr || add_participant(q, NULL, addr) < 0)
			return -ENOMEM;
		found = 1;
		s += start + len;
		n -= start + len;
	}
	if (!found) {
		char *name = trimmed_copy(s, n, THREAD_QUOTE_NAME_BYTES, 1);
		if (name && add_participant(q, name, NULL) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int is_separator(const char *s, size_t n)
{
	size_t u = 0;

	if (starts_with(s, n, "-----") || starts_with(s, n, "Begin forwarded"))
		return 1;
	while (u < n && s[u] == '_')
		u++;
	return u >= 10;
}

static int confirm_block(struct quote_state *st)
{
	struct thread_quote *q = st->q;

	if (q->blocks + q->attributions >= THREAD_QUOTE_BLOCKS) {
		q->limited = 1;
		st->since_from = 0;
		return 0;
	}
	q->blocks++;
	st->confirmed = 1;
	st->has_rcpt = 0;
	return add_mailboxes(q, st->from, strlen(st->from));
}

static int header_line(struct quote_state *st, enum label_role role,
		       const char *v, size_t n)
{
	int rc = 0;

	if (role == LABEL_FROM) {
		memcpy(st->from, v, n);
		st->from[n] = '\0';
		st->since_from = 1;
		st->confirmed = 0;
		if (st->since_sep)
			rc = confirm_block(st);
		st->since_sep = 0;
		return rc;
	}
	if (!st->since_from)
		return 0;
	if (!st->confirmed && (rc = confirm_block(st)) < 0)
		return rc;
	if (role == LABEL_TO && st->since_from) {
		if (!st->has_rcpt)
			st->q->recipient_blocks++;
		st->has_rcpt = 1;
		st->continues = 1;
		rc = add_mailboxes(st->q, v, n);
	}
	return rc;
}

static int quote_line(struct quote_state *st, const char *s, size_t n)
{
	enum label_role role;
	size_t value = 0;
	int continues = st->continues, rc = 0;

	while (n && (*s == '>' || *s == '*' || *s == '|' ||
		     is_space((unsigned char)*s))) {
		s++;
		n--;
	}
	n -= trailing_space(s, n);
	if (!n)
		return 0;
	if (n > THREAD_QUOTE_LINE_BYTES)
		n = utf8_cut(s, THREAD_QUOTE_LINE_BYTES);
	st->continues = 0;
	if (st->since_from && ++st->since_from > THREAD_QUOTE_BLOCK_LINES + 1)
		st->since_from = 0;
	if (st->since_sep && ++st->since_sep > 3)
		st->since_sep = 0;
	role = label_of(s, n, &value);
	if (role != LABEL_NONE) {
		st->prev[0] = '\0';
		return header_line(st, role, s + value, n - value);
	}
	if (continues && st->confirmed && st->since_from && memchr(s, '@', n)) {
		st->continues = 1;
		return add_mailboxes(st->q, s, n);
	}
	if (is_separator(s, n)) {
		st->since_sep = 1;
		st->prev[0] = '\0';
		return 0;
	}
	if (is_attribution(s, n)) {
		st->prev[0] = '\0';
		return add_attribution(st->q, s, n);
	}
	if (st->prev[0]) {
		size_t p = strlen(st->prev);
		if (p + 1 + n <= THREAD_QUOTE_LINE_BYTES) {
			st->prev[p] = ' ';
			memcpy(st->prev + p + 1, s, n);
			if (is_attribution(st->prev, p + 1 + n)) {
				rc =
				    add_attribution(st->q, st->prev, p + 1 + n);
				st->prev[0] = '\0';
				return rc;
			}
		}
	}
	memcpy(st->prev, s, n);
	st->prev[n] = '\0';
	return 0;
}

int thread_quote_scan_text(struct thread_quote *q, struct span text)
{
	struct quote_state *st = calloc(1, sizeof(*st));
	const char *s = (const char *)text.ptr;
	size_t n = text.len;
	int rc = 0;

	if (!st)
		return -ENOMEM;
	st->q = q;
	if (n > THREAD_QUOTE_BYTES) {
		n = THREAD_QUOTE_BYTES;
		q->limited = 1;
	}
	while (n && rc == 0) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) : n;
		if (memchr(s, '\0', len) == NULL)
			rc = quote_line(st, s, len);
		s += len + (nl != NULL);
		n -= len + (nl != NULL);
	}
	free(st);
	return rc;
}

/* ---- HTML turned to text ---- */

static int tag_is(const char *t, size_t n, const char *name)
{
	size_t k = strlen(name), i = 0;

	if (n && t[0] == '/')
		t++, n--;
	for (; i < k; i++)
		if (i >= n || ascii_lower(t[i]) != name[i])
			return 0;
	return i == n ||
	       !((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
		 (t[i] >= '0' && t[i] <= '9'));
}

static int tag_breaks_line(const char *t, size_t n)
{
	static const char *const names[] = {
	    "br", "p",	"div", "tr", "li", "hr", "table", "blockquote",
	    "h1", "h2", "h3",  "h4", "h5", "h6", "pre",	  "td",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (tag_is(t, n, names[i]))
			return 1;
	return 0;
}

/* Skips to past "</name" ... '>' from s, or to the end. */
static size_t skip_element(const char *s, size_t n, const char *name)
{
	size_t k = strlen(name);

	for (size_t i = 0; i + k + 2 <= n; i++)
		if (s[i] == '<' && s[i + 1] == '/' &&
		    tag_is(s + i + 2, n - i - 2, name) && k + 2 <= n - i) {
			const char *gt = memchr(s + i, '>', n - i);
			return gt ? (size_t)(gt - s) + 1 : n;
		}
	return n;
}

int thread_quote_scan_html(struct thread_quote *q, struct span html)
{
	const char *s = (const char *)html.ptr;
	size_t n =
	    html.len < THREAD_QUOTE_BYTES ? html.len : THREAD_QUOTE_BYTES;
	char *text = malloc(n + 1);
	size_t o = 0;
	int rc;

	if (!text)
		return -ENOMEM;
	if (html.len > n)
		q->limited = 1;
	for (size_t i = 0; i < n;) {
		size_t used = 0, k;
		if (s[i] == '<') {
			const char *gt = memchr(s + i, '>', n - i);
			size_t len = gt ? (size_t)(gt - (s + i)) + 1 : n - i;
			const char *t = s + i + 1;
			size_t tn = len > 2 ? len - 2 : 0;
			if (tn &&
			    (tag_is(t, tn, "script") ||
			     tag_is(t, tn, "style")) &&
			    t[0] != '/') {
				i += len;
				i += skip_element(s + i, n - i,
						  tag_is(t, tn, "script")
						      ? "script"
						      : "style");
				continue;
			}
			if (tn && tag_breaks_line(t, tn))
				text[o++] = '\n';
			i += len;
			continue;
		}
		if (s[i] == '&' &&
		    (k = entity_decode(s + i, n - i, 1, text + o, &used))) {
			o += k;
			i += used;
			continue;
		}
		text[o++] = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
		i++;
	}
	rc = thread_quote_scan_text(q, span_make(text, o));
	free(text);
	return rc;
}

int thread_quote_find_address(struct span text, size_t *start, size_t *len)
{
	return find_address((const char *)text.ptr, text.len, start, len);
}
