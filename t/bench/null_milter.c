/*
 * null_milter - the floor: a libmilter filter that reads every byte of
 * every message (headers and body) and accepts. What any libmilter filter
 * costs before it does any work; `make bench` compares kensa with it.
 *
 *   null_milter SOCKET
 */
#include <libmilter/mfapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sfsistat on_header(SMFICTX *ctx, char *name, char *value)
{
	volatile size_t n = strlen(name) + strlen(value);
	(void)ctx;
	(void)n;
	return SMFIS_CONTINUE;
}

static sfsistat on_body(SMFICTX *ctx, unsigned char *buf, size_t len)
{
	volatile unsigned sum = 0;
	(void)ctx;
	for (size_t i = 0; i < len; i++)
		sum += buf[i];
	return SMFIS_CONTINUE;
}

static sfsistat on_eom(SMFICTX *ctx)
{
	(void)ctx;
	return SMFIS_ACCEPT;
}

static struct smfiDesc null_filter = {
    .xxfi_name = "null",
    .xxfi_version = SMFI_VERSION,
    .xxfi_header = on_header,
    .xxfi_body = on_body,
    .xxfi_eom = on_eom,
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: null_milter SOCKET\n");
		return 2;
	}
	if (smfi_setconn(argv[1]) != MI_SUCCESS ||
	    smfi_register(null_filter) != MI_SUCCESS ||
	    smfi_opensocket(1) != MI_SUCCESS)
		return 1;
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
