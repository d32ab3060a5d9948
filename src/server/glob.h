/* glob.h — Redis-style glob matching, for CONFIG GET, KEYS, SCAN MATCH,
 * PSUBSCRIBE and friends.
 *
 * The dialect is the one Redis's stringmatchlen() understands:
 *
 *   *        any run of bytes, including none
 *   ?        exactly one byte
 *   [abc]    one byte out of the set
 *   [^abc]   one byte not in the set
 *   [a-z]    one byte in the range (a reversed range such as [z-a] is read
 *            as [a-z]); ranges and single bytes may be mixed: [a-cx_]
 *   [\]]     inside a set a backslash takes the next byte literally
 *   \x       outside a set, the byte x literally (\* matches a star)
 *
 * Corner cases follow Redis: "[]" is an empty set that matches nothing (so
 * "[^]" matches any one byte); a set that is never closed ends at the end of
 * the pattern; a lone backslash at the very end matches a backslash. With
 * nocase, literals and ranges compare case-insensitively (ASCII), but a
 * backslash-escaped byte inside a set still compares exactly, as in Redis.
 * Bytes compare as unsigned, so patterns and subjects may hold any binary
 * data.
 *
 * Cost: every token except '*' consumes exactly one byte, so a match needs
 * only to remember the most recent star and retry from one byte further
 * on a mismatch: O(plen * slen) in the worst case, never exponential (the
 * naive recursion is exponential on patterns like "*a*a*a*a*b").
 */
#ifndef ROOST_GLOB_H
#define ROOST_GLOB_H

#include <stdbool.h>
#include <stddef.h>

/* globMatch: true if the whole of str[0..slen) matches pat[0..plen).
 * Neither buffer needs a terminating NUL; both may contain NULs. */
bool globMatch(const char *pat, size_t plen, const char *str, size_t slen,
               bool nocase);

#endif
