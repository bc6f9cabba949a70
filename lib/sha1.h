/*
 * sha1.h - plain SHA-1 (FIPS 180-4), for the checksum of git's index
 * (gitindex.c) and the ids of the big trees the store writes itself
 * (store-tree.c).  Not the collision-detecting SHA1DC that libgit2 and
 * git use, which costs four times as much per byte: the two give the
 * same digest for all but crafted collision attacks, and neither an
 * index nor a tree that lps builds from its own entries carries one.
 */
#ifndef LPS_SHA1_H
#define LPS_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define LPS_SHA1_SIZE 20

/* A running hash.  Plain data: copy it to keep a state. */
struct lps_sha1 {
	uint32_t h[5];
	uint64_t len;            /* bytes hashed so far */
	unsigned char buf[64];   /* len % 64 bytes waiting for a block */
};

void lps_sha1_init(struct lps_sha1 *c);
void lps_sha1_update(struct lps_sha1 *c, const void *data, size_t len);
/* The digest of everything hashed; c must be initialised again after. */
void lps_sha1_final(struct lps_sha1 *c, unsigned char out[LPS_SHA1_SIZE]);
/* The digest of data[0..len) in one call. */
void lps_sha1(unsigned char out[LPS_SHA1_SIZE], const void *data, size_t len);

/* For tests: 1 uses the plain C blocks even where the processor has the
 * SHA extensions; 0 lets sha1.c choose again. */
void lps_sha1__use_plain(int on);

#endif
