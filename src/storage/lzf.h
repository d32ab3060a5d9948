/* lzf.h — an LZF-format compressor and decompressor.
 *
 * Redis compresses quicklist nodes and RDB strings with Marc Lehmann's
 * liblzf; roost must read what Redis wrote and write what Redis reads, so
 * this is the same *format*, written from its description (not liblzf's
 * code). The compressor makes its own choices: its output differs from
 * liblzf's byte for byte, but either side's decompressor accepts it.
 *
 * Format: a sequence of chunks, each starting with a control byte C.
 *
 *   C = 000LLLLL                    literal run: the next L+1 bytes (1..32)
 *                                   are copied to the output as they are
 *   C = LLLOOOOO OOOOOOOO           back reference, short: L in 1..6
 *   C = 111OOOOO LLLLLLLL OOOOOOOO  back reference, long: L = 7 + next byte
 *
 *   A back reference copies L+2 bytes (3..264) starting OFF+1 bytes back in
 *   the output written so far (OFF is 13 bits, so up to 8192 bytes back).
 *   The copy may overlap its own output ("aaaa..." is one literal and one
 *   reference of distance 1), so it must go byte by byte, forwards.
 *
 * Neither function allocates: the compressor's hash table is a thread-local
 * array (32 KiB of static TLS per thread); a call never parks, so a
 * coroutine cannot migrate between threads in the middle of one.
 * Neither has any stack frame bigger than a few words (coroutine stacks are
 * small, DESIGN.md §2).
 */
#ifndef ROOST_LZF_H
#define ROOST_LZF_H

#include <stddef.h>

/* lzfCompress compresses in[0..inlen) into out[0..outcap). Returns the
 * compressed length, or 0 if it would not fit in outcap bytes (callers
 * pass outcap < inlen to insist on a gain) or inlen is 0. */
size_t lzfCompress(const void *in, size_t inlen, void *out, size_t outcap);

/* lzfDecompress expands in[0..inlen) into out[0..outcap). Returns the
 * decompressed length, or 0 if the input is malformed (a reference before
 * the start of the output, a truncated chunk) or the output would exceed
 * outcap. Safe on arbitrary untrusted input: it never reads or writes out
 * of bounds. */
size_t lzfDecompress(const void *in, size_t inlen, void *out, size_t outcap);

#endif
