/* glob.c — Redis-style glob matching; the dialect is described in glob.h.
 *
 * The matcher walks pattern and subject together. Every token other than
 * '*' (a literal, an escaped byte, '?', a bracket set) matches exactly one
 * subject byte, so when a token fails we only need to go back to the last
 * star seen and let it swallow one more byte. Earlier stars never need to
 * be revisited: whatever the last star could not absorb, an earlier star
 * could not either (standard argument for single-byte tokens). This keeps
 * the worst case at O(plen * slen) with no recursion.
 */
#include "server/glob.h"

#include <ctype.h>

static int foldByte(unsigned char c, bool nocase) {
    return nocase ? tolower(c) : c;
}

/* A parsed token. Every token but '*' matches exactly one subject byte. */
typedef struct globToken {
    size_t len;          /* bytes of pattern it spans */
    char kind;           /* '?', '[' (set) or 'l' (literal) */
    unsigned char lit;   /* the byte, for a literal */
    const char *set;     /* for a set: its body, without '[', '^', ']' */
    size_t setLen;
    bool neg;            /* for a set: "[^...]" */
} globToken;

/* Parse the token at pat[0] (plen > 0, pat[0] != '*'). A set ends at the
 * first ']' that is not escaped and not the upper end of a range; a set
 * that never closes runs to the end of the pattern, as in Redis. */
static globToken parseToken(const char *pat, size_t plen) {
    globToken t = {.len = 1, .kind = 'l', .lit = (unsigned char)pat[0]};
    if (pat[0] == '?') {
        t.kind = '?';
    } else if (pat[0] == '\\') {
        if (plen >= 2) { t.len = 2; t.lit = (unsigned char)pat[1]; }
    } else if (pat[0] == '[') {
        size_t i = 1;
        t.kind = '[';
        if (i < plen && pat[i] == '^') { t.neg = true; i++; }
        t.set = pat + i;
        while (i < plen && pat[i] != ']') {
            if (pat[i] == '\\' && i + 1 < plen) i += 2;
            else if (i + 2 < plen && pat[i + 1] == '-') i += 3;
            else i++;
        }
        t.setLen = (size_t)(pat + i - t.set);
        t.len = i < plen ? i + 1 : plen;
    }
    return t;
}

/* Does byte c belong to the set body set[0..len)? */
static bool setHas(const char *set, size_t len, unsigned char c, bool nocase) {
    size_t i = 0;
    while (i < len) {
        unsigned char a = (unsigned char)set[i];
        if (a == '\\' && i + 1 < len) {
            if ((unsigned char)set[i + 1] == c) return true;   /* exact */
            i += 2;
        } else if (i + 2 < len && set[i + 1] == '-') {
            int lo = foldByte(a, nocase);
            int hi = foldByte((unsigned char)set[i + 2], nocase);
            int x = foldByte(c, nocase);
            if (lo > hi) { int tmp = lo; lo = hi; hi = tmp; }
            if (x >= lo && x <= hi) return true;
            i += 3;
        } else {
            if (foldByte(a, nocase) == foldByte(c, nocase)) return true;
            i++;
        }
    }
    return false;
}

static bool tokenMatches(const globToken *t, unsigned char c, bool nocase) {
    if (t->kind == '?') return true;
    if (t->kind == '[') return setHas(t->set, t->setLen, c, nocase) != t->neg;
    return foldByte(t->lit, nocase) == foldByte(c, nocase);
}

bool globMatch(const char *pat, size_t plen, const char *str, size_t slen,
               bool nocase) {
    size_t p = 0, s = 0;
    size_t starP = (size_t)-1, starS = 0;   /* pattern after last '*', and
                                               where that star's run ends */
    while (s < slen) {
        if (p < plen && pat[p] == '*') {
            while (p < plen && pat[p] == '*') p++;
            if (p == plen) return true;       /* trailing star eats the rest */
            starP = p;
            starS = s;
            continue;
        }
        if (p < plen) {
            globToken t = parseToken(pat + p, plen - p);
            if (tokenMatches(&t, (unsigned char)str[s], nocase)) {
                p += t.len;
                s++;
                continue;
            }
        }
        if (starP == (size_t)-1) return false;
        p = starP;                            /* let the star take one more */
        s = ++starS;
    }
    while (p < plen && pat[p] == '*') p++;
    return p == plen;
}
