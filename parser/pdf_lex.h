/*
 * pdf_lex - the PDF tokenizer (ISO 32000-1 7.2, 7.3): names, literal and
 * hex strings, numbers, keywords, << >> [ ] { }, comments skipped. It
 * reads a span and never leaves it; an unterminated string or dict ends
 * at the span's end. Every step consumes at least one byte, so a pass
 * over n bytes takes at most n tokens. Names are normalized (#xx escapes,
 * at most PDF_NAME_MAX bytes kept) and strings decoded (escapes, octal,
 * hex, at most the caller's buffer) only when the parser asks.
 */
#ifndef KENSA_PDF_LEX_H
#define KENSA_PDF_LEX_H

#include <stddef.h>

#include "span.h"

#define PDF_NAME_MAX 64

enum pdf_tok {
	PDF_T_EOF,
	PDF_T_NAME,	   /* /Name, raw bytes after the slash */
	PDF_T_STRING,	   /* (literal), raw bytes between the parens */
	PDF_T_HEXSTRING,   /* <hex>, raw bytes between < and > */
	PDF_T_INT,	   /* integer; value in num */
	PDF_T_REAL,	   /* number with a point */
	PDF_T_DICT_OPEN,   /* << */
	PDF_T_DICT_CLOSE,  /* >> */
	PDF_T_ARRAY_OPEN,  /* [ */
	PDF_T_ARRAY_CLOSE, /* ] */
	PDF_T_KEYWORD,	   /* obj, endobj, stream, R, true, trailer... */
	PDF_T_OTHER,	   /* a stray delimiter: { } ) > */
};

struct pdf_token {
	enum pdf_tok type;
	size_t start, len; /* raw bytes of the token's content in the span */
	long long num;	   /* PDF_T_INT */
};

struct pdf_lex {
	struct span s;
	size_t pos;
};

void pdf_lex_init(struct pdf_lex *lx, struct span s, size_t pos);
/* The next token; PDF_T_EOF at the span's end. */
void pdf_lex_next(struct pdf_lex *lx, struct pdf_token *t);
/* Whether a keyword token is exactly kw. */
int pdf_lex_is(const struct pdf_lex *lx, const struct pdf_token *t,
	       const char *kw);
/*
 * A name token normalized into out (#xx decoded, NUL-terminated, cut at
 * PDF_NAME_MAX - 1 bytes); returns its length.
 */
size_t pdf_lex_name(const struct pdf_lex *lx, const struct pdf_token *t,
		    char out[PDF_NAME_MAX]);
/* A string or hex string token decoded into out (at most cap bytes);
 * returns the decoded length. */
size_t pdf_lex_string(const struct pdf_lex *lx, const struct pdf_token *t,
		      unsigned char *out, size_t cap);

/* The value of a hexadecimal digit, or -1. */
int pdf_hexval(uint8_t c);

#endif
