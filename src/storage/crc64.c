/* crc64.c — CRC-64/Jones, reflected (see crc64.h). The table entry for a
 * byte b is the remainder of b shifted through eight steps of the
 * reflected polynomial; a step is "shift right, xor the polynomial when the
 * bit shifted out was 1". */
#include "storage/crc64.h"

#include <pthread.h>

#define CRC64_POLY_REFLECTED 0x95ac9329ac4bc9b5ULL   /* 0xad93d23594c935a9 bit-reversed */

static uint64_t table[256];
static pthread_once_t tableOnce = PTHREAD_ONCE_INIT;

static void buildTable(void) {
    for (int b = 0; b < 256; b++) {
        uint64_t r = (uint64_t)b;
        for (int k = 0; k < 8; k++) r = (r & 1) ? (r >> 1) ^ CRC64_POLY_REFLECTED : r >> 1;
        table[b] = r;
    }
}

uint64_t crc64(uint64_t crc, const void *p, size_t len) {
    pthread_once(&tableOnce, buildTable);
    const unsigned char *s = p;
    for (size_t i = 0; i < len; i++) crc = table[(crc ^ s[i]) & 0xff] ^ (crc >> 8);
    return crc;
}
