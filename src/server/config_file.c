/* config_file.c — redis.conf text: reading config files (with includes)
 * and command-line options into the option table, and CONFIG REWRITE.
 *
 * Loading. A file is read whole and taken line by line: trimmed, comments
 * and blank lines skipped, split into words the way Redis does, then handed
 * to loadDirective(), which looks the name up in this order: an option of
 * the table; `include`; a Redis directive roost skips (warning); a name Redis
 * itself ignores (warning); anything else is fatal. Command-line options
 * go through the same loadDirective(), so a value means the same thing in
 * both places. Errors come back as the text Redis prints before exiting.
 *
 * Rewrite. The old file is read into a list of lines and a map from option
 * to the lines that set it (aliases map to the primary name). Every option
 * then writes its current value: into the first of its old lines, or, if
 * it has none and differs from the default, appended after the signature
 * line. Old lines of rewritten options that got no new value are blanked;
 * runs of blank lines shrink to one; the result replaces the file
 * atomically. Lines of directives roost does not implement, and includes,
 * are left alone.
 */
#include "server/config.h"

#include "server/config_int.h"
#include "storage/zmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ==== splitting a line into words ========================================= */

static int hexVal(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Split a config line into words the way redis.conf is read (Redis's
 * sdssplitargs): blanks separate words; "double quotes" allow \n \r \t \b \a
 * \xHH and \<any>; 'single quotes' allow only \'; a quote may start in the
 * middle of a word; a closing quote must be followed by a blank or the end.
 * Returns false (and frees what it built) on unbalanced quotes. */
static bool splitArgs(const char *line, cfgWords *out) {
    const char *p = line;
    cfgBuf tok = {0};
    out->v = NULL;
    out->n = 0;
    for (;;) {
        while (*p && isspace((unsigned char)*p)) p++;
        if (!*p) break;
        bool inq = false, insq = false, done = false;
        tok.len = 0;
        cfgBufReserve(&tok, 0);
        while (!done) {
            if (inq) {
                if (p[0] == '\\' && p[1] == 'x' && hexVal(p[2]) >= 0 && hexVal(p[3]) >= 0) {
                    char c = (char)(hexVal(p[2]) * 16 + hexVal(p[3]));
                    cfgBufAppend(&tok, &c, 1);
                    p += 3;
                } else if (p[0] == '\\' && p[1]) {
                    char c;
                    p++;
                    switch (*p) {
                    case 'n': c = '\n'; break;
                    case 'r': c = '\r'; break;
                    case 't': c = '\t'; break;
                    case 'b': c = '\b'; break;
                    case 'a': c = '\a'; break;
                    default: c = *p; break;
                    }
                    cfgBufAppend(&tok, &c, 1);
                } else if (*p == '"') {
                    if (p[1] && !isspace((unsigned char)p[1])) goto unbalanced;
                    done = true;
                } else if (!*p) {
                    goto unbalanced;
                } else {
                    cfgBufAppend(&tok, p, 1);
                }
            } else if (insq) {
                if (p[0] == '\\' && p[1] == '\'') {
                    p++;
                    cfgBufAppend(&tok, "'", 1);
                } else if (*p == '\'') {
                    if (p[1] && !isspace((unsigned char)p[1])) goto unbalanced;
                    done = true;
                } else if (!*p) {
                    goto unbalanced;
                } else {
                    cfgBufAppend(&tok, p, 1);
                }
            } else {
                switch (*p) {
                case ' ': case '\n': case '\r': case '\t': case '\0':
                    done = true;
                    break;
                case '"': inq = true; break;
                case '\'': insq = true; break;
                default: cfgBufAppend(&tok, p, 1); break;
                }
            }
            if (*p) p++;
        }
        cfgWordsPush(out, tok.s, tok.len);
    }
    zfree(tok.s);
    return true;

unbalanced:
    zfree(tok.s);
    cfgWordsFree(out);
    return false;
}

/* ==== loading: config files and command-line options =================== */

#define INCLUDE_MAX_DEPTH 16

/* Where the directives being loaded come from. */
typedef struct loadCtx {
    const char *origin;   /* file path, "command line", or configLoadString's */
    bool cmdline;         /* options from argv: errors say so */
    bool included;        /* an included file: errors name it */
    int depth;            /* include nesting */
} loadCtx;

static int loadText(const char *text, loadCtx *lc, char **err);

static void warnWhere(const loadCtx *lc, int line, char *buf, size_t n) {
    if (lc->cmdline) snprintf(buf, n, "command line, option %d", line);
    else snprintf(buf, n, "line %d of %s", line, lc->origin);
}

/* The fatal text, in Redis's layout. `shown` is the line as displayed. */
static char *fatalText(const loadCtx *lc, int line, const char *shown, const char *msg) {
    cfgBuf b = {0};
    cfgBufPuts(&b, "\n*** FATAL CONFIG FILE ERROR (roost " ROOST_VERSION ") ***\n");
    if (line > 0) {
        if (lc->cmdline) cfgBufPrintf(&b, "Reading the command line, at option %d\n", line);
        else if (lc->included) cfgBufPrintf(&b, "Reading the included file '%s', at line %d\n", lc->origin, line);
        else cfgBufPrintf(&b, "Reading the configuration file, at line %d\n", line);
        cfgBufPrintf(&b, ">>> '%s'\n", shown);
    }
    cfgBufPrintf(&b, "%s\n", msg);
    return cfgBufTake(&b);
}

static char *readWholeFile(const char *path, int *errnum) {
    FILE *fp = fopen(path, "r");
    if (!fp) {
        *errnum = errno;
        return NULL;
    }
    cfgBuf b = {0};
    char chunk[4096];
    size_t n;
    cfgBufReserve(&b, 0);
    errno = 0;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) cfgBufAppend(&b, chunk, n);
    if (ferror(fp)) {
        *errnum = errno ? errno : EIO;
        fclose(fp);
        zfree(b.s);
        return NULL;
    }
    fclose(fp);
    return cfgBufTake(&b);
}

static int loadOneFile(const char *path, loadCtx *parent, char **err) {
    int errnum = 0;
    char *text = readWholeFile(path, &errnum);
    if (!text) {
        *err = cfgFormat("Fatal error, can't open config file '%s': %s\n", path, strerror(errnum));
        return CONFIG_ERR;
    }
    loadCtx lc = {.origin = path, .included = parent != NULL,
                  .depth = parent ? parent->depth + 1 : 0};
    int rc = loadText(text, &lc, err);
    zfree(text);
    return rc;
}

/* include PATH: a glob pattern includes every match (none is fine); a plain
 * path must open. */
static int loadInclude(const char *path, loadCtx *lc, const char **msg, char **err) {
    if (lc->depth + 1 >= INCLUDE_MAX_DEPTH) {
        *msg = "Too many nested include directives";
        return CONFIG_ERR;
    }
    if (!strpbrk(path, "*?[")) return loadOneFile(path, lc, err);
    glob_t g;
    if (glob(path, 0, NULL, &g) != 0) return CONFIG_OK;
    int rc = CONFIG_OK;
    for (size_t i = 0; i < g.gl_pathc && rc == CONFIG_OK; i++)
        rc = loadOneFile(g.gl_pathv[i], lc, err);
    globfree(&g);
    return rc;
}

/* Warn about a stored option that does nothing in roost, if it was set to
 * something other than its default. */
static void warnNoEffect(const cfgEntry *e, const loadCtx *lc, int line) {
    if (!e->note || cfgEntryIsDefault(e)) return;
    char where[PATH_MAX + 64];
    char *v = cfgEntryGet(e);
    warnWhere(lc, line, where, sizeof(where));
    cfgWarn("roost: '%s %s' has no effect: %s (%s)", e->name, v, e->note, where);
    zfree(v);
}

/* Apply one directive: argv[0] is its name. Returns CONFIG_OK, or
 * CONFIG_ERR with either *msg (a one-line reason, for fatalText) or *err
 * (a complete text, from an included file) set. */
static int loadDirective(int argc, char **argv, loadCtx *lc, int line, const char **msg,
                         char **err) {
    for (char *c = argv[0]; *c; c++) *c = (char)tolower((unsigned char)*c);
    const char *name = argv[0];
    cfgEntry *e = cfgLookup(name, NULL);
    if (e) {
        int rc;
        if (e->flags & CFG_MULTI_ARG) {
            if (argc == 2) {              /* one word: split it on spaces */
                cfgWords w;
                cfgSplitSpaces(argv[1], &w);
                rc = cfgEntrySet(e, w.n, w.v, true, msg);
                cfgWordsFree(&w);
            } else {
                rc = cfgEntrySet(e, argc - 1, argv + 1, true, msg);
            }
        } else if (argc != 2) {
            *msg = "wrong number of arguments";
            return CONFIG_ERR;
        } else {
            rc = cfgEntrySet(e, 1, argv + 1, true, msg);
        }
        if (!rc) return CONFIG_ERR;
        warnNoEffect(e, lc, line);
        return CONFIG_OK;
    }
    char where[PATH_MAX + 64];
    warnWhere(lc, line, where, sizeof(where));
    if (!strcmp(name, "include") && argc == 2) return loadInclude(argv[1], lc, msg, err);
    if (cfgIsUnsupported(name)) {
        cfgWarn("roost: ignoring unsupported directive '%s' (%s)", name, where);
        return CONFIG_OK;
    }
    if (cfgIsDeprecated(name) && argc == 2) {
        cfgWarn("roost: ignoring deprecated directive '%s' (%s)", name, where);
        return CONFIG_OK;
    }
    *msg = "Bad directive or wrong number of arguments";
    return CONFIG_ERR;
}

/* What Redis checks once a whole load is done (hz is clamped as it is set). */
static int loadFinish(const loadCtx *lc, char **err) {
    if (cfg.logfile && cfg.logfile[0]) {
        FILE *fp = fopen(cfg.logfile, "a");
        if (!fp) {
            char msg[PATH_MAX + 64];
            snprintf(msg, sizeof(msg), "Can't open the log file: %s", strerror(errno));
            *err = fatalText(lc, 0, NULL, msg);
            return CONFIG_ERR;
        }
        fclose(fp);
    }
    return CONFIG_OK;
}

static void trimInPlace(char **s) {
    char *p = *s;
    while (*p && strchr(" \t\r\n", *p)) p++;
    size_t n = strlen(p);
    while (n && strchr(" \t\r\n", p[n - 1])) p[--n] = '\0';
    *s = p;
}

static int loadText(const char *text, loadCtx *lc, char **err) {
    char *copy = zstrdup(text);
    char *cur = copy;
    int line = 0, rc = CONFIG_OK;
    while (cur && rc == CONFIG_OK) {
        char *nl = strchr(cur, '\n');
        if (nl) *nl = '\0';
        char *l = cur;
        cur = nl ? nl + 1 : NULL;
        line++;
        trimInPlace(&l);
        if (l[0] == '#' || l[0] == '\0') continue;
        cfgWords w;
        const char *msg = NULL;
        char *shown = zstrdup(l);
        if (!splitArgs(l, &w)) {
            msg = "Unbalanced quotes in configuration line";
            rc = CONFIG_ERR;
        } else if (w.n > 0) {
            rc = loadDirective(w.n, w.v, lc, line, &msg, err);
            cfgWordsFree(&w);
        }
        if (rc != CONFIG_OK && msg) *err = fatalText(lc, line, shown, msg);
        zfree(shown);
    }
    zfree(copy);
    return rc;
}

int configLoadFile(const char *path, char **err) {
    *err = NULL;
    loadCtx lc = {.origin = path};
    if (loadOneFile(path, NULL, err) != CONFIG_OK) return CONFIG_ERR;
    return loadFinish(&lc, err);
}

int configLoadString(const char *text, const char *origin, char **err) {
    *err = NULL;
    loadCtx lc = {.origin = origin ? origin : "(string)"};
    if (loadText(text, &lc, err) != CONFIG_OK) return CONFIG_ERR;
    return loadFinish(&lc, err);
}

/* The directive as Redis shows a command-line option: name "arg" "arg". */
static char *argsShown(const cfgWords *w) {
    cfgBuf b = {0};
    cfgBufPuts(&b, w->v[0]);
    for (int i = 1; i < w->n; i++) {
        cfgBufPuts(&b, " ");
        cfgBufRepr(&b, w->v[i], strlen(w->v[i]));
    }
    return cfgBufTake(&b);
}

static int applyOption(cfgWords *w, loadCtx *lc, int index, char **err) {
    const char *msg = NULL;
    char *shown = argsShown(w);     /* before loadDirective lowercases */
    int rc = loadDirective(w->n, w->v, lc, index, &msg, err);
    if (rc != CONFIG_OK && msg) *err = fatalText(lc, index, shown, msg);
    zfree(shown);
    return rc;
}

/* Redis's rules: "--name" opens an option; cfgWords that follow are its
 * arguments; a word starting with "--" is an argument too when the open
 * option has none yet (e.g. "--requirepass --secret"), except that "--save"
 * followed by another option, or last, means save "". "--name value" in one
 * word is split. */
int configApplyArgs(int argc, char **argv, char **err) {
    loadCtx lc = {.origin = "command line", .cmdline = true};
    cfgWords cur = {0};
    bool open = false, hasArg = true;
    int index = 0, rc = CONFIG_OK;
    *err = NULL;
    for (int j = 0; j < argc && rc == CONFIG_OK; j++) {
        const char *a = argv[j];
        if (hasArg && a[0] == '-' && a[1] == '-') {
            if (open) rc = applyOption(&cur, &lc, index, err);
            cfgWordsFree(&cur);
            if (rc != CONFIG_OK) break;
            index++;
            open = true;
            cfgWords parts;
            if (!splitArgs(a + 2, &parts) || parts.n == 0) {
                cfgWordsPush(&cur, a + 2, strlen(a + 2));
                hasArg = false;
            } else {
                cur = parts;
                hasArg = parts.n > 1;
            }
            if (!hasArg && !strcasecmp(a + 2, "save") &&
                (j == argc - 1 || (argv[j + 1][0] == '-' && argv[j + 1][1] == '-'))) {
                cfgWordsPush(&cur, "", 0);
                hasArg = true;
            }
        } else {
            if (!open) {          /* a value before any --name: Redis reads */
                open = true;      /* it as a directive of its own */
                index++;
            }
            cfgWordsPush(&cur, a, strlen(a));
            hasArg = true;
        }
    }
    if (rc == CONFIG_OK && open) rc = applyOption(&cur, &lc, index, err);
    cfgWordsFree(&cur);
    if (rc != CONFIG_OK) return rc;
    return loadFinish(&lc, err);
}

/* ==== CONFIG REWRITE ====================================================== */

#define REWRITE_SIGNATURE "# Generated by CONFIG REWRITE"

/* Lines of the old file that set an option the rewrite manages. */
typedef struct rwOptLine {
    const char *option;   /* primary name (points into cfgTable[]) */
    int line;             /* index into cfgRewriteState.lines */
    bool used;            /* already given a new value */
} rwOptLine;

struct cfgRewriteState {
    char **lines;                /* the new file, one zmalloc'd line each */
    int nlines, capLines;
    rwOptLine *opts;             /* option -> old lines, in file order */
    int nopts, capOpts;
    const char **done;           /* options already rewritten */
    int ndone, capDone;
    bool needsSignature;         /* no signature line yet */
};

static void rwAppend(cfgRewriteState *rs, char *line) {
    if (rs->nlines == rs->capLines) {
        rs->capLines = rs->capLines ? rs->capLines * 2 : 64;
        rs->lines = zrealloc(rs->lines, sizeof(char *) * (size_t)rs->capLines);
    }
    rs->lines[rs->nlines++] = line;
}

static void rwAddOptLine(cfgRewriteState *rs, const char *option, int line) {
    if (rs->nopts == rs->capOpts) {
        rs->capOpts = rs->capOpts ? rs->capOpts * 2 : 32;
        rs->opts = zrealloc(rs->opts, sizeof(rwOptLine) * (size_t)rs->capOpts);
    }
    rs->opts[rs->nopts++] = (rwOptLine){option, line, false};
}

static bool rwIsDone(const cfgRewriteState *rs, const char *option) {
    for (int i = 0; i < rs->ndone; i++)
        if (!strcmp(rs->done[i], option)) return true;
    return false;
}

void cfgRewriteDone(cfgRewriteState *rs, const char *option) {
    if (rwIsDone(rs, option)) return;
    if (rs->ndone == rs->capDone) {
        rs->capDone = rs->capDone ? rs->capDone * 2 : 64;
        rs->done = zrealloc(rs->done, sizeof(char *) * (size_t)rs->capDone);
    }
    rs->done[rs->ndone++] = option;
}

/* Give `line` (taken over) to the next old line of `option`; with none
 * left, append it if force (after the signature), else drop it. */
void cfgRewriteLine(cfgRewriteState *rs, const char *option, char *line, bool force) {
    cfgRewriteDone(rs, option);
    for (int i = 0; i < rs->nopts; i++) {
        rwOptLine *o = &rs->opts[i];
        if (o->used || strcmp(o->option, option)) continue;
        o->used = true;
        zfree(rs->lines[o->line]);
        rs->lines[o->line] = line;
        return;
    }
    if (!force) {
        zfree(line);
        return;
    }
    if (rs->needsSignature) {
        if (rs->nlines && rs->lines[rs->nlines - 1][0]) rwAppend(rs, zstrdup(""));
        rwAppend(rs, zstrdup(REWRITE_SIGNATURE));
        rs->needsSignature = false;
    }
    rwAppend(rs, line);
}

static void rwFree(cfgRewriteState *rs) {
    for (int i = 0; i < rs->nlines; i++) zfree(rs->lines[i]);
    zfree(rs->lines);
    zfree(rs->opts);
    zfree(rs->done);
}

/* Load the old file into rs. A missing file is an empty one. */
static int rwReadOld(cfgRewriteState *rs, const char *path) {
    int errnum = 0;
    char *text = readWholeFile(path, &errnum);
    rs->needsSignature = true;
    if (!text) {
        if (errnum == ENOENT) return 0;
        errno = errnum;
        return -1;
    }
    if (!text[0]) {
        zfree(text);
        return 0;
    }
    char *cur = text;
    while (cur && *cur) {            /* no empty last line after a final \n */
        char *nl = strchr(cur, '\n');
        if (nl) *nl = '\0';
        char *l = cur;
        cur = nl ? nl + 1 : NULL;
        trimInPlace(&l);
        if (l[0] == '#' || l[0] == '\0') {
            if (!strcmp(l, REWRITE_SIGNATURE)) rs->needsSignature = false;
            rwAppend(rs, zstrdup(l));
            continue;
        }
        cfgWords w;
        if (!splitArgs(l, &w)) {
            rwAppend(rs, cfgFormat("# ??? %s", l));
            continue;
        }
        cfgEntry *e = w.n ? cfgLookup(w.v[0], NULL) : NULL;
        if (e) {
            /* aliases count as the primary name */
            rwAddOptLine(rs, cfgRewriteKey(e, w.n, w.v), rs->nlines);
            rwAppend(rs, zstrdup(l));
        } else if (w.n && (!strcasecmp(w.v[0], "include") || cfgIsUnsupported(w.v[0]) ||
                           cfgIsDeprecated(w.v[0]))) {
            rwAppend(rs, zstrdup(l));                /* not ours: keep as is */
        } else {
            rwAppend(rs, cfgFormat("# ??? %s", l));
        }
        cfgWordsFree(&w);
    }
    zfree(text);
    return 0;
}

/* Blank the old lines of rewritten options that received no new value
 * (duplicates, extra save lines, options now at a default that has no
 * line). Options the rewrite did not handle keep their lines. */
static void rwRemoveOrphans(cfgRewriteState *rs) {
    for (int i = 0; i < rs->nopts; i++) {
        rwOptLine *o = &rs->opts[i];
        if (o->used || !rwIsDone(rs, o->option)) continue;
        zfree(rs->lines[o->line]);
        rs->lines[o->line] = zstrdup("");
        o->used = true;
    }
}

/* Join the lines; every run of blank lines becomes one. */
static char *rwContent(const cfgRewriteState *rs) {
    cfgBuf b = {0};
    bool wasEmpty = false;
    cfgBufReserve(&b, 0);
    for (int i = 0; i < rs->nlines; i++) {
        bool empty = rs->lines[i][0] == '\0';
        if (empty && wasEmpty) continue;
        wasEmpty = empty;
        cfgBufPuts(&b, rs->lines[i]);
        cfgBufPuts(&b, "\n");
    }
    return cfgBufTake(&b);
}

/* The process's umask, read without changing it (umask(2) can only be read
 * by setting it, which would race with other threads creating files). */
static mode_t processUmask(void) {
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    unsigned int mask = 022;
    if (!fp) return (mode_t)mask;
    while (fgets(line, sizeof(line), fp))
        if (sscanf(line, "Umask: %o", &mask) == 1) break;
    fclose(fp);
    return (mode_t)mask;
}

/* Replace path with content atomically: temp file beside it, fsync, chmod
 * 0644 less the umask, rename. Returns 0, or -1 with errno. */
static int rwWriteFile(const char *path, const char *content) {
    char *tmp = cfgFormat("%s.XXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd == -1) {
        int e = errno;
        zfree(tmp);
        errno = e;
        return -1;
    }
    size_t len = strlen(content), off = 0;
    int rc = -1, saved = 0;
    while (off < len) {
        ssize_t n = write(fd, content + off, len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            saved = n < 0 ? errno : EIO;
            goto out;
        }
        off += (size_t)n;
    }
    if (fsync(fd) == -1 || fchmod(fd, 0644 & ~processUmask()) == -1 || rename(tmp, path) == -1) {
        saved = errno;
        goto out;
    }
    rc = 0;
out:
    close(fd);
    if (rc) unlink(tmp);
    zfree(tmp);
    if (rc) errno = saved;
    return rc;
}

int configRewrite(const char *path, char **err) {
    cfgRewriteState rs = {0};
    *err = NULL;
    if (rwReadOld(&rs, path) == -1) {
        *err = cfgFormat("ERR Rewriting config file: %s", strerror(errno));
        rwFree(&rs);
        return CONFIG_ERR;
    }
    for (int i = 0; i < cfgTableLen; i++) cfgEntryRewrite(&cfgTable[i], &rs);
    rwRemoveOrphans(&rs);
    char *content = rwContent(&rs);
    int rc = rwWriteFile(path, content);
    if (rc == -1) *err = cfgFormat("ERR Rewriting config file: %s", strerror(errno));
    zfree(content);
    rwFree(&rs);
    return rc == -1 ? CONFIG_ERR : CONFIG_OK;
}
