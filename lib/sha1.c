/*
 * sha1.c - SHA-1 as FIPS 180-4 gives it, written for speed in plain C:
 * the 80 rounds unrolled with the five working variables rotated by
 * name instead of moved, the message schedule kept in a ring of 16
 * words.  On x86-64 processors with the SHA extensions (most made since
 * 2017-2019) the blocks go through those instructions instead, five
 * times as fast; which one runs is decided once, from cpuid.  (Valgrind
 * does not offer the SHA extensions: under callgrind the plain C runs.)
 */
#include "sha1.h"

#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

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

static void blocks_c(uint32_t h[5], const unsigned char *p, size_t n)
{
	for (; n > 0; n--, p += 64)
		block(h, p);
}

#ifdef HAVE_SHA_NI
/*
 * Four rounds 4k..4k+3 (k >= 3) with the SHA extensions, and the
 * message schedule for the rounds after: e (this group's e plus its
 * words, then the state for the next group's e) alternates between E0
 * and E1, the words of rounds 4k.. are in MSG(k % 4).  Past round 63
 * some of the schedule is computed for nothing, which is harmless.
 */
#define NI_ROUNDS(k, ECUR, EOTHER, M0, M1, M2, M3, F)                   \
	do {                                                            \
		ECUR = _mm_sha1nexte_epu32(ECUR, M0);                   \
		EOTHER = abcd;                                          \
		M1 = _mm_sha1msg2_epu32(M1, M0);                        \
		abcd = _mm_sha1rnds4_epu32(abcd, ECUR, F);              \
		M3 = _mm_sha1msg1_epu32(M3, M0);                        \
		M2 = _mm_xor_si128(M2, M0);                             \
	} while (0)

__attribute__((target("sha,sse4.1,ssse3")))
static void blocks_ni(uint32_t h[5], const unsigned char *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL,
					     0x08090a0b0c0d0e0fLL);
	__m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const void *)h),
					 0x1b);
	__m128i e0 = _mm_set_epi32((int)h[4], 0, 0, 0), e1;
	__m128i m0, m1, m2, m3;
	for (; n > 0; n--, p += 64) {
		__m128i abcd_save = abcd, e0_save = e0;
		/* Rounds 0-15 load the words, then the pattern repeats. */
		m0 = _mm_shuffle_epi8(_mm_loadu_si128((const void *)p), bswap);
		e0 = _mm_add_epi32(e0, m0);
		e1 = abcd;
		abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);
		m1 = _mm_shuffle_epi8(_mm_loadu_si128((const void *)(p + 16)),
				      bswap);
		e1 = _mm_sha1nexte_epu32(e1, m1);
		e0 = abcd;
		abcd = _mm_sha1rnds4_epu32(abcd, e1, 0);
		m0 = _mm_sha1msg1_epu32(m0, m1);
		m2 = _mm_shuffle_epi8(_mm_loadu_si128((const void *)(p + 32)),
				      bswap);
		e0 = _mm_sha1nexte_epu32(e0, m2);
		e1 = abcd;
		abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);
		m1 = _mm_sha1msg1_epu32(m1, m2);
		m0 = _mm_xor_si128(m0, m2);
		m3 = _mm_shuffle_epi8(_mm_loadu_si128((const void *)(p + 48)),
				      bswap);
		NI_ROUNDS(3, e1, e0, m3, m0, m1, m2, 0);
		NI_ROUNDS(4, e0, e1, m0, m1, m2, m3, 0);
		NI_ROUNDS(5, e1, e0, m1, m2, m3, m0, 1);
		NI_ROUNDS(6, e0, e1, m2, m3, m0, m1, 1);
		NI_ROUNDS(7, e1, e0, m3, m0, m1, m2, 1);
		NI_ROUNDS(8, e0, e1, m0, m1, m2, m3, 1);
		NI_ROUNDS(9, e1, e0, m1, m2, m3, m0, 1);
		NI_ROUNDS(10, e0, e1, m2, m3, m0, m1, 2);
		NI_ROUNDS(11, e1, e0, m3, m0, m1, m2, 2);
		NI_ROUNDS(12, e0, e1, m0, m1, m2, m3, 2);
		NI_ROUNDS(13, e1, e0, m1, m2, m3, m0, 2);
		NI_ROUNDS(14, e0, e1, m2, m3, m0, m1, 2);
		NI_ROUNDS(15, e1, e0, m3, m0, m1, m2, 3);
		NI_ROUNDS(16, e0, e1, m0, m1, m2, m3, 3);
		NI_ROUNDS(17, e1, e0, m1, m2, m3, m0, 3);
		NI_ROUNDS(18, e0, e1, m2, m3, m0, m1, 3);
		NI_ROUNDS(19, e1, e0, m3, m0, m1, m2, 3);
		e0 = _mm_sha1nexte_epu32(e0, e0_save);
		abcd = _mm_add_epi32(abcd, abcd_save);
	}
	_mm_storeu_si128((void *)h, _mm_shuffle_epi32(abcd, 0x1b));
	h[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}

/* The SHA extensions with SSSE3 and SSE4.1 (which they come with). */
static int have_sha_ni(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) ||
	    !(c & (1u << 19)))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b >> 29) & 1;
}
#endif

/* 0 not decided yet, 1 plain C, 2 the SHA extensions.  Atomic: threads
 * (lps check's workers) may decide at the same moment, alike. */
static _Atomic int impl;

void lps_sha1__use_plain(int on)
{
	atomic_store_explicit(&impl, on ? 1 : 0, memory_order_relaxed);
}

static void blocks(uint32_t h[5], const unsigned char *p, size_t n)
{
#ifdef HAVE_SHA_NI
	int how = atomic_load_explicit(&impl, memory_order_relaxed);
	if (!how) {
		how = have_sha_ni() ? 2 : 1; /* the same in any thread */
		atomic_store_explicit(&impl, how, memory_order_relaxed);
	}
	if (how == 2) {
		blocks_ni(h, p, n);
		return;
	}
#endif
	blocks_c(h, p, n);
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
		blocks(c->h, c->buf, 1);
	}
	if (len >= 64) {
		blocks(c->h, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
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
