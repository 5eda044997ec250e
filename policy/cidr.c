#include "cidr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cidr_parse(const char *text, struct cidr *out)
{
	char buf[64];
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	unsigned max;
	char *end;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->family = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	out->prefix = max;
	if (slash) {
		unsigned long p = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || p > max)
			return -1;
		out->prefix = (unsigned)p;
	}
	return 0;
}

int cidr_contains(const struct cidr *net, const char *address)
{
	unsigned char a[16];
	unsigned full, rest;

	if (inet_pton(net->family, address, a) != 1)
		return 0;
	full = net->prefix / 8;
	rest = net->prefix % 8;
	if (memcmp(a, net->addr, full) != 0)
		return 0;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));
		if ((a[full] & mask) != (net->addr[full] & mask))
			return 0;
	}
	return 1;
}
