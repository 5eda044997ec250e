/*
 * cidr - IPv4 and IPv6 networks ("192.0.2.0/24", "2001:db8::/32", or a
 * single address) and membership of an address in them.
 */
#ifndef KENSA_CIDR_H
#define KENSA_CIDR_H

struct cidr {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned prefix;
};

int cidr_parse(const char *text, struct cidr *out);
int cidr_contains(const struct cidr *net, const char *address);

#endif
