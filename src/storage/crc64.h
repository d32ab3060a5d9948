/* crc64.h — the CRC-64 Redis puts at the end of RDB files and DUMP
 * payloads: the Jones polynomial (0xad93d23594c935a9), bit-reflected,
 * initial value 0, no final xor. crc64(0, "123456789", 9) is
 * 0xe9c6d914c4b8d9ca. Table-driven, one byte per step; the table is built
 * on first use (pthread_once).
 */
#ifndef ROOST_CRC64_H
#define ROOST_CRC64_H

#include <stddef.h>
#include <stdint.h>

/* crc64 continues crc over p[0..len) (start with 0). */
uint64_t crc64(uint64_t crc, const void *p, size_t len);

#endif
