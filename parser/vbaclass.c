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

/* First letters of the keywords, as bits: any start, word start only. */
struct vbaclass_firsts {
	uint32_t anywhere, at_word;
	uint32_t keywords[26]; /* per letter: bits of vbaclass_keywords */
	uint32_t second[26];   /* per first letter: second letters (bits) */
	uint8_t cls[256];      /* per byte: VBACLASS_C_* */
};

enum {
	VBACLASS_C_WORD = 1,	 /* first letter of a keyword at a word start */
	VBACLASS_C_ANYWHERE = 2, /* first letter of a keyword anywhere */
	VBACLASS_C_IDENT = 4,	 /* part of an identifier */
	VBACLASS_C_QUOTE = 8,	 /* " or ' */
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
	size_t after = at + strlen(k->word);

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

static void vbaclass_firsts_init(struct vbaclass_firsts *f)
{
	memset(f, 0, sizeof(*f));
	for (unsigned c = 0; c < 256; c++)
		f->cls[c] =
		    (uint8_t)(vbaclass_ident((int)c) ? VBACLASS_C_IDENT : 0);
	f->cls['"'] |= VBACLASS_C_QUOTE;
	f->cls['\''] |= VBACLASS_C_QUOTE;
	for (size_t i = 0; i < VBACLASS_NKEYWORDS && i < 32; i++) {
		uint8_t c = (uint8_t)vbaclass_lower(
		    (uint8_t)vbaclass_keywords[i].word[0]);
		uint32_t bit = vbaclass_letter_bit(c);
		if (c >= 'a' && c <= 'z') {
			f->keywords[c - 'a'] |= 1u << i;
			f->second[c - 'a'] |= vbaclass_letter_bit(
			    (uint8_t)vbaclass_keywords[i].word[1]);
		}
		f->at_word |= bit;
		if (!vbaclass_keywords[i].left)
			f->anywhere |= bit;
	}
	for (unsigned c = 0; c < 256; c++) {
		uint32_t bit = vbaclass_letter_bit((uint8_t)c);
		if (bit & f->at_word)
			f->cls[c] |= VBACLASS_C_WORD;
		if (bit & f->anywhere)
			f->cls[c] |= VBACLASS_C_ANYWHERE;
	}
}

static int vbaclass_keyword_at(struct span line, size_t at,
			       const struct vbaclass_firsts *firsts,
			       struct vbaclass_facts *facts,
			       const struct vbaclass_sink *sink)
{
	int rc = 0;
	int left_ok = at == 0 || !vbaclass_ident(line.ptr[at - 1]);
	uint32_t bit = vbaclass_letter_bit(line.ptr[at]);
	uint8_t first = (uint8_t)vbaclass_lower(line.ptr[at]);

	if (!(bit & (left_ok ? firsts->at_word : firsts->anywhere)))
		return 0;
	for (uint32_t set = firsts->keywords[first - 'a']; set;
	     set &= set - 1) {
		const struct vbaclass_keyword *k =
		    &vbaclass_keywords[__builtin_ctz(set)];
		size_t end = at + k->len;
		if ((k->left && !left_ok) || line.len - at < k->len ||
		    !vbaclass_eq_nocase(line.ptr + at, k->word, k->len))
			continue;
		if (k->right && end < line.len && vbaclass_ident(line.ptr[end]))
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

/* The longest run of chars of set inside one string literal. */
static size_t vbaclass_literal_run(struct span lit, const char *set)
{
	size_t best = 0, run = 0;

	for (size_t i = 0; i < lit.len; i++) {
		run = lit.ptr[i] && strchr(set, lit.ptr[i]) ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

#define VBACLASS_LONG_LITERAL 64

static int vbaclass_literal(struct span lit, const struct vbaclass_sink *sink)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
	    "tuvwxyz0123456789+/=";

	if (lit.len < VBACLASS_LONG_LITERAL)
		return 0;
	if (vbaclass_literal_run(lit, hex) >= VBACLASS_LONG_LITERAL)
		return sink->hit(sink->arg, VBACLASS_SUSPICIOUS,
				 span_str("hex string"));
	if (vbaclass_literal_run(lit, b64) >= VBACLASS_LONG_LITERAL &&
	    vbaclass_literal_run(lit, "0123456789+/") > 0)
		return sink->hit(sink->arg, VBACLASS_SUSPICIOUS,
				 span_str("base64 string"));
	return 0;
}

/* One line of code: keywords outside comments, literals checked. */
static int vbaclass_line(struct span line, const struct vbaclass_firsts *firsts,
			 const struct vbaclass_sink *sink)
{
	struct vbaclass_facts facts = {-1, -1, 0, 0};
	size_t at = vbaclass_skip_blank(line, 0), lit = 0;
	int in_string = 0, rc;

	if (vbaclass_word_at(line, at, "Rem") &&
	    (at + 3 == line.len || !vbaclass_ident(line.ptr[at + 3])))
		return 0;
	rc = vbaclass_autoexec(line, sink);
	for (at = 0; at < line.len; at++) {
		uint8_t c = line.ptr[at], k = firsts->cls[c];
		if (!(k & (VBACLASS_C_WORD | VBACLASS_C_QUOTE)))
			continue;
		if (!(k & (VBACLASS_C_ANYWHERE | VBACLASS_C_QUOTE)) && at > 0 &&
		    (firsts->cls[line.ptr[at - 1]] & VBACLASS_C_IDENT))
			continue;
		if (c == '"') {
			if (in_string)
				rc |= vbaclass_literal(
				    span_make(line.ptr + lit, at - lit), sink);
			in_string = !in_string;
			lit = at + 1;
			continue;
		}
		if (c == '\'' && !in_string)
			break;
		if ((k & VBACLASS_C_WORD) && at + 1 < line.len &&
		    (firsts->second[vbaclass_lower(c) - 'a'] &
		     vbaclass_letter_bit(line.ptr[at + 1])))
			rc |=
			    vbaclass_keyword_at(line, at, firsts, &facts, sink);
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
	struct vbaclass_firsts firsts;
	size_t start = 0;
	int rc = 0;

	vbaclass_firsts_init(&firsts);
	while (start < text.len) {
		const uint8_t *nl =
		    memchr(text.ptr + start, '\n', text.len - start);
		size_t end = nl ? (size_t)(nl - text.ptr) : text.len;
		const uint8_t *cr = memchr(text.ptr + start, '\r', end - start);
		if (cr)
			end = (size_t)(cr - text.ptr);
		if (end > start)
			rc |= vbaclass_line(
			    span_make(text.ptr + start, end - start), &firsts,
			    sink);
		start = end + 1;
	}
	return rc | vbaclass_urls(text, sink) | vbaclass_ips(text, sink);
}
