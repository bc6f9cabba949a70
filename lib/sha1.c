/*
 * sha1.c - SHA-1 as FIPS 180-4 gives it, written for speed in plain C:
 * the 80 rounds unrolled with the five working variables rotated by
 * name instead of moved, the message schedule kept in a ring of 16
 * words.
 */
#include "sha1.h"

#include <string.h>

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static uint32_t load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Word t of the schedule (t >= 16), computed into the ring. */
#define W(t) (w[(t) & 15] = ROL(w[((t) + 13) & 15] ^ w[((t) + 8) & 15] ^ \
				w[((t) + 2) & 15] ^ w[(t) & 15], 1))

#define F1(b, c, d) ((d) ^ ((b) & ((c) ^ (d))))
#define F2(b, c, d) ((b) ^ (c) ^ (d))
#define F3(b, c, d) (((b) & (c)) | ((d) & ((b) | (c))))

#define ROUND(a, b, c, d, e, f, k, x)                                   \
	do {                                                            \
		e += ROL(a, 5) + f(b, c, d) + (uint32_t)(k) + (x);      \
		b = ROL(b, 30);                                         \
	} while (0)

/* Five rounds, the variables' roles rotating once each round. */
#define FIVE(t, f, k, X)                                                \
	do {                                                            \
		ROUND(a, b, c, d, e, f, k, X(t));                       \
		ROUND(e, a, b, c, d, f, k, X((t) + 1));                 \
		ROUND(d, e, a, b, c, f, k, X((t) + 2));                 \
		ROUND(c, d, e, a, b, f, k, X((t) + 3));                 \
		ROUND(b, c, d, e, a, f, k, X((t) + 4));                 \
	} while (0)

#define W0(t) (w[t])

static void block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[16];
	for (int i = 0; i < 16; i++)
		w[i] = load_be32(p + 4 * i);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	FIVE(0, F1, 0x5a827999, W0);
	FIVE(5, F1, 0x5a827999, W0);
	FIVE(10, F1, 0x5a827999, W0);
	ROUND(a, b, c, d, e, F1, 0x5a827999, w[15]);
	ROUND(e, a, b, c, d, F1, 0x5a827999, W(16));
	ROUND(d, e, a, b, c, F1, 0x5a827999, W(17));
	ROUND(c, d, e, a, b, F1, 0x5a827999, W(18));
	ROUND(b, c, d, e, a, F1, 0x5a827999, W(19));

	FIVE(20, F2, 0x6ed9eba1, W);
	FIVE(25, F2, 0x6ed9eba1, W);
	FIVE(30, F2, 0x6ed9eba1, W);
	FIVE(35, F2, 0x6ed9eba1, W);

	FIVE(40, F3, 0x8f1bbcdc, W);
	FIVE(45, F3, 0x8f1bbcdc, W);
	FIVE(50, F3, 0x8f1bbcdc, W);
	FIVE(55, F3, 0x8f1bbcdc, W);

	FIVE(60, F2, 0xca62c1d6, W);
	FIVE(65, F2, 0xca62c1d6, W);
	FIVE(70, F2, 0xca62c1d6, W);
	FIVE(75, F2, 0xca62c1d6, W);

	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void lps_sha1_init(struct lps_sha1 *c)
{
	c->h[0] = 0x67452301;
	c->h[1] = 0xefcdab89;
	c->h[2] = 0x98badcfe;
	c->h[3] = 0x10325476;
	c->h[4] = 0xc3d2e1f0;
	c->len = 0;
}

void lps_sha1_update(struct lps_sha1 *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t have = (size_t)(c->len & 63);
	c->len += len;
	if (have) {
		size_t take = 64 - have < len ? 64 - have : len;
		memcpy(c->buf + have, p, take);
		p += take;
		len -= take;
		if (have + take < 64)
			return;
		block(c->h, c->buf);
	}
	for (; len >= 64; p += 64, len -= 64)
		block(c->h, p);
	if (len)
		memcpy(c->buf, p, len);
}

void lps_sha1_final(struct lps_sha1 *c, unsigned char out[LPS_SHA1_SIZE])
{
	uint64_t bits = c->len * 8;
	unsigned char pad[72] = { 0x80 };
	size_t have = (size_t)(c->len & 63);
	size_t n = (have < 56 ? 56 : 120) - have;
	for (int i = 0; i < 8; i++)
		pad[n + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
	lps_sha1_update(c, pad, n + 8);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}

void lps_sha1(unsigned char out[LPS_SHA1_SIZE], const void *data, size_t len)
{
	struct lps_sha1 c;
	lps_sha1_init(&c);
	lps_sha1_update(&c, data, len);
	lps_sha1_final(&c, out);
}
