/* config_int.h — what config.c and config_file.c share; not for the rest of
 * the server, which uses config.h.
 *
 * config.c owns the option table and everything about values: the types,
 * the special options, defaults, CONFIG GET and CONFIG SET. config_file.c
 * owns redis.conf text: loading files and command-line options, and CONFIG
 * REWRITE. The table is the only state they share; everything here is
 * single-threaded (see config.h).
 */
#ifndef ROOST_CONFIG_INT_H
#define ROOST_CONFIG_INT_H

#include "server/config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- a growable string ----------------------------------------------------- */

/* .s is NUL-terminated once anything was reserved or added; {0} is empty. */
typedef struct cfgBuf {
    char *s;
    size_t len, cap;
} cfgBuf;

void cfgBufReserve(cfgBuf *b, size_t more);
void cfgBufAppend(cfgBuf *b, const char *p, size_t n);
void cfgBufPuts(cfgBuf *b, const char *s);
void cfgBufPrintf(cfgBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a double-quoted string that the config parser reads back unchanged
 * (the format of Redis's sdscatrepr). */
void cfgBufRepr(cfgBuf *b, const char *s, size_t n);
/* Hand the string over (zmalloc'd, never NULL) and reset b. */
char *cfgBufTake(cfgBuf *b);
/* printf into a new zmalloc'd string. */
char *cfgFormat(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- word lists -------------------------------------------------------------- */

typedef struct cfgWords {
    char **v;   /* zmalloc'd copies */
    int n;
} cfgWords;

void cfgWordsPush(cfgWords *w, const char *s, size_t n);
void cfgWordsFree(cfgWords *w);
/* Split on single spaces, as Redis splits the value of a multi-word option
 * in CONFIG SET: "" gives no words, "a  b" gives "a", "", "b". */
void cfgSplitSpaces(const char *s, cfgWords *out);

/* ---- the option table ---------------------------------------------------------- */

typedef enum cfgType {
    T_BOOL,      /* yes/no                          -> bool */
    T_INT,       /* decimal                         -> int */
    T_UINT,      /* decimal or octal                -> unsigned int */
    T_LL,        /* decimal, memory, or percent     -> long long */
    T_ULL,       /* memory                          -> unsigned long long */
    T_SIZE,      /* decimal or memory               -> size_t */
    T_ENUM,      /* one name of a list              -> int */
    T_FLAGS,     /* several names of a list, OR-ed  -> int */
    T_STRING,    /* any text                        -> char * (never NULL) */
    T_SPECIAL,   /* its own parser and printer (cfgSpecialOps) */
} cfgType;

/* Entry flags. */
#define CFG_IMMUTABLE (1 << 0)   /* config file and command line only */
#define CFG_SENSITIVE (1 << 1)   /* value must not be logged */
#define CFG_HIDDEN (1 << 2)      /* not matched by CONFIG GET patterns */
#define CFG_PROTECTED (1 << 3)   /* CONFIG SET needs enable-protected-configs */
#define CFG_MULTI_ARG (1 << 4)   /* value is several words */
#define CFG_EMPTY_UNSET (1 << 5) /* "" means unset: rewrite drops the line */
#define NUM_MEMORY (1 << 8)      /* accepts 1k 1kb 1m 1mb 1g 1gb */
#define NUM_PERCENT (1 << 9)     /* accepts N%, stored as -N */
#define NUM_OCTAL (1 << 10)      /* read and printed in octal */

typedef struct cfgEnum {
    const char *name;
    int val;
} cfgEnum;

typedef struct cfgRewriteState cfgRewriteState;

/* Operations of a T_SPECIAL option. set() gets the words already split
 * (argc may be 0) and `loading` (true while reading files/arguments);
 * returns 1, or 0 with *err set. get() returns a zmalloc'd string. */
typedef struct cfgSpecialOps {
    void (*init)(void);
    int (*set)(int argc, char **argv, bool loading, const char **err);
    char *(*get)(void);
    void (*rewrite)(cfgRewriteState *rs, const char *name);
    bool (*isDefault)(void);
} cfgSpecialOps;

typedef struct cfgEntry {
    const char *name;                /* primary name, lower case */
    const char *alias;               /* second name or NULL */
    cfgType type;
    unsigned flags;                  /* CFG_* | NUM_* */
    union {
        bool *b;
        int *i;
        unsigned int *u;
        long long *ll;
        unsigned long long *ull;
        size_t *sz;
        char **s;
    } p;                             /* the field in cfg (not T_SPECIAL) */
    long long lo, hi;                /* numeric bounds (unsigned types store
                                        them as the same 64 bits) */
    long long def;                   /* default of bool/numeric/enum types */
    const char *defStr;              /* default of T_STRING */
    const cfgEnum *enums;            /* T_ENUM, T_FLAGS */
    const cfgSpecialOps *ops;        /* T_SPECIAL */
    int (*checkStr)(const char *v, const char **err); /* T_STRING veto */
    void (*fix)(void);               /* runs after every successful set */
    const char *note;                /* "no effect in roost" reason, or NULL */
    int (*apply)(const char **err);  /* CONFIG SET callback (configSetApply) */
} cfgEntry;

extern cfgEntry cfgTable[];
extern const int cfgTableLen;

/* The option called `name` (primary name or alias, any case), or NULL.
 * *viaAlias (may be NULL) tells which of the two matched. */
cfgEntry *cfgLookup(const char *name, bool *viaAlias);

/* A directive of Redis 7.0 that roost skips (module options included). */
bool cfgIsUnsupported(const char *name);
/* A directive Redis itself accepts and ignores (list-max-ziplist-entries...). */
bool cfgIsDeprecated(const char *name);

/* Set from words (argc counts only the values; 0 is possible for multi-word
 * options). `loading` is true while reading files or the command line.
 * Returns 1, or 0 with *err set to a static text. */
int cfgEntrySet(cfgEntry *e, int argc, char **argv, bool loading, const char **err);
/* The value as CONFIG GET prints it (zmalloc'd). */
char *cfgEntryGet(const cfgEntry *e);
bool cfgEntryIsDefault(const cfgEntry *e);
/* The rewrite key of a config file line naming e: its primary name, or for
 * client-output-buffer-limit "<name> <class>" (see config.c). */
const char *cfgRewriteKey(const cfgEntry *e, int argc, char **argv);
/* Write e's line(s) into the rewrite state. */
void cfgEntryRewrite(const cfgEntry *e, cfgRewriteState *rs);

/* A load-time warning, through the handler of configSetWarningHandler. */
void cfgWarn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- rewrite state (config_file.c) ---------------------------------------------- */

/* Give `line` (taken over) to the next old line of `option`; with none left,
 * append it if force, else drop it. Marks the option as rewritten. */
void cfgRewriteLine(cfgRewriteState *rs, const char *option, char *line, bool force);
/* Mark an option as rewritten without a line: its old lines are removed. */
void cfgRewriteDone(cfgRewriteState *rs, const char *option);

#endif
