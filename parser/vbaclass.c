/*
 * vbaclass - keyword classes of VBA source; see vbaclass.h. Keywords
 * match without regard to case, on identifier boundaries where the table
 * says so; auto-exec names match only as the name of a Sub or Function.
 */
#include "vbaclass.h"

#include <stdint.h>
#include <string.h>

enum vbaclass_check {
	VBACLASS_PLAIN,
	VBACLASS_OPEN_FOR, /* "Open ... For Output|Binary|Append" */
	VBACLASS_PUT_HASH, /* "Put #" */
	VBACLASS_DECLARE_LIB,
	VBACLASS_CMD_C, /* "cmd /c", "cmd.exe /k" */
	VBACLASS_CHR_CAT,
	VBACLASS_NOT_AFTER_DOT,
};

struct vbaclass_keyword {
	enum vbaclass_kind kind;
	const char *word;
	unsigned char left, right; /* identifier boundary required */
	enum vbaclass_check check;
	size_t len;
};

/*
 * The tables the scan runs on, built once per call: a class per byte, the
 * keywords per first letter, a 5-bit code per byte (letters 1-26 without
 * regard to case, anything else 0), one bit per hash of four codes that
 * some keyword starts with (a three-letter keyword with any fourth), and
 * the second letters that may follow a first one inside an identifier
 * (keywords that need no boundary on the left).
 */
struct vbaclass_tables {
	uint32_t keywords[26]; /* per first letter: bits of vbaclass_keywords */
	uint32_t second_in[256];   /* per first byte: second letters (bits) */
	uint32_t letter[256];	   /* per byte: its letter's bit, or 0 */
	uint64_t quad[65536 / 64]; /* per vbaclass_quad_hash: a bit */
	uint8_t code[256];	   /* per byte: 1-26 for letters, else 0 */
	uint8_t cls[256];	   /* per byte: VBACLASS_C_* */
};

enum {
	VBACLASS_C_IDENT = 1, /* part of an identifier */
	VBACLASS_C_QUOTE = 2, /* " or ' */
	VBACLASS_C_HEX = 4,   /* a hex digit */
	VBACLASS_C_B64 = 8,   /* a base64 character */
	VBACLASS_C_B64X = 16, /* a base64 character that is no letter */
};

static const struct vbaclass_keyword vbaclass_keywords[] = {
    {VBACLASS_WRITE, "Open", 1, 1, VBACLASS_OPEN_FOR, 4},
    {VBACLASS_WRITE, "Put", 1, 1, VBACLASS_PUT_HASH, 3},
    {VBACLASS_WRITE, "SaveToFile", 1, 1, VBACLASS_PLAIN, 10},
    {VBACLASS_WRITE, "ADODB.Stream", 1, 1, VBACLASS_PLAIN, 12},
    {VBACLASS_WRITE, "FileCopy", 1, 1, VBACLASS_PLAIN, 8},
    {VBACLASS_EXECUTE, "Shell", 1, 1, VBACLASS_NOT_AFTER_DOT, 5},
    {VBACLASS_EXECUTE, "WScript.Shell", 1, 1, VBACLASS_PLAIN, 13},
    {VBACLASS_EXECUTE, "ShellExecute", 1, 0, VBACLASS_PLAIN, 12},
    {VBACLASS_EXECUTE, "CreateObject", 1, 1, VBACLASS_PLAIN, 12},
    {VBACLASS_EXECUTE, "GetObject", 1, 1, VBACLASS_PLAIN, 9},
    {VBACLASS_EXECUTE, "Declare", 1, 1, VBACLASS_DECLARE_LIB, 7},
    {VBACLASS_EXECUTE, "MacScript", 1, 1, VBACLASS_PLAIN, 9},
    {VBACLASS_EXECUTE, "CallByName", 1, 1, VBACLASS_PLAIN, 10},
    {VBACLASS_EXECUTE, "Application.Run", 1, 1, VBACLASS_PLAIN, 15},
    {VBACLASS_SUSPICIOUS, "PowerShell", 0, 0, VBACLASS_PLAIN, 10},
    {VBACLASS_SUSPICIOUS, "cmd", 1, 0, VBACLASS_CMD_C, 3},
    {VBACLASS_SUSPICIOUS, "URLDownloadToFile", 0, 0, VBACLASS_PLAIN, 17},
    {VBACLASS_SUSPICIOUS, "XMLHTTP", 0, 0, VBACLASS_PLAIN, 7},
    {VBACLASS_SUSPICIOUS, "WinHttp", 0, 0, VBACLASS_PLAIN, 7},
    {VBACLASS_SUSPICIOUS, "Environ", 1, 1, VBACLASS_PLAIN, 7},
    {VBACLASS_SUSPICIOUS, "Chr", 1, 0, VBACLASS_CHR_CAT, 3},
    {VBACLASS_SUSPICIOUS, "StrReverse", 1, 1, VBACLASS_PLAIN, 10},
    {VBACLASS_SUSPICIOUS, "regsvr32", 0, 0, VBACLASS_PLAIN, 8},
    {VBACLASS_SUSPICIOUS, "rundll32", 0, 0, VBACLASS_PLAIN, 8},
    {VBACLASS_SUSPICIOUS, "mshta", 0, 0, VBACLASS_PLAIN, 5},
    {VBACLASS_SUSPICIOUS, "certutil", 0, 0, VBACLASS_PLAIN, 8},
    {VBACLASS_SUSPICIOUS, "Kill", 1, 1, VBACLASS_PLAIN, 4},
};

/* Procedures Office runs by itself, matched whole. */
static const char *const vbaclass_auto_names[] = {
    "AutoExec",
    "AutoOpen",
    "Auto_Open",
    "AutoClose",
    "Auto_Close",
    "AutoExit",
    "AutoNew",
    "Document_Open",
    "DocumentOpen",
    "Document_Close",
    "DocumentClose",
    "Document_BeforeClose",
    "DocumentBeforeClose",
    "Document_New",
    "DocumentChange",
    "NewDocument",
    "Workbook_Open",
    "Workbook_Activate",
    "Workbook_Close",
    "Workbook_BeforeClose",
    "Presentation_Open",
};

/* Event handlers of ActiveX controls and UserForms: OBJECT_EVENT. */
static const char *const vbaclass_auto_suffixes[] = {
    "_Click",
    "_DblClick",
    "_Change",
    "_Layout",
    "_Painted",
    "_Painting",
    "_GotFocus",
    "_LostFocus",
    "_MouseHover",
    "_MouseMove",
    "_MouseEnter",
    "_MouseLeave",
    "_Resize",
    "_BeforeNavigate2",
    "_BeforeScriptExecute",
    "_DocumentComplete",
    "_DownloadBegin",
    "_DownloadComplete",
    "_FileDownload",
    "_NavigateComplete2",
    "_NavigateError",
    "_ProgressChange",
    "_PropertyChange",
    "_StatusTextChange",
    "_TitleChange",
    "_OnConnecting",
    "_Initialize",
};

const char *vbaclass_finding(enum vbaclass_kind kind)
{
	static const char *const ids[VBACLASS_COUNT] = {
	    "office.vba.autoexec", "office.vba.write", "office.vba.execute",
	    "office.vba.suspicious"};
	return kind < VBACLASS_COUNT ? ids[kind] : "office.vba.present";
}

static uint8_t vbaclass_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c | 0x20) : c;
}

static int vbaclass_ident(int c)
{
	uint8_t l = vbaclass_lower((uint8_t)c);
	return (l >= 'a' && l <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       c >= 0x80;
}

/* p[0..n) equals word without regard to ASCII case (no locale, no call). */
static int vbaclass_eq_nocase(const uint8_t *p, const char *word, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (vbaclass_lower(p[i]) != vbaclass_lower((uint8_t)word[i]))
			return 0;
	return 1;
}

static int vbaclass_word_at(struct span line, size_t at, const char *word)
{
	size_t n = strlen(word);

	return at <= line.len && line.len - at >= n &&
	       vbaclass_eq_nocase(line.ptr + at, word, n);
}

static size_t vbaclass_skip_blank(struct span line, size_t at)
{
	while (at < line.len && (line.ptr[at] == ' ' || line.ptr[at] == '\t'))
		at++;
	return at;
}

/*
 * What a line holds further on, found once per line (so a line full of
 * "Open" costs one scan, not one per word): the last start of one of
 * the phrases, or -1. Filled on first use.
 */
struct vbaclass_facts {
	long last_for_mode; /* For Output|Binary|Append */
	long last_lib;	    /* " Lib " */
	int known_for_mode, known_lib;
};

static long vbaclass_last_of(struct span line, const char *const *words,
			     size_t nwords)
{
	for (size_t at = line.len; at > 0; at--)
		for (size_t i = 0; i < nwords; i++)
			if (vbaclass_word_at(line, at - 1, words[i]))
				return (long)(at - 1);
	return -1;
}

static int vbaclass_line_has_for_mode(struct span line,
				      struct vbaclass_facts *f, size_t after)
{
	static const char *const modes[] = {"For Output", "For Binary",
					    "For Append"};

	if (!f->known_for_mode) {
		f->last_for_mode = vbaclass_last_of(line, modes, 3);
		f->known_for_mode = 1;
	}
	return f->last_for_mode >= 0 && (size_t)f->last_for_mode >= after;
}

static int vbaclass_line_has_lib(struct span line, struct vbaclass_facts *f,
				 size_t after)
{
	static const char *const lib[] = {" Lib "};

	if (!f->known_lib) {
		f->last_lib = vbaclass_last_of(line, lib, 1);
		f->known_lib = 1;
	}
	return f->last_lib >= 0 && (size_t)f->last_lib >= after;
}

#define VBACLASS_CHR_ARG_MAX 32

static int vbaclass_chr_call_end(struct span line, size_t at, size_t *end)
{
	if (!vbaclass_word_at(line, at, "Chr"))
		return 0;
	at += 3;
	if (at < line.len && strchr("WwBb", line.ptr[at]) && line.ptr[at])
		at++;
	if (at < line.len && line.ptr[at] == '$')
		at++;
	at = vbaclass_skip_blank(line, at);
	if (at >= line.len || line.ptr[at] != '(')
		return 0;
	for (size_t open = at; at < line.len && line.ptr[at] != ')'; at++)
		if (at - open > VBACLASS_CHR_ARG_MAX)
			return 0;
	if (at >= line.len)
		return 0;
	*end = at + 1;
	return 1;
}

/* Chr(..) & Chr(..): two Chr calls joined. */
static int vbaclass_chr_cat(struct span line, size_t at)
{
	size_t end;

	if (!vbaclass_chr_call_end(line, at, &end))
		return 0;
	end = vbaclass_skip_blank(line, end);
	if (end >= line.len || line.ptr[end] != '&')
		return 0;
	end = vbaclass_skip_blank(line, end + 1);
	return vbaclass_chr_call_end(line, end, &at);
}

static int vbaclass_check(const struct vbaclass_keyword *k, struct span line,
			  struct vbaclass_facts *facts, size_t at)
{
	size_t after = at + k->len;

	switch (k->check) {
	case VBACLASS_PLAIN: return 1;
	case VBACLASS_OPEN_FOR:
		return vbaclass_line_has_for_mode(line, facts, after);
	case VBACLASS_PUT_HASH:
		after = vbaclass_skip_blank(line, after);
		return after < line.len && line.ptr[after] == '#';
	case VBACLASS_DECLARE_LIB:
		return vbaclass_line_has_lib(line, facts, after);
	case VBACLASS_CMD_C:
		if (vbaclass_word_at(line, after, ".exe"))
			after += 4;
		after = vbaclass_skip_blank(line, after);
		return after + 1 < line.len && line.ptr[after] == '/' &&
		       strchr("cCkK", line.ptr[after + 1]) &&
		       line.ptr[after + 1];
	case VBACLASS_CHR_CAT: return vbaclass_chr_cat(line, at);
	case VBACLASS_NOT_AFTER_DOT: return at == 0 || line.ptr[at - 1] != '.';
	}
	return 0;
}

#define VBACLASS_NKEYWORDS                                                     \
	(sizeof(vbaclass_keywords) / sizeof(vbaclass_keywords[0]))

static uint32_t vbaclass_letter_bit(uint8_t c)
{
	c = (uint8_t)vbaclass_lower(c);
	return c >= 'a' && c <= 'z' ? 1u << (c - 'a') : 0;
}

#define VBACLASS_QUAD_MASK 0xFFFFFu /* four 5-bit codes */

static unsigned vbaclass_quad_hash(uint32_t quad)
{
	return (quad * 2654435761u) >> 16;
}

static void vbaclass_quad_set(struct vbaclass_tables *t, uint32_t quad)
{
	unsigned h = vbaclass_quad_hash(quad & VBACLASS_QUAD_MASK);

	t->quad[h / 64] |= 1ull << (h % 64);
}

static int vbaclass_quad(const struct vbaclass_tables *t, uint32_t quad)
{
	unsigned h = vbaclass_quad_hash(quad);

	return (int)(t->quad[h / 64] >> (h % 64) & 1);
}

static void vbaclass_tables_init(struct vbaclass_tables *t)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
	    "tuvwxyz0123456789+/=";

	memset(t, 0, sizeof(*t));
	for (unsigned c = 0; c < 256; c++) {
		t->cls[c] =
		    (uint8_t)(vbaclass_ident((int)c) ? VBACLASS_C_IDENT : 0);
		t->letter[c] = vbaclass_letter_bit((uint8_t)c);
	}
	t->cls['"'] |= VBACLASS_C_QUOTE;
	t->cls['\''] |= VBACLASS_C_QUOTE;
	for (const char *h = hex; *h; h++)
		t->cls[(uint8_t)*h] |= VBACLASS_C_HEX;
	for (const char *h = b64; *h; h++)
		t->cls[(uint8_t)*h] |= VBACLASS_C_B64;
	for (const char *h = "0123456789+/"; *h; h++)
		t->cls[(uint8_t)*h] |= VBACLASS_C_B64X;
	for (unsigned c = 'a'; c <= 'z'; c++)
		t->code[c] = t->code[c & ~0x20u] = (uint8_t)(c - 'a' + 1);
	for (size_t i = 0; i < VBACLASS_NKEYWORDS && i < 32; i++) {
		const struct vbaclass_keyword *k = &vbaclass_keywords[i];
		uint32_t q = 0;
		for (size_t j = 0; j < 3; j++)
			q = q << 5 | t->code[(uint8_t)k->word[j]];
		if (k->len > 3)
			vbaclass_quad_set(t, q << 5 |
						 t->code[(uint8_t)k->word[3]]);
		else
			for (uint32_t x = 0; x < 32; x++)
				vbaclass_quad_set(t, q << 5 | x);
		uint8_t c = (uint8_t)vbaclass_lower((uint8_t)k->word[0]);
		uint32_t second = vbaclass_letter_bit((uint8_t)k->word[1]);
		if (c < 'a' || c > 'z')
			continue;
		t->keywords[c - 'a'] |= 1u << i;
		if (!k->left) {
			t->second_in[c] |= second;
			t->second_in[c & ~0x20u] |= second;
		}
	}
}

/* The keywords at `at` that may start there (left_ok: at an identifier's
 * start), in table order. */
static int vbaclass_keyword_at(struct span line, size_t at, int left_ok,
			       const struct vbaclass_tables *t,
			       struct vbaclass_facts *facts,
			       const struct vbaclass_sink *sink)
{
	int rc = 0;
	uint8_t first = (uint8_t)vbaclass_lower(line.ptr[at]);

	for (uint32_t set = t->keywords[first - 'a']; set; set &= set - 1) {
		const struct vbaclass_keyword *k =
		    &vbaclass_keywords[__builtin_ctz(set)];
		size_t end = at + k->len;
		if ((k->left && !left_ok) || line.len - at < k->len ||
		    !vbaclass_eq_nocase(line.ptr + at, k->word, k->len))
			continue;
		if (k->right && end < line.len &&
		    (t->cls[line.ptr[end]] & VBACLASS_C_IDENT))
			continue;
		if (vbaclass_check(k, line, facts, at))
			rc |= sink->hit(sink->arg, k->kind, span_str(k->word));
	}
	return rc;
}

/* "[Private|Public|Friend] [Static] Sub|Function NAME": NAME's span. */
static int vbaclass_proc_name(struct span line, struct span *name)
{
	static const char *const mods[] = {"Private ", "Public ", "Friend ",
					   "Static "};
	size_t at = vbaclass_skip_blank(line, 0), start;
	uint8_t first = at < line.len ? vbaclass_lower(line.ptr[at]) : 0;

	if (first != 'p' && first != 'f' && first != 's')
		return 0;
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
		if (vbaclass_word_at(line, at, mods[i]))
			at = vbaclass_skip_blank(line, at + strlen(mods[i]));
	if (vbaclass_word_at(line, at, "Static "))
		at = vbaclass_skip_blank(line, at + 7);
	if (vbaclass_word_at(line, at, "Sub "))
		at += 4;
	else if (vbaclass_word_at(line, at, "Function "))
		at += 9;
	else
		return 0;
	start = at = vbaclass_skip_blank(line, at);
	while (at < line.len && vbaclass_ident(line.ptr[at]))
		at++;
	*name = span_make(line.ptr + start, at - start);
	return at > start;
}

static int vbaclass_autoexec(struct span line, const struct vbaclass_sink *sink)
{
	struct span name;
	size_t nsfx =
	    sizeof(vbaclass_auto_suffixes) / sizeof(vbaclass_auto_suffixes[0]);

	if (!vbaclass_proc_name(line, &name))
		return 0;
	for (size_t i = 0;
	     i < sizeof(vbaclass_auto_names) / sizeof(vbaclass_auto_names[0]);
	     i++)
		if (strlen(vbaclass_auto_names[i]) == name.len &&
		    vbaclass_word_at(name, 0, vbaclass_auto_names[i]))
			return sink->hit(sink->arg, VBACLASS_AUTOEXEC, name);
	for (size_t i = 0; i < nsfx; i++) {
		size_t n = strlen(vbaclass_auto_suffixes[i]);
		if (name.len > n && vbaclass_word_at(name, name.len - n,
						     vbaclass_auto_suffixes[i]))
			return sink->hit(sink->arg, VBACLASS_AUTOEXEC, name);
	}
	return 0;
}

/* The longest run of bytes of class set inside one string literal. */
static size_t vbaclass_literal_run(struct span lit,
				   const struct vbaclass_tables *t, uint8_t set)
{
	size_t best = 0, run = 0;

	for (size_t i = 0; i < lit.len; i++) {
		run = t->cls[lit.ptr[i]] & set ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

#define VBACLASS_LONG_LITERAL 64

static int vbaclass_literal(struct span lit, const struct vbaclass_tables *t,
			    const struct vbaclass_sink *sink)
{
	if (lit.len < VBACLASS_LONG_LITERAL)
		return 0;
	if (vbaclass_literal_run(lit, t, VBACLASS_C_HEX) >=
	    VBACLASS_LONG_LITERAL)
		return sink->hit(sink->arg, VBACLASS_SUSPICIOUS,
				 span_str("hex string"));
	if (vbaclass_literal_run(lit, t, VBACLASS_C_B64) >=
		VBACLASS_LONG_LITERAL &&
	    vbaclass_literal_run(lit, t, VBACLASS_C_B64X) > 0)
		return sink->hit(sink->arg, VBACLASS_SUSPICIOUS,
				 span_str("base64 string"));
	return 0;
}

/*
 * One line of code: keywords outside comments, literals checked. Looks
 * only at quotes and where the next four bytes may begin a keyword (a
 * rolling code of four letters, one table bit per hash of it): at an
 * identifier's start every keyword of the first letter is tried, inside
 * one only those that need no boundary on the left. Hits come in the
 * order of their position, so the first keyword of a class is the one a
 * byte-by-byte walk would find.
 */
static int vbaclass_line(struct span line, const struct vbaclass_tables *t,
			 const struct vbaclass_sink *sink)
{
	struct vbaclass_facts facts = {-1, -1, 0, 0};
	const uint8_t *p = line.ptr;
	size_t n = line.len, at = vbaclass_skip_blank(line, 0), lit = 0;
	uint32_t quad = 0;
	int in_string = 0, rc;

	if (vbaclass_word_at(line, at, "Rem") &&
	    (at + 3 == line.len || !vbaclass_ident(line.ptr[at + 3])))
		return 0;
	rc = vbaclass_autoexec(line, sink);
	/* from the first byte that is no blank: the codes of the four bytes
	 * from at on, rolled along, 0 past the end */
	for (size_t i = at; i < at + 3; i++)
		quad = quad << 5 | (i < n ? t->code[p[i]] : 0);
	for (; at < n; at++) {
		uint8_t c = p[at];
		quad = (quad << 5 | (at + 3 < n ? t->code[p[at + 3]] : 0)) &
		       VBACLASS_QUAD_MASK;
		if (!(t->cls[c] & VBACLASS_C_QUOTE) && !vbaclass_quad(t, quad))
			continue;
		if (c == '"') {
			if (in_string)
				rc |= vbaclass_literal(
				    span_make(p + lit, at - lit), t, sink);
			in_string = !in_string;
			lit = at + 1;
		} else if (c == '\'') {
			if (!in_string)
				break;
		} else if (at + 2 >= n || !t->code[c])
			continue;
		else if (at == 0 || !(t->cls[p[at - 1]] & VBACLASS_C_IDENT))
			rc |= vbaclass_keyword_at(line, at, 1, t, &facts, sink);
		else if (t->second_in[c] & t->letter[p[at + 1]])
			rc |= vbaclass_keyword_at(line, at, 0, t, &facts, sink);
	}
	return rc;
}

static int vbaclass_url_end(int c)
{
	return c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' ||
	       c == ')' || c == 0x7f;
}

static int vbaclass_urls(struct span text, const struct vbaclass_sink *sink)
{
	int rc = 0;

	for (size_t at = 0; at < text.len; at++) {
		const uint8_t *sep = memchr(text.ptr + at, ':', text.len - at);
		size_t end;
		if (!sep)
			break;
		end = (size_t)(sep - text.ptr);
		if (!span_has_at(text, end, "://", 3)) {
			at = end;
			continue;
		}
		at = end >= 5 && vbaclass_word_at(text, end - 5, "https")
			 ? end - 5
		     : end >= 4 && vbaclass_word_at(text, end - 4, "http")
			 ? end - 4
			 : end + 3;
		if (at == end + 3)
			continue;
		for (end = at;
		     end < text.len && !vbaclass_url_end(text.ptr[end]); end++)
			;
		if (end - at > 8)
			rc |= sink->url(sink->arg,
					span_make(text.ptr + at, end - at));
		at = end;
	}
	return rc;
}

static int vbaclass_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* The length of a dotted-quad IPv4 address at `at`, or 0: each octet at
 * most 255, the first not 0, the last neither 0 nor 255 (so version
 * numbers such as "6.0.0.0" stay out), not part of a longer run of digits
 * and dots. */
static size_t vbaclass_ipv4_at(struct span text, size_t at)
{
	size_t end = at;
	unsigned value = 0;

	if (text.ptr[at] == '0')
		return 0;
	for (int octet = 0; octet < 4; octet++) {
		unsigned digits = 0;
		value = 0;
		if (octet && (end >= text.len || text.ptr[end++] != '.'))
			return 0;
		while (end < text.len && vbaclass_digit(text.ptr[end]) &&
		       digits < 4) {
			value = value * 10 + (unsigned)(text.ptr[end++] - '0');
			digits++;
		}
		if (!digits || digits > 3 || value > 255)
			return 0;
	}
	if (value == 0 || value == 255)
		return 0;
	if (end < text.len && (vbaclass_ident(text.ptr[end]) ||
			       (text.ptr[end] == '.' && end + 1 < text.len &&
				vbaclass_digit(text.ptr[end + 1]))))
		return 0;
	return end - at;
}

/*
 * The first digit at or after at, or text.len: eight bytes at a time
 * while none of them is a digit (a byte XOR '0' below 10 is a digit; the
 * test below flags a word holding any byte under 10).
 */
static size_t vbaclass_next_digit(struct span text, size_t at)
{
	const uint64_t ones = 0x0101010101010101ull;

	while (text.len - at >= 8) {
		uint64_t x;
		memcpy(&x, text.ptr + at, 8);
		x ^= ones * '0';
		if ((x - ones * 10) & ~x & ones * 0x80)
			break;
		at += 8;
	}
	while (at < text.len && !(text.ptr[at] >= '0' && text.ptr[at] <= '9'))
		at++;
	return at;
}

/* Bare IPv4 addresses (alone or in a UNC path: \\198.51.100.7\share); those
 * inside a URL (after "/" or "@") come with the URL already. Looks at
 * each run of digits and dots once. */
static int vbaclass_ips(struct span text, const struct vbaclass_sink *sink)
{
	int rc = 0;

	for (size_t at = 0; at < text.len; at++) {
		size_t run, len;
		uint8_t before;
		if ((at = vbaclass_next_digit(text, at)) >= text.len)
			break;
		run = at;
		before = at ? text.ptr[at - 1] : ' ';
		while (run < text.len &&
		       (vbaclass_digit(text.ptr[run]) || text.ptr[run] == '.'))
			run++;
		if (!vbaclass_ident(before) && before != '/' && before != '@' &&
		    (len = vbaclass_ipv4_at(text, at)))
			rc |=
			    sink->url(sink->arg, span_make(text.ptr + at, len));
		at = run - 1;
	}
	return rc;
}

int vbaclass_scan(struct span text, const struct vbaclass_sink *sink)
{
	struct vbaclass_tables t;
	size_t start = 0;
	int rc = 0;

	vbaclass_tables_init(&t);
	while (start < text.len) {
		const uint8_t *nl =
		    memchr(text.ptr + start, '\n', text.len - start);
		size_t end = nl ? (size_t)(nl - text.ptr) : text.len;
		const uint8_t *cr = memchr(text.ptr + start, '\r', end - start);
		if (cr)
			end = (size_t)(cr - text.ptr);
		if (end > start)
			rc |= vbaclass_line(
			    span_make(text.ptr + start, end - start), &t, sink);
		start = end + 1;
	}
	return rc | vbaclass_urls(text, sink) | vbaclass_ips(text, sink);
}
