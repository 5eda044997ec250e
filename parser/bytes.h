/*
 * bytes - little- and big-endian integers read from and written into byte
 * buffers, for the binary formats' readers. No bounds here: the caller has
 * checked that the bytes are there. 16-bit values come back as uint32_t,
 * so arithmetic on them stays unsigned.
 */
#ifndef KENSA_BYTES_H
#define KENSA_BYTES_H

#include <stdint.h>

static inline uint32_t bytes_le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t bytes_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t bytes_le64(const uint8_t *p)
{
	return (uint64_t)bytes_le32(p) | (uint64_t)bytes_le32(p + 4) << 32;
}

static inline uint32_t bytes_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint64_t bytes_be64(const uint8_t *p)
{
	return (uint64_t)bytes_be32(p) << 32 | bytes_be32(p + 4);
}

static inline void bytes_put_le16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void bytes_put_le32(uint8_t *p, uint32_t v)
{
	bytes_put_le16(p, v);
	bytes_put_le16(p + 2, v >> 16);
}

#endif
