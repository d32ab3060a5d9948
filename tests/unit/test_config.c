/* test_config.c — the configuration table (config.c) and glob matching
 * (glob.c).
 *
 * Spec (Redis 7.0.15 is the reference; expected texts were taken from it):
 *   - glob: * ? [set] [^set] [a-z] \x, nocase, Redis's corner cases, and
 *     agreement with a naive recursive matcher on random patterns.
 *   - every option type parses its units and bounds and refuses bad input
 *     with Redis's error text; CONFIG GET prints each type as Redis does.
 *   - defaults equal Redis 7.0.15's for every option both have; every
 *     directive Redis 7.0 knows is either an option or a known-unsupported
 *     name.
 *   - CONFIG SET is all or nothing: a bad value or a failing apply callback
 *     restores every option of the call; callbacks run once, only on change.
 *   - config files: quoting, comments, includes, fatal error texts, warnings
 *     for unsupported and no-effect directives; command-line overrides.
 *   - CONFIG REWRITE keeps comments and layout, replaces options in place,
 *     drops duplicates, appends the rest after the signature, and is stable.
 */
#include <criterion/criterion.h>

#include "server/config.h"
#include "server/glob.h"
#include "storage/zmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- fixture: defaults, a private working directory, captured warnings -- */

static char origCwd[PATH_MAX];
static char tmpDir[PATH_MAX];
static char warnings[8192];
static int nwarnings;

static void captureWarning(const char *msg) {
    size_t n = strlen(warnings);
    snprintf(warnings + n, sizeof(warnings) - n, "%s\n", msg);
    nwarnings++;
}

static void setup(void) {
    cr_assert(getcwd(origCwd, sizeof(origCwd)));
    snprintf(tmpDir, sizeof(tmpDir), "/tmp/roost-config-test-XXXXXX");
    cr_assert(mkdtemp(tmpDir));
    cr_assert(chdir(tmpDir) == 0);
    configDefaults();
    configSetWarningHandler(captureWarning);
    warnings[0] = '\0';
    nwarnings = 0;
}

static void teardown(void) {
    char cmd[PATH_MAX + 16];
    configFree();
    if (chdir(origCwd) != 0) return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpDir);
    if (system(cmd) != 0) {}
}

TestSuite(glob);
TestSuite(config, .init = setup, .fini = teardown);

/* ---- helpers ------------------------------------------------------------ */

static void writeFile(const char *path, const char *text) {
    FILE *fp = fopen(path, "w");
    cr_assert(fp, "cannot create %s", path);
    fputs(text, fp);
    fclose(fp);
}

static char *readFile(const char *path) {
    static char buf[65536];
    FILE *fp = fopen(path, "r");
    cr_assert(fp, "cannot open %s", path);
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

#define GET_EQ(name, expected) do { \
    char *v_ = configGetValue(name); \
    cr_assert(v_, "no option %s", name); \
    cr_expect_str_eq(v_, expected, "CONFIG GET %s", name); \
    zfree(v_); \
} while (0)

static int setPairs(int argc, const char **nv, char **err) { return configSet(argc, nv, err); }

#define SET_OK(name, value) do { \
    const char *nv_[2] = {name, value}; char *e_ = NULL; \
    int rc_ = setPairs(2, nv_, &e_); \
    cr_assert_eq(rc_, CONFIG_OK, "CONFIG SET %s '%s': %s", name, value, e_ ? e_ : ""); \
} while (0)

#define SET_ERR(name, value, expected) do { \
    const char *nv_[2] = {name, value}; char *e_ = NULL; \
    int rc_ = setPairs(2, nv_, &e_); \
    cr_assert_eq(rc_, CONFIG_ERR, "CONFIG SET %s '%s' succeeded", name, value); \
    cr_expect_str_eq(e_, expected); \
    zfree(e_); \
} while (0)

/* The reason part of a CONFIG SET failure for option n. */
#define FAILED(n, why) "ERR CONFIG SET failed (possibly related to argument '" n "') - " why

#define LOAD_OK(text) do { \
    char *e_ = NULL; \
    int rc_ = configLoadString(text, "test", &e_); \
    cr_assert_eq(rc_, CONFIG_OK, "load failed: %s", e_ ? e_ : ""); \
} while (0)

/* Load text as a config file and expect Redis's fatal layout. */
#define FILE_ERR(text, line, shown, msg) do { \
    writeFile("bad.conf", text); \
    char *e_ = NULL; \
    cr_assert_eq(configLoadFile("bad.conf", &e_), CONFIG_ERR); \
    cr_expect_str_eq(e_, "\n*** FATAL CONFIG FILE ERROR (roost " ROOST_VERSION ") ***\n" \
                         "Reading the configuration file, at line " #line "\n" \
                         ">>> '" shown "'\n" msg "\n"); \
    zfree(e_); \
} while (0)

/* ==== glob =============================================================== */

static bool gm(const char *pat, const char *str) {
    return globMatch(pat, strlen(pat), str, strlen(str), false);
}

static bool gmi(const char *pat, const char *str) {
    return globMatch(pat, strlen(pat), str, strlen(str), true);
}

Test(glob, literals_and_question_marks) {
    cr_expect(gm("", ""));
    cr_expect(!gm("", "a"));
    cr_expect(!gm("a", ""));
    cr_expect(gm("hello", "hello"));
    cr_expect(!gm("hello", "hellO"));
    cr_expect(!gm("hello", "hell"));
    cr_expect(!gm("hell", "hello"));
    cr_expect(gm("h?llo", "hallo"));
    cr_expect(gm("h?llo", "hxllo"));
    cr_expect(!gm("h?llo", "hllo"));
    cr_expect(gm("???", "abc"));
    cr_expect(!gm("???", "ab"));
}

Test(glob, stars) {
    cr_expect(gm("*", ""));
    cr_expect(gm("*", "anything"));
    cr_expect(gm("**", "x"));
    cr_expect(gm("h*llo", "hllo"));
    cr_expect(gm("h*llo", "heeeello"));
    cr_expect(gm("*llo", "hello"));
    cr_expect(gm("he*", "hello"));
    cr_expect(!gm("he*x", "hello"));
    cr_expect(gm("*a*b*c*", "xxaxxbxxcxx"));
    cr_expect(!gm("*a*b*c*", "xxaxxcxxbxx"));
    cr_expect(gm("a*a", "aa"));
    cr_expect(!gm("a*a", "a"));
    cr_expect(gm("*?", "a"));
    cr_expect(!gm("*?", ""));
    cr_expect(gm("maxmemory*", "maxmemory"));
    cr_expect(gm("*-max-*-entries", "hash-max-listpack-entries"));
}

Test(glob, sets_ranges_and_negation) {
    cr_expect(gm("h[ae]llo", "hello"));
    cr_expect(gm("h[ae]llo", "hallo"));
    cr_expect(!gm("h[ae]llo", "hillo"));
    cr_expect(gm("h[^e]llo", "hallo"));
    cr_expect(!gm("h[^e]llo", "hello"));
    cr_expect(gm("h[a-b]llo", "hbllo"));
    cr_expect(!gm("h[a-b]llo", "hcllo"));
    cr_expect(gm("h[b-a]llo", "hallo"));          /* reversed range */
    cr_expect(gm("[a-cx_]", "_"));
    cr_expect(gm("[a-cx_]", "b"));
    cr_expect(!gm("[a-cx_]", "d"));
    cr_expect(!gm("[^a-z]*", "port"));
    cr_expect(gm("[^a-z]*", "Port"));
    cr_expect(gm("[0-9][0-9]", "42"));
    cr_expect(gm("[a-]", "a"));                   /* "a-]" is a range a..']' */
    cr_expect(gm("[a-]", "^"));
    cr_expect(!gm("[a-]", "-"));
}

Test(glob, escapes) {
    cr_expect(gm("\\*", "*"));
    cr_expect(!gm("\\*", "a"));
    cr_expect(gm("a\\?c", "a?c"));
    cr_expect(!gm("a\\?c", "abc"));
    cr_expect(gm("\\[a]", "[a]"));
    cr_expect(gm("\\hz", "hz"));                  /* escaping a plain letter */
    cr_expect(gm("[\\]]", "]"));
    cr_expect(gm("[\\-]", "-"));
    cr_expect(!gm("[\\-]", "\\"));
    cr_expect(gm("a\\", "a\\"));                  /* trailing backslash */
    cr_expect(!gm("a\\", "a"));
}

Test(glob, redis_corner_cases) {
    cr_expect(!gm("[]", "a"));                    /* empty set: matches nothing */
    cr_expect(!gm("[]", ""));
    cr_expect(gm("[^]", "a"));                    /* ...and its negation anything */
    cr_expect(gm("[abc", "b"));                   /* unterminated: runs to the end */
    cr_expect(!gm("[abc", "d"));
    cr_expect(!gm("[abc", "b]"));
    cr_expect(gm("[a-]]", "]"));                  /* "a-]" is the range ']'..'a' */
    cr_expect(gm("[a-]]", "a"));
    cr_expect(!gm("[a-]]", "b"));
    cr_expect(!gm("x[a-]", "x-"));
    cr_expect(!gm("[]]", "]"));                   /* "[]" then a literal ']' */
    cr_expect(!gm("[]a]", "a"));
    cr_expect(!gm("[", "["));                     /* "[" alone is an empty set */
    cr_expect(gm("[^", "x"));
}

Test(glob, nocase) {
    cr_expect(gmi("HELLO", "hello"));
    cr_expect(gmi("h*O", "HellO"));
    cr_expect(gmi("[A-C]x", "bX"));
    cr_expect(gmi("[a-c]x", "BX"));
    cr_expect(gmi("[^a-c]", "D"));
    cr_expect(!gmi("[^a-c]", "B"));
    cr_expect(gmi("\\H", "h"));
    cr_expect(!gmi("[\\H]", "h"));                /* escaped set member: exact */
    cr_expect(gmi("[\\H]", "H"));
    cr_expect(!gm("HELLO", "hello"));
}

Test(glob, binary_subjects) {
    const char subj[] = {'a', '\0', 'b'};
    const char pat1[] = {'a', '?', 'b'};
    const char pat2[] = {'a', '\0', '*'};
    const char pat3[] = {'[', '\0', ']'};
    cr_expect(globMatch(pat1, 3, subj, 3, false));
    cr_expect(globMatch(pat2, 3, subj, 3, false));
    cr_expect(globMatch("*b", 2, subj, 3, false));
    cr_expect(globMatch(pat3, 3, subj + 1, 1, false));
    cr_expect(globMatch("[\x80-\xff]", 5, "\xc3", 1, false));   /* unsigned bytes */
}

Test(glob, many_stars_stay_fast) {
    char subj[4001];
    memset(subj, 'a', 4000);
    subj[4000] = '\0';
    /* exponential for a naive backtracker; must be immediate here */
    cr_expect(!gm("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", subj));
    cr_expect(gm("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", subj));
}

/* Reference matcher: the plain recursive definition of the dialect. */
static bool refMatch(const char *p, size_t pl, const char *s, size_t sl, bool nocase) {
    if (pl == 0) return sl == 0;
    if (p[0] == '*') {
        for (size_t k = 0; k <= sl; k++)
            if (refMatch(p + 1, pl - 1, s + k, sl - k, nocase)) return true;
        return false;
    }
    if (sl == 0) return false;
    unsigned char c = (unsigned char)s[0];
    int fc = nocase ? tolower(c) : c;
    size_t used;
    bool ok;
    if (p[0] == '?') {
        ok = true;
        used = 1;
    } else if (p[0] == '\\' && pl >= 2) {
        int x = (unsigned char)p[1];
        ok = (nocase ? tolower(x) : x) == fc;
        used = 2;
    } else if (p[0] == '[') {
        size_t i = 1;
        bool neg = false, in = false;
        if (i < pl && p[i] == '^') { neg = true; i++; }
        for (;;) {
            if (i >= pl) break;                                   /* unterminated */
            if (p[i] == '\\' && i + 1 < pl) { if ((unsigned char)p[i + 1] == c) in = true; i += 2; continue; }
            if (p[i] == ']') { i++; break; }
            if (i + 2 < pl && p[i + 1] == '-') {
                int lo = (unsigned char)p[i], hi = (unsigned char)p[i + 2];
                if (nocase) { lo = tolower(lo); hi = tolower(hi); }
                if (lo > hi) { int t = lo; lo = hi; hi = t; }
                if (fc >= lo && fc <= hi) in = true;
                i += 3;
                continue;
            }
            int x = (unsigned char)p[i];
            if ((nocase ? tolower(x) : x) == fc) in = true;
            i++;
        }
        ok = in != neg;
        used = i;
    } else {
        int x = (unsigned char)p[0];
        ok = (nocase ? tolower(x) : x) == fc;
        used = 1;
    }
    return ok && refMatch(p + used, pl - used, s + 1, sl - 1, nocase);
}

Test(glob, agrees_with_reference_on_random_patterns) {
    static const char palp[] = "ab*?[]^-\\A";
    static const char salp[] = "abAB-]^\\";
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (int iter = 0; iter < 200000; iter++) {
        char p[8], s[8];
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
        size_t pl = seed % 7, sl = (seed >> 8) % 7;
        for (size_t i = 0; i < pl; i++) p[i] = palp[(seed >> (16 + 3 * i)) % (sizeof(palp) - 1)];
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
        for (size_t i = 0; i < sl; i++) s[i] = salp[(seed >> (3 * i)) % (sizeof(salp) - 1)];
        bool nocase = (seed >> 60) & 1;
        bool want = refMatch(p, pl, s, sl, nocase), got = globMatch(p, pl, s, sl, nocase);
        cr_assert_eq(got, want, "pattern '%.*s' subject '%.*s' nocase %d: got %d want %d",
                     (int)pl, p, (int)sl, s, nocase, got, want);
    }
}

/* ==== option types: parsing, bounds, errors, GET format =================== */

Test(config, bool_accepts_yes_no_in_any_case) {
    SET_OK("protected-mode", "no");
    GET_EQ("protected-mode", "no");
    cr_expect(!cfg.protected_mode);
    SET_OK("protected-mode", "YES");
    GET_EQ("protected-mode", "yes");
    cr_expect(cfg.protected_mode);
    SET_ERR("protected-mode", "maybe", FAILED("protected-mode", "argument must be 'yes' or 'no'"));
    SET_ERR("protected-mode", "1", FAILED("protected-mode", "argument must be 'yes' or 'no'"));
}

Test(config, integers_are_strict_and_bounded) {
    SET_OK("port", "6380");
    cr_expect_eq(cfg.port, 6380);
    SET_OK("port", "0");
    SET_ERR("port", "70000", FAILED("port", "argument must be between 0 and 65535 inclusive"));
    SET_ERR("port", "-1", FAILED("port", "argument must be between 0 and 65535 inclusive"));
    SET_ERR("port", "0x", FAILED("port", "argument couldn't be parsed into an integer"));
    SET_ERR("tcp-keepalive", " 5", FAILED("tcp-keepalive", "argument couldn't be parsed into an integer"));
    SET_ERR("tcp-keepalive", "+5", FAILED("tcp-keepalive", "argument couldn't be parsed into an integer"));
    SET_ERR("tcp-keepalive", "05", FAILED("tcp-keepalive", "argument couldn't be parsed into an integer"));
    SET_ERR("timeout", "-0", FAILED("timeout", "argument couldn't be parsed into an integer"));
    SET_ERR("timeout", "", FAILED("timeout", "argument couldn't be parsed into an integer"));
    SET_ERR("timeout", "2147483648", FAILED("timeout", "argument must be between 0 and 2147483647 inclusive"));
    SET_ERR("lfu-decay-time", "9223372036854775807",
            FAILED("lfu-decay-time", "argument must be between 0 and 2147483647 inclusive"));
    SET_ERR("maxmemory-samples", "0", FAILED("maxmemory-samples", "argument must be between 1 and 2147483647 inclusive"));
    SET_ERR("slowlog-max-len", "-1", FAILED("slowlog-max-len", "argument must be between 0 and 9223372036854775807 inclusive"));
    SET_ERR("slowlog-log-slower-than", "-2",
            FAILED("slowlog-log-slower-than", "argument must be between -1 and 9223372036854775807 inclusive"));
    SET_OK("slowlog-log-slower-than", "-1");
    GET_EQ("slowlog-log-slower-than", "-1");
    SET_ERR("maxclients", "0", FAILED("maxclients", "argument must be between 1 and 4294967295 inclusive"));
    SET_ERR("maxclients", "-1", FAILED("maxclients", "argument must be between 1 and 4294967295 inclusive"));
    SET_ERR("maxclients", "4294967296", FAILED("maxclients", "argument must be between 1 and 4294967295 inclusive"));
    SET_OK("maxclients", "4294967295");
    GET_EQ("maxclients", "4294967295");
    SET_ERR("list-max-listpack-size", "99999999999",
            FAILED("list-max-listpack-size", "argument must be between -2147483648 and 2147483647 inclusive"));
    SET_OK("list-max-listpack-size", "-5");
    cr_expect_eq(cfg.list_max_listpack_size, -5);
    SET_ERR("hash-max-listpack-entries", "-1",
            FAILED("hash-max-listpack-entries", "argument must be between 0 and 9223372036854775807 inclusive"));
    SET_OK("hash-max-listpack-entries", "9223372036854775807");
    GET_EQ("hash-max-listpack-entries", "9223372036854775807");
    SET_ERR("hash-max-listpack-entries", "9223372036854775808",
            FAILED("hash-max-listpack-entries", "argument couldn't be parsed into an integer"));
}

Test(config, memory_units_follow_redis) {
    static const struct { const char *in, *out; } ok[] = {
        {"0", "0"}, {"1", "1"}, {"1b", "1"}, {"1k", "1000"}, {"1kb", "1024"}, {"1K", "1000"},
        {"1KB", "1024"}, {"1m", "1000000"}, {"1mb", "1048576"}, {"1Mb", "1048576"},
        {"1mB", "1048576"}, {"2g", "2000000000"}, {"2G", "2000000000"},
        {"1gb", "1073741824"}, {"05", "5"}, {"", "0"}, {"kb", "0"},
        {"18446744073709551615", "18446744073709551615"}, {"16gb", "17179869184"},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        SET_OK("maxmemory", ok[i].in);
        GET_EQ("maxmemory", ok[i].out);
    }
    SET_OK("maxmemory", "100mb");
    cr_expect_eq(cfg.maxmemory, 100ULL << 20);
    static const char *bad[] = {"foo", "1.5m", "-1", "-0", "+5", " 5", "5 ", "0x10",
                                "1t", "1kbb", "1 kb",
                                /* Redis wraps or saturates these; roost refuses */
                                "18446744073709551616", "17179869184gb"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        SET_ERR("maxmemory", bad[i], FAILED("maxmemory", "argument must be a memory value"));
    GET_EQ("maxmemory", "104857600");
}

Test(config, memory_options_have_signed_or_unsigned_bounds) {
    SET_ERR("proto-max-bulk-len", "100",
            FAILED("proto-max-bulk-len", "argument must be between 1048576 and 9223372036854775807 inclusive"));
    SET_ERR("proto-max-bulk-len", "18446744073709551615",
            FAILED("proto-max-bulk-len", "argument must be between 1048576 and 9223372036854775807 inclusive"));
    SET_ERR("client-query-buffer-limit", "1k",
            FAILED("client-query-buffer-limit", "argument must be between 1048576 and 9223372036854775807 inclusive"));
    SET_OK("proto-max-bulk-len", "1gb");
    cr_expect_eq(cfg.proto_max_bulk_len, 1LL << 30);
    SET_ERR("hash-max-listpack-value", "-1", FAILED("hash-max-listpack-value", "argument must be a memory value"));
    SET_OK("hash-max-ziplist-value", "1kb");
    GET_EQ("hash-max-listpack-value", "1024");
    cr_expect_eq(cfg.hash_max_listpack_value, 1024);
}

Test(config, percent_or_memory) {
    SET_OK("maxmemory-clients", "10%");
    GET_EQ("maxmemory-clients", "10%");
    cr_expect_eq(cfg.maxmemory_clients, -10);
    SET_OK("maxmemory-clients", "100%");
    SET_OK("maxmemory-clients", "0%");
    GET_EQ("maxmemory-clients", "0");
    SET_OK("maxmemory-clients", "1mb");
    GET_EQ("maxmemory-clients", "1048576");
    SET_ERR("maxmemory-clients", "101%", FAILED("maxmemory-clients", "percentage argument must be less or equal to 100"));
    SET_ERR("maxmemory-clients", "-5%", FAILED("maxmemory-clients", "argument must be a memory or percent value"));
    SET_ERR("maxmemory-clients", "abc", FAILED("maxmemory-clients", "argument must be a memory or percent value"));
}

Test(config, octal_from_the_config_file) {
    LOAD_OK("unixsocketperm 700\n");
    cr_expect_eq(cfg.unixsocketperm, 0700);
    GET_EQ("unixsocketperm", "700");
    FILE_ERR("unixsocketperm 800\n", 1, "unixsocketperm 800", "argument couldn't be parsed as an octal number");
    FILE_ERR("unixsocketperm 1777\n", 1, "unixsocketperm 1777", "argument must be between 0 and 777 inclusive");
    SET_ERR("unixsocketperm", "700", FAILED("unixsocketperm", "can't set immutable config"));
}

Test(config, enums_list_their_names_on_error) {
    SET_OK("loglevel", "DEBUG");
    GET_EQ("loglevel", "debug");
    cr_expect_eq(cfg.loglevel, LL_DEBUG);
    SET_ERR("loglevel", "loud",
            FAILED("loglevel", "argument(s) must be one of the following: debug, verbose, notice, warning"));
    SET_ERR("appendfsync", "maybe",
            FAILED("appendfsync", "argument(s) must be one of the following: everysec, always, no"));
    SET_ERR("maxmemory-policy", "bogus",
            FAILED("maxmemory-policy", "argument(s) must be one of the following: volatile-lru, "
                   "volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, "
                   "allkeys-random, noeviction"));
    SET_ERR("repl-diskless-load", "x",
            FAILED("repl-diskless-load", "argument(s) must be one of the following: disabled, on-empty-db, swapdb"));
    SET_OK("maxmemory-policy", "allkeys-lfu");
    cr_expect_eq(cfg.maxmemory_policy, MAXMEMORY_ALLKEYS_LFU);
    cr_expect(cfg.maxmemory_policy & MAXMEMORY_FLAG_LFU);
    cr_expect_str_eq(configEnumName("maxmemory-policy", cfg.maxmemory_policy), "allkeys-lfu");
    cr_expect_null(configEnumName("port", 0));
    SET_OK("oom-score-adj", "relative");
    GET_EQ("oom-score-adj", "yes");          /* "yes" and "relative" are one value */
}

Test(config, flag_sets_print_in_table_order) {
    GET_EQ("shutdown-on-sigint", "default");
    SET_OK("shutdown-on-sigint", "now nosave");
    GET_EQ("shutdown-on-sigint", "nosave now");
    cr_expect_eq(cfg.shutdown_on_sigint, SHUTDOWN_NOSAVE | SHUTDOWN_NOW);
    SET_ERR("shutdown-on-sigterm", "bogus",
            FAILED("shutdown-on-sigterm", "argument(s) must be one of the following: default, save, nosave, now, force"));
    SET_OK("shutdown-on-sigint", "default");
    GET_EQ("shutdown-on-sigint", "default");
}

Test(config, strings_and_their_checks) {
    SET_OK("requirepass", "s3cret with spaces");
    GET_EQ("requirepass", "s3cret with spaces");
    cr_expect_str_eq(cfg.requirepass, "s3cret with spaces");
    SET_OK("requirepass", "");
    GET_EQ("requirepass", "");
    LOAD_OK("enable-protected-configs yes\n");
    SET_ERR("dbfilename", "a/b.rdb", FAILED("dbfilename", "dbfilename can't be a path, just a filename"));
    SET_OK("dbfilename", "x.rdb");
    cr_expect_str_eq(cfg.dbfilename, "x.rdb");
    FILE_ERR("appendfilename \"\"\n", 1, "appendfilename \"\"", "appendfilename can't be empty");
    FILE_ERR("appendfilename dir/x\n", 1, "appendfilename dir/x", "appendfilename can't be a path, just a filename");
    FILE_ERR("appenddirname a/b\n", 1, "appenddirname a/b", "appenddirname can't be a path, just a dirname");
    SET_ERR("appendfilename", "x", FAILED("appendfilename", "can't set immutable config"));
}

Test(config, hz_is_clamped) {
    SET_OK("hz", "1000");
    GET_EQ("hz", "500");
    SET_OK("hz", "0");
    GET_EQ("hz", "1");
    SET_ERR("hz", "-1", FAILED("hz", "argument must be between 0 and 2147483647 inclusive"));
    LOAD_OK("hz 100000\n");
    cr_expect_eq(cfg.hz, 500);
}

Test(config, save_rules) {
    GET_EQ("save", "3600 1 300 100 60 10000");
    SET_OK("save", "100 10 200 20");
    GET_EQ("save", "100 10 200 20");
    cr_expect_eq(cfg.save_params_len, 2);
    cr_expect_eq(cfg.save_params[1].seconds, 200);
    cr_expect_eq(cfg.save_params[1].changes, 20);
    static const char *bad[] = {"100", "0 10", "10 -1", "10 x", "10 5abc", "  10   5  ", "10  5"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        SET_ERR("save", bad[i], FAILED("save", "Invalid save parameters"));
    GET_EQ("save", "100 10 200 20");
    SET_OK("save", "");
    GET_EQ("save", "");
    cr_expect_eq(cfg.save_params_len, 0);
}

Test(config, save_lines_in_a_file_replace_the_defaults_then_add_up) {
    LOAD_OK("save 900 1\nsave 300 10\nsave \"60 10000\"\n");
    GET_EQ("save", "900 1 300 10 60 10000");
    char *err;
    char *args[] = {"--save", "5", "5"};
    cr_assert_eq(configApplyArgs(3, args, &err), CONFIG_OK);
    GET_EQ("save", "900 1 300 10 60 10000 5 5");    /* Redis does the same */
    configDefaults();
    LOAD_OK("save \"\"\n");
    GET_EQ("save", "");
    configDefaults();
    LOAD_OK("save 60 100\nsave \"\"\nsave 30 1\n");        /* "" clears, then adds */
    GET_EQ("save", "30 1");
    FILE_ERR("save 10 1\nsave 20\n", 2, "save 20", "Invalid save parameters");
}

Test(config, client_output_buffer_limit) {
    GET_EQ("client-output-buffer-limit",
           "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
    SET_OK("client-output-buffer-limit", "normal 1mb 2mb 3");
    GET_EQ("client-output-buffer-limit",
           "normal 1048576 2097152 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
    SET_OK("client-output-buffer-limit", "replica 1k 2k 3 PUBSUB 10 20 30");
    GET_EQ("client-output-buffer-limit", "normal 1048576 2097152 3 slave 1000 2000 3 pubsub 10 20 30");
    cr_expect_eq(cfg.client_obuf_limits[OBUF_CLASS_PUBSUB].soft_limit_seconds, 30);
    SET_ERR("client-output-buffer-limit", "master 1 2 3",
            FAILED("client-output-buffer-limit", "Invalid client class specified in buffer limit configuration."));
    SET_ERR("client-output-buffer-limit", "normal 1 2",
            FAILED("client-output-buffer-limit", "Wrong number of arguments in buffer limit configuration."));
    SET_ERR("client-output-buffer-limit", "normal x 2 3",
            FAILED("client-output-buffer-limit", "Error in hard, soft or soft_seconds setting in buffer limit configuration."));
    SET_ERR("client-output-buffer-limit", "pubsub 1 2 3 normal 1 2 -3",
            FAILED("client-output-buffer-limit", "Error in hard, soft or soft_seconds setting in buffer limit configuration."));
    /* a bad class later in the value changes nothing */
    GET_EQ("client-output-buffer-limit", "normal 1048576 2097152 3 slave 1000 2000 3 pubsub 10 20 30");
}

Test(config, bind_addresses) {
    GET_EQ("bind", "* -::*");
    SET_OK("bind", "127.0.0.1 ::1");
    GET_EQ("bind", "127.0.0.1 ::1");
    cr_expect_eq(cfg.bind_count, 2);
    cr_expect_str_eq(cfg.bind[1], "::1");
    SET_OK("bind", "");
    GET_EQ("bind", "");
    cr_expect_eq(cfg.bind_count, 0);
    SET_ERR("bind", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
            FAILED("bind", "Too many bind addresses specified."));
    LOAD_OK("bind 10.0.0.1 -::1\n");
    GET_EQ("bind", "10.0.0.1 -::1");
}

Test(config, notify_keyspace_events_are_normalised) {
    static const struct { const char *in, *out; } cases[] = {
        {"", ""}, {"KEA", "AKE"}, {"Kxg", "gxK"}, {"Kgm$lshzxetdn", "AKm"},
        {"Kn", "nK"}, {"n", "n"}, {"E$lshzxetdgK", "AKE"}, {"AAgg", "A"}, {"g", "g"},
        {"tdzhslxe$", "$lshzxetd"}, {"Am", "Am"}, {"mEK", "KEm"}, {"Ex", "xE"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SET_OK("notify-keyspace-events", cases[i].in);
        GET_EQ("notify-keyspace-events", cases[i].out);
    }
    SET_OK("notify-keyspace-events", "KEA");
    cr_expect_eq(cfg.notify_keyspace_events, NOTIFY_ALL | NOTIFY_KEYSPACE | NOTIFY_KEYEVENT);
    SET_ERR("notify-keyspace-events", "KQ",
            FAILED("notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
    SET_ERR("notify-keyspace-events", "a",
            FAILED("notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
}

Test(config, oom_score_adj_values) {
    GET_EQ("oom-score-adj-values", "0 200 800");
    SET_OK("oom-score-adj-values", "-100 0 1000");
    cr_expect_eq(cfg.oom_score_adj_values[CONFIG_OOM_BGCHILD], 1000);
    SET_ERR("oom-score-adj-values", "1 2", FAILED("oom-score-adj-values", "wrong number of arguments"));
    SET_ERR("oom-score-adj-values", "1 2 3000",
            FAILED("oom-score-adj-values", "Invalid oom-score-adj-values, elements must be between -2000 and 2000."));
    cr_expect_eq(nwarnings, 0);
    SET_OK("oom-score-adj-values", "800 200 0");                 /* allowed, but warned */
    cr_expect_eq(nwarnings, 1);
}

Test(config, latency_tracking_percentiles) {
    GET_EQ("latency-tracking-info-percentiles", "50 99 99.9");
    SET_OK("latency-tracking-info-percentiles", "0 99.99 100");
    GET_EQ("latency-tracking-info-percentiles", "0 99.99 100");
    cr_expect_eq(cfg.latency_tracking_info_percentiles_len, 3);
    SET_ERR("latency-tracking-info-percentiles", "50 abc",
            FAILED("latency-tracking-info-percentiles", "Invalid latency-tracking-info-percentiles parameters"));
    SET_ERR("latency-tracking-info-percentiles", "101",
            FAILED("latency-tracking-info-percentiles",
                   "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"));
    GET_EQ("latency-tracking-info-percentiles", "0 99.99 100");
    SET_OK("latency-tracking-info-percentiles", "");
    GET_EQ("latency-tracking-info-percentiles", "");
}

Test(config, dir_is_the_working_directory) {
    char real[PATH_MAX];
    cr_assert(realpath(tmpDir, real));
    GET_EQ("dir", real);
    cr_assert_eq(mkdir("sub", 0755), 0);
    SET_ERR("dir", "sub", FAILED("dir", "can't set protected config"));
    LOAD_OK("enable-protected-configs yes\ndir sub\n");
    char expect[PATH_MAX + 8];
    snprintf(expect, sizeof(expect), "%s/sub", real);
    GET_EQ("dir", expect);
    SET_ERR("dir", "/nonexistent-roost-dir", FAILED("dir", "No such file or directory"));
    GET_EQ("dir", expect);
    SET_OK("dir", "..");
    GET_EQ("dir", real);
}

Test(config, protected_configs) {
    SET_ERR("dbfilename", "x.rdb", FAILED("dbfilename", "can't set protected config"));
    LOAD_OK("enable-protected-configs local\n");
    SET_ERR("dbfilename", "x.rdb", FAILED("dbfilename", "can't set protected config"));
    const char *nv[] = {"dbfilename", "x.rdb"};
    char *err = NULL;
    cr_expect_eq(configSetEx(2, nv, CONFIG_SET_LOCAL, &err), CONFIG_OK);
    GET_EQ("dbfilename", "x.rdb");
}

Test(config, get_formats_each_type_like_redis) {
    LOAD_OK("maxmemory 2gb\n"                       /* memory: plain bytes */
            "maxmemory-clients 5%\n"               /* percent */
            "unixsocketperm 755\n"                 /* octal */
            "appendonly yes\n"                     /* bool */
            "appendfsync always\n"                 /* enum */
            "shutdown-on-sigterm force save\n"     /* flags */
            "logfile \"\"\n"                       /* empty string */
            "requirepass \"a b\\tc\"\n"            /* escapes */
            "list-max-ziplist-size -3\n"           /* negative int, alias */
            "slowlog-max-len 1000000\n");
    GET_EQ("maxmemory", "2147483648");
    GET_EQ("maxmemory-clients", "5%");
    GET_EQ("unixsocketperm", "755");
    GET_EQ("appendonly", "yes");
    GET_EQ("appendfsync", "always");
    GET_EQ("shutdown-on-sigterm", "save force");
    GET_EQ("logfile", "");
    GET_EQ("requirepass", "a b\tc");
    GET_EQ("list-max-listpack-size", "-3");
    GET_EQ("list-max-ziplist-size", "-3");
    GET_EQ("slowlog-max-len", "1000000");
}

/* ==== CONFIG SET: names, atomicity, apply callbacks ======================== */

Test(config, set_refuses_bad_names_with_redis_texts) {
    SET_ERR("foo", "bar", "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
    SET_ERR("databases", "3", FAILED("databases", "can't set immutable config"));
    SET_ERR("daemonize", "yes", FAILED("daemonize", "can't set immutable config"));
    SET_ERR("threads", "2", FAILED("threads", "can't set immutable config"));
    SET_ERR("tls-port", "6380", FAILED("tls-port", "not supported by roost"));
    SET_ERR("cluster-enabled", "yes", FAILED("cluster-enabled", "not supported by roost"));
    char *err = NULL;
    const char *one[] = {"port"};
    cr_expect_eq(configSet(1, one, &err), CONFIG_ERR);
    cr_expect_str_eq(err, "ERR wrong number of arguments for 'config|set' command");
    zfree(err);
    const char *odd[] = {"port", "1", "hz"};
    cr_expect_eq(configSet(3, odd, &err), CONFIG_ERR);
    cr_expect_str_eq(err, "ERR syntax error");
    zfree(err);
}

Test(config, set_names_are_case_insensitive_and_aliases_work) {
    SET_OK("HZ", "20");
    cr_expect_eq(cfg.hz, 20);
    SET_OK("lua-time-limit", "100");
    GET_EQ("busy-reply-threshold", "100");
    GET_EQ("lua-time-limit", "100");
    SET_OK("slave-read-only", "no");
    GET_EQ("replica-read-only", "no");
    SET_ERR("lua-time-limit", "abc", FAILED("lua-time-limit", "argument couldn't be parsed into an integer"));
    cr_expect(configIsSensitive("requirepass"));
    cr_expect(configIsSensitive("MASTERAUTH"));
    cr_expect(!configIsSensitive("port"));
}

Test(config, multi_set_first_error_wins) {
    const char *a[] = {"hz", "5", "hz", "6"};
    char *err = NULL;
    cr_expect_eq(configSet(4, a, &err), CONFIG_ERR);
    cr_expect_str_eq(err, FAILED("hz", "duplicate parameter"));
    zfree(err);
    const char *b[] = {"lua-time-limit", "5", "busy-reply-threshold", "6"};
    cr_expect_eq(configSet(4, b, &err), CONFIG_ERR);
    cr_expect_str_eq(err, FAILED("busy-reply-threshold", "duplicate parameter"));
    zfree(err);
    const char *c[] = {"hz", "5", "foo", "bar"};
    cr_expect_eq(configSet(4, c, &err), CONFIG_ERR);
    cr_expect_str_eq(err, "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
    zfree(err);
    const char *d[] = {"databases", "1", "foo", "bar"};
    cr_expect_eq(configSet(4, d, &err), CONFIG_ERR);
    cr_expect_str_eq(err, FAILED("databases", "can't set immutable config"));
    zfree(err);
    GET_EQ("hz", "10");
}

Test(config, multi_set_is_all_or_nothing) {
    const char *nv[] = {"hz", "5", "bind", "10.0.0.1", "save", "1 1", "maxmemory", "1gb",
                        "notify-keyspace-events", "KEA", "maxmemory-policy", "nope"};
    char *err = NULL;
    cr_assert_eq(configSet(12, nv, &err), CONFIG_ERR);
    cr_expect_str_eq(err, FAILED("maxmemory-policy",
                                 "argument(s) must be one of the following: volatile-lru, volatile-lfu, "
                                 "volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, "
                                 "noeviction"));
    zfree(err);
    GET_EQ("hz", "10");
    GET_EQ("bind", "* -::*");
    GET_EQ("save", "3600 1 300 100 60 10000");
    GET_EQ("maxmemory", "0");
    GET_EQ("notify-keyspace-events", "");
    GET_EQ("maxmemory-policy", "noeviction");
    nv[11] = "allkeys-lru";
    cr_assert_eq(configSet(12, nv, &err), CONFIG_OK);
    GET_EQ("hz", "5");
    GET_EQ("bind", "10.0.0.1");
    GET_EQ("save", "1 1");
    GET_EQ("maxmemory", "1073741824");
    GET_EQ("notify-keyspace-events", "AKE");
    GET_EQ("maxmemory-policy", "allkeys-lru");
}

static int applyCalls, applyOtherCalls, failNext;
static int seenMaxmemoryAtApply;

static int applyCount(const char **err) {
    (void)err;
    applyCalls++;
    seenMaxmemoryAtApply = (int)(cfg.maxmemory >> 20);
    return 1;
}

static int applyOther(const char **err) {
    applyOtherCalls++;
    if (failNext) {
        failNext--;
        *err = "Unable to listen on this port. Check server logs.";
        return 0;
    }
    return 1;
}

Test(config, apply_runs_once_after_all_values_and_only_on_change) {
    cr_assert_eq(configSetApply("maxmemory", applyCount), CONFIG_OK);
    cr_assert_eq(configSetApply("maxmemory-policy", applyCount), CONFIG_OK);
    cr_expect_eq(configSetApply("nonexistent", applyCount), CONFIG_ERR);
    const char *nv[] = {"maxmemory", "7mb", "maxmemory-policy", "allkeys-lru"};
    char *err = NULL;
    cr_assert_eq(configSet(4, nv, &err), CONFIG_OK);
    cr_expect_eq(applyCalls, 1);                    /* shared callback: once */
    cr_expect_eq(seenMaxmemoryAtApply, 7);          /* after the values were set */
    cr_assert_eq(configSet(4, nv, &err), CONFIG_OK);
    cr_expect_eq(applyCalls, 1);                    /* nothing changed */
    SET_OK("maxmemory", "7340032");                 /* same value, other spelling */
    cr_expect_eq(applyCalls, 1);
    SET_OK("maxmemory", "8mb");
    cr_expect_eq(applyCalls, 2);
    LOAD_OK("maxmemory 9mb\n");                     /* never while loading */
    cr_expect_eq(applyCalls, 2);
}

Test(config, failing_apply_restores_everything) {
    configSetApply("port", applyOther);
    configSetApply("maxmemory", applyCount);
    const char *nv[] = {"maxmemory", "5mb", "port", "7000", "hz", "50"};
    char *err = NULL;
    failNext = 1;
    cr_assert_eq(configSet(6, nv, &err), CONFIG_ERR);
    cr_expect_str_eq(err, FAILED("port", "Unable to listen on this port. Check server logs."));
    zfree(err);
    GET_EQ("maxmemory", "0");
    GET_EQ("port", "6379");
    GET_EQ("hz", "10");
    cr_expect_eq(applyOtherCalls, 2);               /* the failed one, then the restore */
    cr_expect_eq(applyCalls, 2);
    cr_expect_eq(seenMaxmemoryAtApply, 0);          /* restore re-applied the old value */
    cr_expect(strstr(warnings, "restoring previous settings"));
    configSetApply("port", NULL);
    configSetApply("maxmemory", NULL);
}

/* ==== CONFIG GET ============================================================ */

static char *joinGet(int n, const char **pats) {
    static char buf[16384];
    configPair *p;
    size_t np = configGet(n, pats, &p);
    buf[0] = '\0';
    for (size_t i = 0; i < np; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, sizeof(buf) - l, "%s=%s;", p[i].name, p[i].value);
    }
    configPairsFree(p, np);
    return buf;
}

Test(config, get_patterns) {
    const char *a[] = {"maxmemory*"};
    cr_expect_str_eq(joinGet(1, a), "maxmemory=0;maxmemory-policy=noeviction;maxmemory-samples=5;"
                                    "maxmemory-eviction-tenacity=10;maxmemory-clients=0;");
    const char *b[] = {"*-max-ziplist-*"};
    cr_expect_str_eq(joinGet(1, b), "hash-max-ziplist-entries=512;hash-max-ziplist-value=64;"
                                    "list-max-ziplist-size=-2;zset-max-ziplist-entries=128;"
                                    "zset-max-ziplist-value=64;");
    const char *c[] = {"port", "hz", "PO*", "port"};            /* each name once */
    cr_expect_str_eq(joinGet(4, c), "port=6379;hz=10;");
    const char *d[] = {"PORT"};                                  /* exact: as spelled */
    cr_expect_str_eq(joinGet(1, d), "PORT=6379;");
    const char *e[] = {"\\hz", "nonexistent", "tls-port", "[^a-z]*"};
    cr_expect_str_eq(joinGet(4, e), "");
    const char *f[] = {"h?", "p[o]rt", "slave-*-ip"};
    cr_expect_str_eq(joinGet(3, f), "hz=10;port=6379;slave-announce-ip=;");
    const char *g[] = {"slave*"};
    cr_expect_str_eq(joinGet(1, g), "slave-ignore-maxmemory=yes;slave-lazy-flush=no;slave-read-only=yes;"
                                    "slave-serve-stale-data=yes;slave-priority=100;slave-announce-ip=;"
                                    "slave-announce-port=0;");
    configPair *p;
    cr_expect_eq(configGet(0, NULL, &p), 0);
    cr_expect_null(configGetValue("nonexistent"));
}

/* Redis 7.0.15's CONFIG GET * on a server started with no config file. */
static const struct { const char *name, *value; } redisDefaults[] = {
    {"acl-pubsub-default", "resetchannels"},
    {"acllog-max-len", "128"},
    {"active-defrag-cycle-max", "25"},
    {"active-defrag-cycle-min", "1"},
    {"active-defrag-ignore-bytes", "104857600"},
    {"active-defrag-max-scan-fields", "1000"},
    {"active-defrag-threshold-lower", "10"},
    {"active-defrag-threshold-upper", "100"},
    {"active-expire-effort", "1"},
    {"activedefrag", "no"},
    {"activerehashing", "yes"},
    {"always-show-logo", "no"},
    {"aof-disable-auto-gc", "no"},
    {"aof-load-truncated", "yes"},
    {"aof-rewrite-incremental-fsync", "yes"},
    {"aof-timestamp-enabled", "no"},
    {"aof-use-rdb-preamble", "yes"},
    {"appenddirname", "appendonlydir"},
    {"appendfilename", "appendonly.aof"},
    {"appendfsync", "everysec"},
    {"appendonly", "no"},
    {"auto-aof-rewrite-min-size", "67108864"},
    {"auto-aof-rewrite-percentage", "100"},
    {"bind", "* -::*"},
    {"busy-reply-threshold", "5000"},
    {"client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
    {"client-query-buffer-limit", "1073741824"},
    {"crash-log-enabled", "yes"},
    {"crash-memcheck-enabled", "yes"},
    {"daemonize", "no"},
    {"databases", "16"},
    {"dbfilename", "dump.rdb"},
    {"disable-thp", "yes"},
    {"dynamic-hz", "yes"},
    {"enable-debug-command", "no"},
    {"enable-module-command", "no"},
    {"enable-protected-configs", "no"},
    {"hash-max-listpack-entries", "512"},
    {"hash-max-listpack-value", "64"},
    {"hash-max-ziplist-entries", "512"},
    {"hash-max-ziplist-value", "64"},
    {"hll-sparse-max-bytes", "3000"},
    {"hz", "10"},
    {"ignore-warnings", ""},
    {"io-threads", "1"},
    {"io-threads-do-reads", "no"},
    {"jemalloc-bg-thread", "yes"},
    {"latency-monitor-threshold", "0"},
    {"latency-tracking", "yes"},
    {"latency-tracking-info-percentiles", "50 99 99.9"},
    {"lazyfree-lazy-eviction", "no"},
    {"lazyfree-lazy-expire", "no"},
    {"lazyfree-lazy-server-del", "no"},
    {"lazyfree-lazy-user-del", "no"},
    {"lazyfree-lazy-user-flush", "no"},
    {"lfu-decay-time", "1"},
    {"lfu-log-factor", "10"},
    {"list-compress-depth", "0"},
    {"list-max-listpack-size", "-2"},
    {"list-max-ziplist-size", "-2"},
    {"logfile", ""},
    {"loglevel", "notice"},
    {"lua-time-limit", "5000"},
    {"masterauth", ""},
    {"masteruser", ""},
    {"maxclients", "10000"},
    {"maxmemory", "0"},
    {"maxmemory-clients", "0"},
    {"maxmemory-eviction-tenacity", "10"},
    {"maxmemory-policy", "noeviction"},
    {"maxmemory-samples", "5"},
    {"min-replicas-max-lag", "10"},
    {"min-replicas-to-write", "0"},
    {"min-slaves-max-lag", "10"},
    {"min-slaves-to-write", "0"},
    {"no-appendfsync-on-rewrite", "no"},
    {"notify-keyspace-events", ""},
    {"oom-score-adj", "no"},
    {"oom-score-adj-values", "0 200 800"},
    {"pidfile", ""},
    {"port", "6379"},
    {"proc-title-template", "{title} {listen-addr} {server-mode}"},
    {"protected-mode", "yes"},
    {"proto-max-bulk-len", "536870912"},
    {"rdb-del-sync-files", "no"},
    {"rdb-save-incremental-fsync", "yes"},
    {"rdbchecksum", "yes"},
    {"rdbcompression", "yes"},
    {"repl-backlog-size", "1048576"},
    {"repl-backlog-ttl", "3600"},
    {"repl-disable-tcp-nodelay", "no"},
    {"repl-diskless-load", "disabled"},
    {"repl-diskless-sync", "yes"},
    {"repl-diskless-sync-delay", "5"},
    {"repl-diskless-sync-max-replicas", "0"},
    {"repl-ping-replica-period", "10"},
    {"repl-ping-slave-period", "10"},
    {"repl-timeout", "60"},
    {"replica-announce-ip", ""},
    {"replica-announce-port", "0"},
    {"replica-announced", "yes"},
    {"replica-ignore-maxmemory", "yes"},
    {"replica-lazy-flush", "no"},
    {"replica-priority", "100"},
    {"replica-read-only", "yes"},
    {"replica-serve-stale-data", "yes"},
    {"requirepass", ""},
    {"sanitize-dump-payload", "no"},
    {"save", "3600 1 300 100 60 10000"},
    {"set-max-intset-entries", "512"},
    {"set-proc-title", "yes"},
    {"shutdown-on-sigint", "default"},
    {"shutdown-on-sigterm", "default"},
    {"shutdown-timeout", "10"},
    {"slave-announce-ip", ""},
    {"slave-announce-port", "0"},
    {"slave-ignore-maxmemory", "yes"},
    {"slave-lazy-flush", "no"},
    {"slave-priority", "100"},
    {"slave-read-only", "yes"},
    {"slave-serve-stale-data", "yes"},
    {"slowlog-log-slower-than", "10000"},
    {"slowlog-max-len", "128"},
    {"stop-writes-on-bgsave-error", "yes"},
    {"stream-node-max-bytes", "4096"},
    {"stream-node-max-entries", "100"},
    {"supervised", "no"},
    {"tcp-backlog", "511"},
    {"tcp-keepalive", "300"},
    {"timeout", "0"},
    {"tracking-table-max-keys", "1000000"},
    {"unixsocket", ""},
    {"unixsocketperm", "0"},
    {"zset-max-listpack-entries", "128"},
    {"zset-max-listpack-value", "64"},
    {"zset-max-ziplist-entries", "128"},
    {"zset-max-ziplist-value", "64"},
};

Test(config, defaults_match_redis_7_0) {
    for (size_t i = 0; i < sizeof(redisDefaults) / sizeof(redisDefaults[0]); i++)
        GET_EQ(redisDefaults[i].name, redisDefaults[i].value);
    GET_EQ("threads", "0");
    GET_EQ("set-max-listpack-entries", "128");
    GET_EQ("set-max-listpack-value", "64");
    cr_expect_eq(cfg.databases, 16);
    cr_expect_eq(cfg.maxmemory_policy, MAXMEMORY_NO_EVICTION);
    cr_expect(cfg.rdbchecksum);
    cr_expect_eq(cfg.save_params_len, 3);
}

/* Every directive Redis 7.0.15 lists in CONFIG GET *, plus the hidden ones
 * and the special file directives. */
static const char *redisNames[] = {
    "acl-pubsub-default", "aclfile", "acllog-max-len", "active-defrag-cycle-max",
    "active-defrag-cycle-min", "active-defrag-ignore-bytes",
    "active-defrag-max-scan-fields", "active-defrag-threshold-lower",
    "active-defrag-threshold-upper", "active-expire-effort", "activedefrag",
    "activerehashing", "always-show-logo", "aof-disable-auto-gc", "aof-load-truncated",
    "aof-rewrite-incremental-fsync", "aof-timestamp-enabled", "aof-use-rdb-preamble",
    "aof_rewrite_cpulist", "appenddirname", "appendfilename", "appendfsync", "appendonly",
    "auto-aof-rewrite-min-size", "auto-aof-rewrite-percentage", "bgsave_cpulist", "bind",
    "bind-source-addr", "bio_cpulist", "busy-reply-threshold", "client-output-buffer-limit",
    "client-query-buffer-limit", "cluster-allow-pubsubshard-when-down",
    "cluster-allow-reads-when-down", "cluster-allow-replica-migration",
    "cluster-announce-bus-port", "cluster-announce-hostname", "cluster-announce-ip",
    "cluster-announce-port", "cluster-announce-tls-port", "cluster-config-file",
    "cluster-enabled", "cluster-link-sendbuf-limit", "cluster-migration-barrier",
    "cluster-node-timeout", "cluster-port", "cluster-preferred-endpoint-type",
    "cluster-replica-no-failover", "cluster-replica-validity-factor",
    "cluster-require-full-coverage", "cluster-slave-no-failover",
    "cluster-slave-validity-factor", "crash-log-enabled", "crash-memcheck-enabled",
    "daemonize", "databases", "dbfilename", "dir", "disable-thp", "dynamic-hz",
    "enable-debug-command", "enable-module-command", "enable-protected-configs",
    "hash-max-listpack-entries", "hash-max-listpack-value", "hash-max-ziplist-entries",
    "hash-max-ziplist-value", "hll-sparse-max-bytes", "hz", "ignore-warnings", "io-threads",
    "io-threads-do-reads", "jemalloc-bg-thread", "latency-monitor-threshold",
    "latency-tracking", "latency-tracking-info-percentiles", "lazyfree-lazy-eviction",
    "lazyfree-lazy-expire", "lazyfree-lazy-server-del", "lazyfree-lazy-user-del",
    "lazyfree-lazy-user-flush", "lfu-decay-time", "lfu-log-factor", "list-compress-depth",
    "list-max-listpack-size", "list-max-ziplist-size", "logfile", "loglevel",
    "lua-time-limit", "masterauth", "masteruser", "maxclients", "maxmemory",
    "maxmemory-clients", "maxmemory-eviction-tenacity", "maxmemory-policy",
    "maxmemory-samples", "min-replicas-max-lag", "min-replicas-to-write",
    "min-slaves-max-lag", "min-slaves-to-write", "no-appendfsync-on-rewrite",
    "notify-keyspace-events", "oom-score-adj", "oom-score-adj-values", "pidfile", "port",
    "proc-title-template", "propagation-error-behavior", "protected-mode",
    "proto-max-bulk-len", "rdb-del-sync-files", "rdb-save-incremental-fsync", "rdbchecksum",
    "rdbcompression", "repl-backlog-size", "repl-backlog-ttl", "repl-disable-tcp-nodelay",
    "repl-diskless-load", "repl-diskless-sync", "repl-diskless-sync-delay",
    "repl-diskless-sync-max-replicas", "repl-ping-replica-period", "repl-ping-slave-period",
    "repl-timeout", "replica-announce-ip", "replica-announce-port", "replica-announced",
    "replica-ignore-disk-write-errors", "replica-ignore-maxmemory", "replica-lazy-flush",
    "replica-priority", "replica-read-only", "replica-serve-stale-data", "replicaof",
    "requirepass", "sanitize-dump-payload", "save", "server_cpulist",
    "set-max-intset-entries", "set-proc-title", "shutdown-on-sigint", "shutdown-on-sigterm",
    "shutdown-timeout", "slave-announce-ip", "slave-announce-port",
    "slave-ignore-maxmemory", "slave-lazy-flush", "slave-priority", "slave-read-only",
    "slave-serve-stale-data", "slaveof", "slowlog-log-slower-than", "slowlog-max-len",
    "socket-mark-id", "stop-writes-on-bgsave-error", "stream-node-max-bytes",
    "stream-node-max-entries", "supervised", "syslog-enabled", "syslog-facility",
    "syslog-ident", "tcp-backlog", "tcp-keepalive", "timeout", "tls-auth-clients",
    "tls-ca-cert-dir", "tls-ca-cert-file", "tls-cert-file", "tls-ciphers",
    "tls-ciphersuites", "tls-client-cert-file", "tls-client-key-file",
    "tls-client-key-file-pass", "tls-cluster", "tls-dh-params-file", "tls-key-file",
    "tls-key-file-pass", "tls-port", "tls-prefer-server-ciphers", "tls-protocols",
    "tls-replication", "tls-session-cache-size", "tls-session-cache-timeout",
    "tls-session-caching", "tracking-table-max-keys", "unixsocket", "unixsocketperm",
    "zset-max-listpack-entries", "zset-max-listpack-value", "zset-max-ziplist-entries",
    "zset-max-ziplist-value",
    "use-exit-on-panic", "watchdog-period", "rdb-key-save-delay", "key-load-delay",
    "loading-process-events-interval-bytes", "include", "rename-command", "user",
    "loadmodule", "sentinel", "list-max-ziplist-entries", "list-max-ziplist-value",
    "lua-replicate-commands",
};

Test(config, every_redis_directive_is_known) {
    char path[64];
    for (size_t i = 0; i < sizeof(redisNames) / sizeof(redisNames[0]); i++) {
        const char *n = redisNames[i];
        char *v = configGetValue(n);
        if (v) { zfree(v); continue; }
        /* not an option: a file line naming it must load with a warning */
        char text[256];
        snprintf(path, sizeof(path), "inc%zu.conf", i);
        writeFile(path, "");
        if (!strcmp(n, "include")) snprintf(text, sizeof(text), "include %s\n", path);
        else snprintf(text, sizeof(text), "%s x y\n", n);
        if (!strncmp(n, "list-max-ziplist", 16) || !strcmp(n, "lua-replicate-commands"))
            snprintf(text, sizeof(text), "%s 1\n", n);
        int before = nwarnings;
        char *err = NULL;
        cr_expect_eq(configLoadString(text, "t", &err), CONFIG_OK, "%s: %s", n, err ? err : "");
        if (strcmp(n, "include")) cr_expect_eq(nwarnings, before + 1, "no warning for %s", n);
    }
}

/* ==== config files and the command line ==================================== */

Test(config, file_syntax) {
    writeFile("a.conf",
              "# comment\n"
              "\n"
              "   # indented comment\n"
              "PORT 7000\r\n"
              "  hz   20  \n"
              "requirepass \"quoted \\\"pass\\\" \\x41\\n\"\n"
              "ignore-warnings 'single \\'quoted\\''\n"
              "logfile \"\"\n"
              "bind 127.0.0.1 \"::1\"\n"
              "save \"\"\n"
              "save 60 5 30 10\n"
              "notify-keyspace-events Ex\n"
              "maxmemory 1GB\n");
    char *err = NULL;
    cr_assert_eq(configLoadFile("a.conf", &err), CONFIG_OK, "%s", err ? err : "");
    cr_expect_eq(cfg.port, 7000);
    cr_expect_eq(cfg.hz, 20);
    cr_expect_str_eq(cfg.requirepass, "quoted \"pass\" A\n");
    cr_expect_str_eq(cfg.ignore_warnings, "single 'quoted'");
    GET_EQ("bind", "127.0.0.1 ::1");
    GET_EQ("save", "60 5 30 10");
    GET_EQ("notify-keyspace-events", "xE");
    cr_expect_eq(cfg.maxmemory, 1ULL << 30);
    cr_expect_eq(nwarnings, 0, "%s", warnings);
}

Test(config, file_errors_match_redis) {
    FILE_ERR("port 7399\nfoo bar\n", 2, "foo bar", "Bad directive or wrong number of arguments");
    FILE_ERR("port 1 2\n", 1, "port 1 2", "wrong number of arguments");
    FILE_ERR("  port   7399 extra  \n", 1, "port   7399 extra", "wrong number of arguments");
    FILE_ERR("HZ 5\nPort\n", 2, "Port", "wrong number of arguments");
    FILE_ERR("maxmemory abc\n", 1, "maxmemory abc", "argument must be a memory value");
    FILE_ERR("hz \"unbalanced\n", 1, "hz \"unbalanced", "Unbalanced quotes in configuration line");
    FILE_ERR("hz \"5\"x\n", 1, "hz \"5\"x", "Unbalanced quotes in configuration line");
    FILE_ERR("appendfsync maybe\n", 1, "appendfsync maybe",
             "argument(s) must be one of the following: everysec, always, no");
    FILE_ERR("databases 3\nport x\n", 2, "port x", "argument couldn't be parsed into an integer");
    FILE_ERR("include\n", 1, "include", "Bad directive or wrong number of arguments");
    FILE_ERR("\n\n# c\nthreads -1\n", 4, "threads -1", "argument must be between 0 and 1024 inclusive");
    char *err = NULL;
    cr_expect_eq(configLoadFile("missing.conf", &err), CONFIG_ERR);
    cr_expect_str_eq(err, "Fatal error, can't open config file 'missing.conf': No such file or directory\n");
    zfree(err);
}

Test(config, logfile_must_be_writable) {
    char *err = NULL;
    cr_expect_eq(configLoadString("logfile /nonexistent-dir/roost.log\n", "t", &err), CONFIG_ERR);
    cr_expect_str_eq(err, "\n*** FATAL CONFIG FILE ERROR (roost " ROOST_VERSION ") ***\n"
                          "Can't open the log file: No such file or directory\n");
    zfree(err);
    configDefaults();
    LOAD_OK("logfile roost.log\n");
    cr_expect_eq(access("roost.log", F_OK), 0);
}

Test(config, includes) {
    cr_assert_eq(mkdir("conf.d", 0755), 0);
    writeFile("conf.d/a.conf", "hz 11\nport 7001\n");
    writeFile("conf.d/b.conf", "hz 12\n");
    writeFile("main.conf", "port 7000\ninclude conf.d/*.conf\ninclude nothing-*.conf\nmaxclients 5\n");
    char *err = NULL;
    cr_assert_eq(configLoadFile("main.conf", &err), CONFIG_OK, "%s", err ? err : "");
    cr_expect_eq(cfg.port, 7001);
    cr_expect_eq(cfg.hz, 12);
    cr_expect_eq(cfg.maxclients, 5);
    writeFile("bad.conf", "hz 5\nport nope\n");
    writeFile("main.conf", "include bad.conf\n");
    cr_assert_eq(configLoadFile("main.conf", &err), CONFIG_ERR);
    cr_expect_str_eq(err, "\n*** FATAL CONFIG FILE ERROR (roost " ROOST_VERSION ") ***\n"
                          "Reading the included file 'bad.conf', at line 2\n"
                          ">>> 'port nope'\n"
                          "argument couldn't be parsed into an integer\n");
    zfree(err);
    writeFile("main.conf", "include absent.conf\n");
    cr_assert_eq(configLoadFile("main.conf", &err), CONFIG_ERR);
    cr_expect_str_eq(err, "Fatal error, can't open config file 'absent.conf': No such file or directory\n");
    zfree(err);
    writeFile("loop.conf", "include loop.conf\n");
    cr_assert_eq(configLoadFile("loop.conf", &err), CONFIG_ERR);
    cr_expect(strstr(err, "Too many nested include directives"), "%s", err);
    zfree(err);
}

Test(config, unsupported_and_no_effect_directives_warn) {
    writeFile("w.conf",
              "cluster-enabled yes\n"
              "tls-port 6380\n"
              "replicaof 10.0.0.1 6379\n"
              "rename-command CONFIG \"\"\n"
              "mymodule.option 5\n"
              "list-max-ziplist-entries 512\n"
              "daemonize yes\n"
              "daemonize no\n"
              "replica-read-only no\n"
              "io-threads 4\n"
              "activedefrag yes\n");
    char *err = NULL;
    cr_assert_eq(configLoadFile("w.conf", &err), CONFIG_OK, "%s", err ? err : "");
    cr_expect_str_eq(warnings,
        "roost: ignoring unsupported directive 'cluster-enabled' (line 1 of w.conf)\n"
        "roost: ignoring unsupported directive 'tls-port' (line 2 of w.conf)\n"
        "roost: ignoring unsupported directive 'replicaof' (line 3 of w.conf)\n"
        "roost: ignoring unsupported directive 'rename-command' (line 4 of w.conf)\n"
        "roost: ignoring unsupported directive 'mymodule.option' (line 5 of w.conf)\n"
        "roost: ignoring deprecated directive 'list-max-ziplist-entries' (line 6 of w.conf)\n"
        "roost: 'daemonize yes' has no effect: roost always runs in the foreground (line 7 of w.conf)\n"
        "roost: 'replica-read-only no' has no effect: roost has no replication (line 9 of w.conf)\n"
        "roost: 'io-threads 4' has no effect: roost runs commands on 'threads' Ps; io-threads is not used (line 10 of w.conf)\n"
        "roost: 'activedefrag yes' has no effect: roost has no active defragmentation (line 11 of w.conf)\n");
    cr_expect(!cfg.daemonize);
    cr_expect_eq(cfg.io_threads, 4);
    cr_expect(cfg.activedefrag);
    GET_EQ("activedefrag", "yes");
}

Test(config, command_line_overrides) {
    char *args[] = {"--port", "6380", "--bind", "127.0.0.1", "::1", "--save", "60", "100",
                    "--maxmemory 10mb", "--requirepass", "--dash-leading", "--appendonly", "yes"};
    char *err = NULL;
    cr_assert_eq(configApplyArgs(13, args, &err), CONFIG_OK, "%s", err ? err : "");
    cr_expect_eq(cfg.port, 6380);
    GET_EQ("bind", "127.0.0.1 ::1");
    GET_EQ("save", "60 100");
    GET_EQ("maxmemory", "10485760");
    GET_EQ("requirepass", "--dash-leading");
    cr_expect(cfg.appendonly);
    char *lone[] = {"--save", "--hz", "20"};
    cr_assert_eq(configApplyArgs(3, lone, &err), CONFIG_OK);
    GET_EQ("save", "");
    cr_expect_eq(cfg.hz, 20);
    configDefaults();
    char *last[] = {"--hz", "30", "--save"};
    cr_assert_eq(configApplyArgs(3, last, &err), CONFIG_OK);
    GET_EQ("save", "");
    char *bad[] = {"--port", "6380", "--hz", "x"};
    cr_assert_eq(configApplyArgs(4, bad, &err), CONFIG_ERR);
    cr_expect_str_eq(err, "\n*** FATAL CONFIG FILE ERROR (roost " ROOST_VERSION ") ***\n"
                          "Reading the command line, at option 2\n"
                          ">>> 'hz \"x\"'\n"
                          "argument couldn't be parsed into an integer\n");
    zfree(err);
    char *unknown[] = {"--foo", "bar"};
    cr_assert_eq(configApplyArgs(2, unknown, &err), CONFIG_ERR);
    cr_expect(strstr(err, ">>> 'foo \"bar\"'\nBad directive or wrong number of arguments\n"), "%s", err);
    zfree(err);
    char *noarg[] = {"--hz"};
    cr_assert_eq(configApplyArgs(1, noarg, &err), CONFIG_ERR);
    cr_expect(strstr(err, ">>> 'hz'\nwrong number of arguments\n"), "%s", err);
    zfree(err);
    char *warn[] = {"--tls-port", "1"};
    cr_assert_eq(configApplyArgs(2, warn, &err), CONFIG_OK);
    cr_expect(strstr(warnings, "roost: ignoring unsupported directive 'tls-port' (command line, option 1)"),
              "%s", warnings);
}

Test(config, threads_resolve_to_cpus) {
    int n = configThreads();
    cr_expect(n >= 1 && n <= 8);
    LOAD_OK("threads 3\n");
    cr_expect_eq(configThreads(), 3);
}

/* Where the repository's redis.conf is, from this file's compile-time path. */
static void repoPath(char *out, size_t n, const char *rel) {
    const char *me = __FILE__;
    const char *cut = strstr(me, "tests/unit/test_config.c");
    int prefix = cut ? (int)(cut - me) : 0;
    int len;
    if (me[0] == '/') len = snprintf(out, n, "%.*s%s", prefix, me, rel);
    else len = snprintf(out, n, "%s/%.*s%s", origCwd, prefix, me, rel);
    cr_assert(len > 0 && (size_t)len < n, "path too long");
}

Test(config, the_default_redis_conf_loads_cleanly) {
    char path[PATH_MAX];
    repoPath(path, sizeof(path), "redis.conf");
    char *err = NULL;
    cr_assert_eq(configLoadFile(path, &err), CONFIG_OK, "%s", err ? err : "");
    cr_expect_eq(nwarnings, 0, "%s", warnings);
    cr_expect_eq(cfg.port, 6379);
    GET_EQ("bind", "127.0.0.1");
    GET_EQ("save", "3600 1 300 100 60 10000");
    GET_EQ("client-output-buffer-limit",
           "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
    cr_expect_eq(cfg.enable_debug_command, PROTECTED_ACTION_ALLOWED_NO);
}

/* Redis's own commented redis.conf (Debian's redis-server package) loads,
 * with warnings only of the two expected kinds. Its logfile, dir and
 * include lines point at system paths and are left out. */
Test(config, redis_own_redis_conf_loads) {
    FILE *in = fopen("/etc/redis/redis.conf", "r");
    if (!in) cr_skip_test("no /etc/redis/redis.conf on this machine");
    FILE *out = fopen("redis.conf", "w");
    cr_assert(out);
    char line[4096];
    while (fgets(line, sizeof(line), in))
        if (strncmp(line, "logfile", 7) && strncmp(line, "dir ", 4) && strncmp(line, "include", 7))
            fputs(line, out);
    fclose(in);
    fclose(out);
    char *err = NULL;
    cr_assert_eq(configLoadFile("redis.conf", &err), CONFIG_OK, "%s", err ? err : "");
    for (char *l = strtok(warnings, "\n"); l; l = strtok(NULL, "\n"))
        cr_expect(!strncmp(l, "roost: ignoring unsupported directive", 37) ||
                  strstr(l, "has no effect"), "unexpected warning: %s", l);
}

/* ==== CONFIG REWRITE ========================================================= */

static char *cwdReal(void) {
    static char buf[PATH_MAX];
    cr_assert(getcwd(buf, sizeof(buf)));
    return buf;
}

Test(config, rewrite_keeps_layout_and_replaces_in_place) {
    const char *orig =
        "# top comment\n"
        "port 7399\n"
        "save \"\"\n"
        "\n"
        "# memory\n"
        "maxmemory 100mb\n"
        "maxmemory 200mb\n"
        "hash-max-ziplist-entries 100\n"
        "slave-read-only yes\n"
        "bind 127.0.0.1\n"
        "   # indented comment\n"
        "dbfilename \"my dump.rdb\"\n"
        "loglevel notice\n"
        "include extra.conf\n"
        "tls-port 0\n"
        "hz 10\n";
    writeFile("extra.conf", "");
    writeFile("r.conf", orig);
    char *err = NULL;
    cr_assert_eq(configLoadFile("r.conf", &err), CONFIG_OK, "%s", err ? err : "");
    /* a line that no longer parses, added after start-up */
    FILE *fp = fopen("r.conf", "a");
    fputs("bogus-directive 1\n", fp);
    fclose(fp);
    const char *nv[] = {"maxmemory", "3mb", "hz", "20", "notify-keyspace-events", "KEA",
                        "client-output-buffer-limit", "normal 1mb 2mb 3",
                        "hash-max-listpack-entries", "200", "replica-read-only", "no",
                        "save", "10 1 20 2", "bind", "127.0.0.1 -::1",
                        "maxmemory-policy", "allkeys-lru", "maxmemory-clients", "10%",
                        "requirepass", "p\"w", "slowlog-log-slower-than", "-1"};
    cr_assert_eq(configSet(24, nv, &err), CONFIG_OK, "%s", err ? err : "");
    cr_assert_eq(configRewrite("r.conf", &err), CONFIG_OK, "%s", err ? err : "");
    char expect[8192];
    snprintf(expect, sizeof(expect),
        "# top comment\n"
        "port 7399\n"
        "save 10 1\n"
        "\n"
        "# memory\n"
        "maxmemory 3mb\n"
        "\n"
        "hash-max-listpack-entries 200\n"
        "replica-read-only no\n"
        "bind 127.0.0.1 -::1\n"
        "# indented comment\n"
        "dbfilename \"my dump.rdb\"\n"
        "loglevel notice\n"
        "include extra.conf\n"
        "tls-port 0\n"
        "hz 20\n"
        "# ??? bogus-directive 1\n"
        "\n"
        "# Generated by CONFIG REWRITE\n"
        "requirepass \"p\\\"w\"\n"
        "save 20 2\n"
        "dir \"%s\"\n"
        "maxmemory-policy allkeys-lru\n"
        "maxmemory-clients 10%%\n"
        "client-output-buffer-limit normal 1mb 2mb 3\n"
        "slowlog-log-slower-than -1\n"
        "notify-keyspace-events \"AKE\"\n",
        cwdReal());
    cr_expect_str_eq(readFile("r.conf"), expect);
}

Test(config, rewrite_removes_lines_of_options_back_at_default) {
    writeFile("r.conf", "# c\nbind 127.0.0.1\nsave 60 1\nsave 30 2\n\n\n\nmaxmemory 1mb\n# end\n");
    char *err = NULL;
    cr_assert_eq(configLoadFile("r.conf", &err), CONFIG_OK);
    const char *nv[] = {"bind", "* -::*", "save", "", "maxmemory", "0"};
    cr_assert_eq(configSet(6, nv, &err), CONFIG_OK);
    cr_assert_eq(configRewrite("r.conf", &err), CONFIG_OK);
    char expect[4096];
    snprintf(expect, sizeof(expect),
             "# c\n"
             "\n"                      /* bind: default, so its line goes */
             "save \"\"\n"
             "\n"                      /* second save line and the blank run */
             "maxmemory 0\n"           /* a line that existed keeps its place */
             "# end\n"
             "\n"
             "# Generated by CONFIG REWRITE\n"
             "dir \"%s\"\n", cwdReal());
    cr_expect_str_eq(readFile("r.conf"), expect);
}

Test(config, rewrite_is_stable_and_reloads_the_same_values) {
    writeFile("r.conf", "port 7000\n");
    char *err = NULL;
    cr_assert_eq(configLoadFile("r.conf", &err), CONFIG_OK);
    const char *nv[] = {"maxmemory", "1000", "hash-max-listpack-value", "2kb",
                        "latency-tracking-info-percentiles", "", "shutdown-on-sigint", "now save",
                        "oom-score-adj-values", "1 2 3", "requirepass", "a\tb\x01",
                        "client-output-buffer-limit", "pubsub 1gb 1 0", "loglevel", "warning",
                        "appendonly", "yes", "notify-keyspace-events", "Kn"};
    cr_assert_eq(configSet(20, nv, &err), CONFIG_OK, "%s", err ? err : "");
    cr_assert_eq(configRewrite("r.conf", &err), CONFIG_OK);
    char first[65536];
    snprintf(first, sizeof(first), "%s", readFile("r.conf"));
    cr_expect(strstr(first, "\nlatency-tracking-info-percentiles \"\"\n"), "%s", first);
    cr_expect(strstr(first, "\nrequirepass \"a\\tb\\x01\"\n"), "%s", first);
    cr_expect(strstr(first, "\nclient-output-buffer-limit pubsub 1gb 1 0\n"), "%s", first);
    cr_expect(strstr(first, "\nhash-max-listpack-value 2kb\n"), "%s", first);
    cr_assert_eq(configRewrite("r.conf", &err), CONFIG_OK);
    cr_expect_str_eq(readFile("r.conf"), first);

    const char *all = "*";
    configPair *before;
    size_t n = configGet(1, &all, &before);
    configDefaults();
    cr_assert_eq(configLoadFile("r.conf", &err), CONFIG_OK, "%s", err ? err : "");
    configPair *after;
    size_t m = configGet(1, &all, &after);
    cr_assert_eq(n, m);
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(before[i].name, after[i].name);
        cr_expect_str_eq(before[i].value, after[i].value, "%s", before[i].name);
    }
    configPairsFree(before, n);
    configPairsFree(after, m);
}

Test(config, rewrite_creates_a_missing_file) {
    char *err = NULL;
    SET_OK("hz", "42");
    cr_assert_eq(configRewrite("new.conf", &err), CONFIG_OK);
    char expect[4096];
    snprintf(expect, sizeof(expect),
             "# Generated by CONFIG REWRITE\n"
             "hz 42\n"
             "save 3600 1\n"
             "save 300 100\n"
             "save 60 10000\n"
             "dir \"%s\"\n", cwdReal());
    cr_expect_str_eq(readFile("new.conf"), expect);
    struct stat st;
    cr_assert_eq(stat("new.conf", &st), 0);
    mode_t um = umask(0);
    umask(um);
    cr_expect_eq(st.st_mode & 0777, 0644 & ~um);
}

Test(config, rewrite_reports_errors) {
    char *err = NULL;
    cr_expect_eq(configRewrite("no-such-dir/r.conf", &err), CONFIG_ERR);
    cr_expect_str_eq(err, "ERR Rewriting config file: No such file or directory");
    zfree(err);
    cr_assert_eq(mkdir("adir", 0755), 0);
    cr_expect_eq(configRewrite("adir", &err), CONFIG_ERR);
    cr_expect_str_eq(err, "ERR Rewriting config file: Is a directory");
    zfree(err);
}
