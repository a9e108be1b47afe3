/* sha256: the SHA-256 hash (FIPS 180-4), for the manifest and kernel file hashes in meta.yaml. */
#ifndef VLIFT_BENCH_SHA256_H
#define VLIFT_BENCH_SHA256_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
    uint32_t state[8];
    uint64_t length;          /* bytes hashed so far */
    unsigned char block[64];
    size_t used;              /* bytes in block */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
void sha256_final(sha256_ctx *c, unsigned char digest[32]);
/* Lower-case hex of the digest of data: 64 characters and a NUL. */
void sha256_hex(const void *data, size_t len, char hex[65]);
/* The same for a file's contents; false (errno set) when it cannot be read. */
bool sha256_file_hex(const char *path, char hex[65]);

#endif
