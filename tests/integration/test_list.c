/* test_list.c — the list family: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN
 * LRANGE LINDEX LSET LINSERT LREM LTRIM LPOS RPOPLPUSH LMOVE LMPOP.
 *
 * Exact replies and error texts in RESP2 (hiredis) and RESP3 (raw client
 * after HELLO 3): the null shapes of the pops (a null bulk without a count,
 * a null array with one), count 0, negative and non-numeric counts; the
 * order in which Redis checks arguments, types and keys; index arithmetic
 * of LRANGE / LTRIM / LINDEX / LSET at and past both ends; every LPOS option
 * and its errors; LMOVE / RPOPLPUSH between lists and onto the same list;
 * LMPOP's numkeys and COUNT; emptied lists disappearing; integers and binary
 * elements reading back byte for byte; big elements; a random-operation run
 * checked against a model in this file (with tiny nodes and compression, so
 * that quicklist nodes split, merge and compress); COPY / DEL / RENAME of
 * lists; concurrent pushers and movers; redis-benchmark's list tests.
 *
 * Every expectation was checked against redis-server 7.0.15: run with
 * ROOST_ORACLE=redis. The exception is OBJECT ENCODING: roost follows
 * Redis 7.2 (a small list is one "listpack" and converts to "quicklist"
 * past list-max-listpack-size, and back below half of it) where 7.0 always
 * says "quicklist"; those tests are roost-specific and skip under the
 * oracle.
 *
 * Servers: `s` (defaults) serves most tests, each on its own key names;
 * `sSmall` has list-max-listpack-size 4 and list-compress-depth 1 (tiny
 * nodes, compressed inner nodes); `sEnc` is for the encoding tests that
 * change the thresholds with CONFIG SET; `sThreads` runs roost with 4
 * threads for the concurrency tests (a plain server under the oracle).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static srv *s;                 /* defaults */
static srv *sSmall;            /* list-max-listpack-size 4, list-compress-depth 1 */
static srv *sEnc;              /* thresholds changed by the tests */
static srv *sThreads;          /* threads 4 (roost; Redis has no such directive) */

#define WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define NOT_INT "-ERR value is not an integer or out of range"
#define NOT_POSITIVE "-ERR value is out of range, must be positive"
#define SYNTAX "-ERR syntax error"

/* pattern: n bytes of printable text, different for each seed (caller frees) */
static char *pattern(size_t n, int seed) {
    char *p = malloc(n + 1);
    for (size_t i = 0; i < n; i++) p[i] = (char)('a' + (i * 7 + (size_t)seed * 13) % 26);
    p[n] = '\0';
    return p;
}

#define ROOST_ONLY()                                                                          \
    do {                                                                                      \
        if (srvIsOracle()) SKIP("roost-specific: Redis 7.0 always encodes lists as quicklist"); \
    } while (0)

/* ---- push and length ----------------------------------------------------------------- */

TEST(lpush_and_rpush_add_at_each_end_and_answer_the_length) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "RPUSH pu:l a", ":1");
    EXPECT(c, "RPUSH pu:l b c", ":3");
    EXPECT(c, "LPUSH pu:l x y", ":5");
    EXPECT(c, "LRANGE pu:l 0 -1", "[\"y\", \"x\", \"a\", \"b\", \"c\"]");
    EXPECT(c, "LLEN pu:l", ":5");
    EXPECT(c, "LLEN pu:none", ":0");
    EXPECT(c, "TYPE pu:l", "+list");
    EXPECT(c, "LPUSH pu:l", "-ERR wrong number of arguments for 'lpush' command");
    EXPECT(c, "RPUSH pu:l", "-ERR wrong number of arguments for 'rpush' command");
    EXPECT(c, "LLEN", "-ERR wrong number of arguments for 'llen' command");
}

TEST(pushx_only_pushes_onto_an_existing_list) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LPUSHX px:l a", ":0");
    EXPECT(c, "RPUSHX px:l a b", ":0");
    EXPECT(c, "EXISTS px:l", ":0");
    EXPECT(c, "RPUSH px:l m", ":1");
    EXPECT(c, "LPUSHX px:l a b", ":3");
    EXPECT(c, "RPUSHX px:l y z", ":5");
    EXPECT(c, "LRANGE px:l 0 -1", "[\"b\", \"a\", \"m\", \"y\", \"z\"]");
    EXPECT(c, "SET px:s v", "+OK");
    EXPECT(c, "LPUSHX px:s a", WRONGTYPE);
    EXPECT(c, "RPUSHX px:s a", WRONGTYPE);
}

TEST(integers_and_binary_elements_read_back_byte_for_byte) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "RPUSH in:l 0 -1 007 -0 1.5 9223372036854775807 -9223372036854775808 "
              "9223372036854775808 \" 1\" 127 128 -4096 4095 65536",
           ":14");
    EXPECT(c, "LRANGE in:l 0 -1",
           "[\"0\", \"-1\", \"007\", \"-0\", \"1.5\", \"9223372036854775807\", "
           "\"-9223372036854775808\", \"9223372036854775808\", \" 1\", \"127\", \"128\", "
           "\"-4096\", \"4095\", \"65536\"]");
    EXPECT(c, "LINDEX in:l 5", "\"9223372036854775807\"");
    EXPECT(c, "LPOS in:l -0", ":3");
    EXPECT(c, "LPOS in:l 0", ":0");
    EXPECT(c, "LPOS in:l 00", "(nil)");
    EXPECT(c, "LREM in:l 0 127", ":1");
    EXPECT(c, "RPOP in:l", "\"65536\"");
    EXPECTF(c, ":1", "RPUSH in:b %b", "a\0b\r\n", (size_t)5);
    EXPECTF(c, ":2", "RPUSH in:b %b", "", (size_t)0);
    EXPECTF(c, ":3", "LPUSH in:b %b", "\xff\x00", (size_t)2);
    EXPECT(c, "LRANGE in:b 0 -1", "[\"\\xff\\x00\", \"a\\x00b\\r\\n\", \"\"]");
    EXPECTF(c, ":1", "LPOS in:b %b", "a\0b\r\n", (size_t)5);
    EXPECT(c, "LPOS in:b a", "(nil)");
    EXPECT(c, "LPOS in:b \"\"", ":2");
    EXPECTF(c, ":4", "LINSERT in:b BEFORE %b %b", "a\0b\r\n", (size_t)5, "\0", (size_t)1);
    EXPECT(c, "LRANGE in:b 1 2", "[\"\\x00\", \"a\\x00b\\r\\n\"]");
}

/* ---- pops ---------------------------------------------------------------------------------- */

TEST(lpop_and_rpop_without_count_return_one_element) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LPOP po:none", "(nil)");
    EXPECT(c, "RPOP po:none", "(nil)");
    EXPECT(c, "RPUSH po:l a b c", ":3");
    EXPECT(c, "LPOP po:l", "\"a\"");
    EXPECT(c, "RPOP po:l", "\"c\"");
    EXPECT(c, "LPOP po:l", "\"b\"");
    EXPECT(c, "EXISTS po:l", ":0");
    EXPECT(c, "LPOP po:l", "(nil)");
    EXPECT(c, "LPOP po:l 1 2", "-ERR wrong number of arguments for 'lpop' command");
    EXPECT(c, "RPOP", "-ERR wrong number of arguments for 'rpop' command");
}

TEST(pops_with_a_count_answer_arrays_and_null_arrays) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LPOP pc:none 0", "(nil-array)");
    EXPECT(c, "LPOP pc:none 2", "(nil-array)");
    EXPECT(c, "RPOP pc:none 1", "(nil-array)");
    EXPECT(c, "LPOP pc:none -1", NOT_POSITIVE);
    EXPECT(c, "LPOP pc:none abc", NOT_POSITIVE);
    EXPECT(c, "RPOP pc:none 1.5", NOT_POSITIVE);
    EXPECT(c, "RPUSH pc:l a b c d e", ":5");
    EXPECT(c, "LPOP pc:l 0", "[]");
    EXPECT(c, "RPOP pc:l 0", "[]");
    EXPECT(c, "LPOP pc:l -1", NOT_POSITIVE);
    EXPECT(c, "LPOP pc:l 1", "[\"a\"]");
    EXPECT(c, "RPOP pc:l 2", "[\"e\", \"d\"]");
    EXPECT(c, "LPOP pc:l 10", "[\"b\", \"c\"]");
    EXPECT(c, "EXISTS pc:l", ":0");
    EXPECT(c, "RPUSH pc:r 1 2 3", ":3");
    EXPECT(c, "RPOP pc:r 9223372036854775807", "[\"3\", \"2\", \"1\"]");
    EXPECT(c, "EXISTS pc:r", ":0");
    EXPECT(c, "SET pc:s v", "+OK");
    EXPECT(c, "LPOP pc:s", WRONGTYPE);
    EXPECT(c, "LPOP pc:s 0", WRONGTYPE);
    EXPECT(c, "LPOP pc:s -1", NOT_POSITIVE);       /* the count is parsed first */
}

TEST(lmpop_pops_from_the_first_non_empty_list) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LMPOP 2 {mp}a {mp}b LEFT", "(nil-array)");
    EXPECT(c, "RPUSH {mp}b 1 2 3 4", ":4");
    EXPECT(c, "LMPOP 2 {mp}a {mp}b LEFT", "[\"{mp}b\", [\"1\"]]");
    EXPECT(c, "LMPOP 2 {mp}a {mp}b RIGHT COUNT 2", "[\"{mp}b\", [\"4\", \"3\"]]");
    EXPECT(c, "RPUSH {mp}a x", ":1");
    EXPECT(c, "LMPOP 2 {mp}a {mp}b left count 10", "[\"{mp}a\", [\"x\"]]");
    EXPECT(c, "EXISTS {mp}a", ":0");
    EXPECT(c, "LMPOP 1 {mp}b RIGHT COUNT 5", "[\"{mp}b\", [\"2\"]]");
    EXPECT(c, "EXISTS {mp}b", ":0");
    EXPECT(c, "LMPOP 1 {mp}b RIGHT", "(nil-array)");
    /* a key of another type stops the search with WRONGTYPE */
    EXPECT(c, "SET {mp}s v", "+OK");
    EXPECT(c, "RPUSH {mp}c z", ":1");
    EXPECT(c, "LMPOP 2 {mp}s {mp}c LEFT", WRONGTYPE);
    EXPECT(c, "LMPOP 2 {mp}c {mp}s LEFT", "[\"{mp}c\", [\"z\"]]");
    EXPECT(c, "LMPOP 2 {mp}none {mp}s LEFT", WRONGTYPE);
}

TEST(lmpop_checks_numkeys_direction_and_count) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LMPOP 0 a LEFT", "-ERR numkeys should be greater than 0");
    EXPECT(c, "LMPOP -1 a LEFT", "-ERR numkeys should be greater than 0");
    EXPECT(c, "LMPOP abc a LEFT", "-ERR numkeys should be greater than 0");
    EXPECT(c, "LMPOP 2 a LEFT", SYNTAX);
    EXPECT(c, "LMPOP 3 a b LEFT", SYNTAX);
    EXPECT(c, "LMPOP 1 a MIDDLE", SYNTAX);
    EXPECT(c, "LMPOP 1 a LEFT COUNT 0", "-ERR count should be greater than 0");
    EXPECT(c, "LMPOP 1 a LEFT COUNT -1", "-ERR count should be greater than 0");
    EXPECT(c, "LMPOP 1 a LEFT COUNT x", "-ERR count should be greater than 0");
    EXPECT(c, "LMPOP 1 a LEFT COUNT", SYNTAX);
    EXPECT(c, "LMPOP 1 a LEFT COUNT 1 COUNT 1", SYNTAX);
    EXPECT(c, "LMPOP 1 a LEFT FOO", SYNTAX);
    EXPECT(c, "LMPOP 1 a", "-ERR wrong number of arguments for 'lmpop' command");
    EXPECT(c, "COMMAND GETKEYS LMPOP 2 {mp}a {mp}b LEFT COUNT 1", "[\"{mp}a\", \"{mp}b\"]");
}

TEST(lmpop_with_many_keys) {
    redisContext *c = cliConnect(s);
    /* more keys than one command's key slots: every one is locked and seen */
    char *cmd = malloc(400 * 16 + 64);
    size_t off = (size_t)sprintf(cmd, "LMPOP 400");
    for (int i = 0; i < 400; i++) off += (size_t)sprintf(cmd + off, " mk:%d", i);
    sprintf(cmd + off, " RIGHT COUNT 2");
    EXPECT(c, cmd, "(nil-array)");
    EXPECT(c, "RPUSH mk:399 a b c", ":3");
    EXPECT(c, cmd, "[\"mk:399\", [\"c\", \"b\"]]");
    EXPECT(c, "RPUSH mk:250 q", ":1");
    EXPECT(c, cmd, "[\"mk:250\", [\"q\"]]");
    EXPECT(c, cmd, "[\"mk:399\", [\"a\"]]");
    EXPECT(c, cmd, "(nil-array)");
    free(cmd);
}

/* ---- reading -------------------------------------------------------------------------------- */

TEST(lrange_clamps_and_converts_negative_indexes) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LRANGE lr:none 0 -1", "[]");
    EXPECT(c, "LRANGE lr:none a b", NOT_INT);        /* parsed before the lookup */
    EXPECT(c, "RPUSH lr:l a b c d e", ":5");
    EXPECT(c, "LRANGE lr:l 0 0", "[\"a\"]");
    EXPECT(c, "LRANGE lr:l 1 3", "[\"b\", \"c\", \"d\"]");
    EXPECT(c, "LRANGE lr:l -2 -1", "[\"d\", \"e\"]");
    EXPECT(c, "LRANGE lr:l -100 1", "[\"a\", \"b\"]");
    EXPECT(c, "LRANGE lr:l 3 100", "[\"d\", \"e\"]");
    EXPECT(c, "LRANGE lr:l 5 10", "[]");
    EXPECT(c, "LRANGE lr:l 3 2", "[]");
    EXPECT(c, "LRANGE lr:l -1 -2", "[]");
    EXPECT(c, "LRANGE lr:l 0 -6", "[]");
    EXPECT(c, "LRANGE lr:l -9223372036854775808 9223372036854775807",
           "[\"a\", \"b\", \"c\", \"d\", \"e\"]");
    EXPECT(c, "LRANGE lr:l 0 9223372036854775808", NOT_INT);
    EXPECT(c, "LRANGE lr:l 0", "-ERR wrong number of arguments for 'lrange' command");
}

TEST(lindex_reads_from_either_end) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LINDEX li:none 0", "(nil)");
    EXPECT(c, "LINDEX li:none x", "(nil)");           /* the lookup comes first */
    EXPECT(c, "RPUSH li:l a b c", ":3");
    EXPECT(c, "LINDEX li:l 0", "\"a\"");
    EXPECT(c, "LINDEX li:l 2", "\"c\"");
    EXPECT(c, "LINDEX li:l -1", "\"c\"");
    EXPECT(c, "LINDEX li:l -3", "\"a\"");
    EXPECT(c, "LINDEX li:l 3", "(nil)");
    EXPECT(c, "LINDEX li:l -4", "(nil)");
    EXPECT(c, "LINDEX li:l x", NOT_INT);
    EXPECT(c, "SET li:s v", "+OK");
    EXPECT(c, "LINDEX li:s 0", WRONGTYPE);
}

TEST(lpos_finds_positions_with_rank_count_and_maxlen) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "RPUSH lp:l a b c 1 2 3 c c", ":8");
    EXPECT(c, "LPOS lp:l c", ":2");
    EXPECT(c, "LPOS lp:l c RANK 2", ":6");
    EXPECT(c, "LPOS lp:l c RANK -1", ":7");
    EXPECT(c, "LPOS lp:l c RANK -3", ":2");
    EXPECT(c, "LPOS lp:l c RANK 4", "(nil)");
    EXPECT(c, "LPOS lp:l c COUNT 0", "[:2, :6, :7]");
    EXPECT(c, "LPOS lp:l c COUNT 2", "[:2, :6]");
    EXPECT(c, "LPOS lp:l c COUNT 2 RANK 2", "[:6, :7]");
    EXPECT(c, "LPOS lp:l c COUNT 0 RANK -1", "[:7, :6, :2]");
    EXPECT(c, "LPOS lp:l c COUNT 0 MAXLEN 3", "[:2]");
    EXPECT(c, "LPOS lp:l c COUNT 0 RANK -1 MAXLEN 2", "[:7, :6]");
    EXPECT(c, "LPOS lp:l c MAXLEN 2", "(nil)");
    EXPECT(c, "LPOS lp:l c MAXLEN 0", ":2");
    EXPECT(c, "LPOS lp:l 2", ":4");
    EXPECT(c, "LPOS lp:l z", "(nil)");
    EXPECT(c, "LPOS lp:l z COUNT 0", "[]");
    EXPECT(c, "LPOS lp:l c RANK 1 RANK -1", ":7");   /* the last one wins */
    /* 7.0's overflow: the most negative rank searches from the tail and
     * ignores COUNT */
    EXPECT(c, "LPOS lp:l c RANK -9223372036854775808", ":7");
    EXPECT(c, "LPOS lp:l c RANK -9223372036854775808 COUNT 1", "[:7, :6, :2]");
    EXPECT(c, "LPOS lp:l c RANK -9223372036854775807 COUNT 0", "[]");
    EXPECT(c, "LPOS lp:none c", "(nil)");
    EXPECT(c, "LPOS lp:none c COUNT 1", "[]");
}

TEST(lpos_option_errors_come_before_the_lookup) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LPOS le:none a RANK 0",
           "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
           "or use negative to start from the end of the list");
    EXPECT(c, "LPOS le:none a RANK x", NOT_INT);
    EXPECT(c, "LPOS le:none a COUNT -1", "-ERR COUNT can't be negative");
    EXPECT(c, "LPOS le:none a COUNT x", "-ERR COUNT can't be negative");
    EXPECT(c, "LPOS le:none a MAXLEN -1", "-ERR MAXLEN can't be negative");
    EXPECT(c, "LPOS le:none a MAXLEN x", "-ERR MAXLEN can't be negative");
    EXPECT(c, "LPOS le:none a RANK", SYNTAX);
    EXPECT(c, "LPOS le:none a FOO 1", SYNTAX);
    EXPECT(c, "SET le:s v", "+OK");
    EXPECT(c, "LPOS le:s a", WRONGTYPE);
    EXPECT(c, "LPOS le:s a RANK 0",
           "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
           "or use negative to start from the end of the list");
    EXPECT(c, "LPOS le:s", "-ERR wrong number of arguments for 'lpos' command");
}

/* ---- writing in the middle ---------------------------------------------------------------------- */

TEST(lset_replaces_by_index) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LSET ls:none 0 a", "-ERR no such key");
    EXPECT(c, "LSET ls:none x a", "-ERR no such key");   /* the lookup comes first */
    EXPECT(c, "RPUSH ls:l a b c", ":3");
    EXPECT(c, "LSET ls:l 0 x", "+OK");
    EXPECT(c, "LSET ls:l -1 z", "+OK");
    EXPECT(c, "LSET ls:l 1 12345", "+OK");
    EXPECT(c, "LRANGE ls:l 0 -1", "[\"x\", \"12345\", \"z\"]");
    EXPECT(c, "LSET ls:l 3 a", "-ERR index out of range");
    EXPECT(c, "LSET ls:l -4 a", "-ERR index out of range");
    EXPECT(c, "LSET ls:l x a", NOT_INT);
    EXPECT(c, "SET ls:s v", "+OK");
    EXPECT(c, "LSET ls:s 0 a", WRONGTYPE);
}

TEST(linsert_puts_an_element_next_to_the_first_pivot) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LINSERT ln:none BEFORE a b", ":0");
    EXPECT(c, "LINSERT ln:none MIDDLE a b", SYNTAX);    /* checked before the lookup */
    EXPECT(c, "EXISTS ln:none", ":0");
    EXPECT(c, "RPUSH ln:l a b a", ":3");
    EXPECT(c, "LINSERT ln:l BEFORE a x", ":4");
    EXPECT(c, "LINSERT ln:l after a y", ":5");
    EXPECT(c, "LINSERT ln:l AFTER nope y", ":-1");
    EXPECT(c, "LINSERT ln:l BEFORE 1 y", ":-1");
    EXPECT(c, "LRANGE ln:l 0 -1", "[\"x\", \"a\", \"y\", \"b\", \"a\"]");
    EXPECT(c, "RPUSH ln:n 10 20", ":2");
    EXPECT(c, "LINSERT ln:n AFTER 20 30", ":3");
    EXPECT(c, "LINSERT ln:n BEFORE 10 5", ":4");
    EXPECT(c, "LRANGE ln:n 0 -1", "[\"5\", \"10\", \"20\", \"30\"]");
    EXPECT(c, "SET ln:s v", "+OK");
    EXPECT(c, "LINSERT ln:s BEFORE a b", WRONGTYPE);
    EXPECT(c, "LINSERT ln:l BEFORE a", "-ERR wrong number of arguments for 'linsert' command");
}

TEST(lrem_removes_from_the_head_the_tail_or_everywhere) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LREM lm:none 0 a", ":0");
    EXPECT(c, "LREM lm:none x a", NOT_INT);
    EXPECT(c, "RPUSH lm:l a b a c a d a", ":7");
    EXPECT(c, "LREM lm:l 2 a", ":2");
    EXPECT(c, "LRANGE lm:l 0 -1", "[\"b\", \"c\", \"a\", \"d\", \"a\"]");
    EXPECT(c, "LREM lm:l -1 a", ":1");
    EXPECT(c, "LRANGE lm:l 0 -1", "[\"b\", \"c\", \"a\", \"d\"]");
    EXPECT(c, "LREM lm:l 0 z", ":0");
    EXPECT(c, "RPUSH lm:l a a", ":6");
    EXPECT(c, "LREM lm:l 0 a", ":3");
    EXPECT(c, "LRANGE lm:l 0 -1", "[\"b\", \"c\", \"d\"]");
    EXPECT(c, "RPUSH lm:t x 1 x 2 x", ":5");
    EXPECT(c, "LREM lm:t -2 x", ":2");
    EXPECT(c, "LRANGE lm:t 0 -1", "[\"x\", \"1\", \"2\"]");
    EXPECT(c, "LREM lm:t -9223372036854775808 x", ":1");
    EXPECT(c, "LREM lm:t 0 1", ":1");
    EXPECT(c, "LREM lm:t 1 2", ":1");
    EXPECT(c, "EXISTS lm:t", ":0");
    EXPECT(c, "SET lm:s v", "+OK");
    EXPECT(c, "LREM lm:s 0 a", WRONGTYPE);
}

TEST(ltrim_keeps_a_range_and_deletes_an_emptied_list) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LTRIM lt:none 0 1", "+OK");
    EXPECT(c, "LTRIM lt:none a 1", NOT_INT);
    EXPECT(c, "RPUSH lt:l a b c d e f", ":6");
    EXPECT(c, "LTRIM lt:l 1 -2", "+OK");
    EXPECT(c, "LRANGE lt:l 0 -1", "[\"b\", \"c\", \"d\", \"e\"]");
    EXPECT(c, "LTRIM lt:l -100 100", "+OK");
    EXPECT(c, "LLEN lt:l", ":4");
    EXPECT(c, "LTRIM lt:l 0 0", "+OK");
    EXPECT(c, "LRANGE lt:l 0 -1", "[\"b\"]");
    EXPECT(c, "LTRIM lt:l 1 0", "+OK");
    EXPECT(c, "EXISTS lt:l", ":0");
    EXPECT(c, "RPUSH lt:m a b c", ":3");
    EXPECT(c, "LTRIM lt:m 5 10", "+OK");
    EXPECT(c, "EXISTS lt:m", ":0");
    EXPECT(c, "RPUSH lt:n a b c", ":3");
    EXPECT(c, "LTRIM lt:n -1 -1", "+OK");
    EXPECT(c, "LRANGE lt:n 0 -1", "[\"c\"]");
    EXPECT(c, "SET lt:s v", "+OK");
    EXPECT(c, "LTRIM lt:s 0 1", WRONGTYPE);
}

/* ---- moving between lists ------------------------------------------------------------------------- */

TEST(lmove_and_rpoplpush_move_one_element) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "LMOVE {mv}none {mv}d LEFT LEFT", "(nil)");
    EXPECT(c, "RPOPLPUSH {mv}none {mv}d", "(nil)");
    EXPECT(c, "EXISTS {mv}d", ":0");
    EXPECT(c, "RPUSH {mv}s a b c d", ":4");
    EXPECT(c, "RPOPLPUSH {mv}s {mv}d", "\"d\"");
    EXPECT(c, "LMOVE {mv}s {mv}d LEFT RIGHT", "\"a\"");
    EXPECT(c, "LMOVE {mv}s {mv}d right left", "\"c\"");
    EXPECT(c, "LMOVE {mv}s {mv}d LEFT LEFT", "\"b\"");
    EXPECT(c, "EXISTS {mv}s", ":0");
    EXPECT(c, "LRANGE {mv}d 0 -1", "[\"b\", \"c\", \"d\", \"a\"]");
    EXPECT(c, "LMOVE {mv}d {mv}d LEFT RIGHT", "\"b\"");       /* rotation */
    EXPECT(c, "RPOPLPUSH {mv}d {mv}d", "\"b\"");
    EXPECT(c, "LMOVE {mv}d {mv}d RIGHT RIGHT", "\"a\"");
    EXPECT(c, "LRANGE {mv}d 0 -1", "[\"b\", \"c\", \"d\", \"a\"]");
    EXPECT(c, "RPUSH {mv}one x", ":1");
    EXPECT(c, "LMOVE {mv}one {mv}one LEFT RIGHT", "\"x\"");  /* one element onto itself */
    EXPECT(c, "LRANGE {mv}one 0 -1", "[\"x\"]");
    EXPECT(c, "RPUSH {mv}n 42", ":1");
    EXPECT(c, "RPOPLPUSH {mv}n {mv}d", "\"42\"");
    EXPECT(c, "LINDEX {mv}d 0", "\"42\"");
}

TEST(lmove_checks_directions_then_source_then_destination) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET {mc}str v", "+OK");
    EXPECT(c, "RPUSH {mc}l a b", ":2");
    EXPECT(c, "LMOVE {mc}str {mc}l UP LEFT", SYNTAX);
    EXPECT(c, "LMOVE {mc}l {mc}l LEFT DOWN", SYNTAX);
    EXPECT(c, "LMOVE {mc}str {mc}l LEFT LEFT", WRONGTYPE);
    EXPECT(c, "LMOVE {mc}l {mc}str LEFT LEFT", WRONGTYPE);
    EXPECT(c, "RPOPLPUSH {mc}l {mc}str", WRONGTYPE);
    EXPECT(c, "LRANGE {mc}l 0 -1", "[\"a\", \"b\"]");       /* the source is untouched */
    EXPECT(c, "LMOVE {mc}none {mc}str LEFT LEFT", "(nil)");  /* missing source first */
    EXPECT(c, "LMOVE {mc}l {mc}x LEFT", "-ERR wrong number of arguments for 'lmove' command");
}

/* ---- deletion, keyspace and other commands on lists ----------------------------------------------- */

TEST(every_list_command_refuses_another_type) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "SET wt:s v", "+OK");
    EXPECT(c, "LPUSH wt:s a", WRONGTYPE);
    EXPECT(c, "RPUSH wt:s a", WRONGTYPE);
    EXPECT(c, "RPOP wt:s", WRONGTYPE);
    EXPECT(c, "RPOP wt:s 2", WRONGTYPE);
    EXPECT(c, "LLEN wt:s", WRONGTYPE);
    EXPECT(c, "LRANGE wt:s 0 -1", WRONGTYPE);
    EXPECT(c, "LMPOP 1 wt:s RIGHT", WRONGTYPE);
    EXPECT(c, "GET wt:s", "\"v\"");
    EXPECT(c, "RPUSH wt:l a", ":1");
    EXPECT(c, "GET wt:l", WRONGTYPE);
    EXPECT(c, "INCR wt:l", WRONGTYPE);
    EXPECT(c, "APPEND wt:l x", WRONGTYPE);
    EXPECT(c, "SET wt:l v", "+OK");                 /* SET replaces any type */
    EXPECT(c, "TYPE wt:l", "+string");
}

TEST(copy_rename_del_and_expire_of_a_list) {
    redisContext *c = cliConnect(s);
    EXPECT(c, "RPUSH {cp}a 1 2 3", ":3");
    EXPECT(c, "COPY {cp}a {cp}b", ":1");
    EXPECT(c, "RPUSH {cp}a 4", ":4");
    EXPECT(c, "LRANGE {cp}b 0 -1", "[\"1\", \"2\", \"3\"]");
    EXPECT(c, "RENAME {cp}b {cp}c", "+OK");
    EXPECT(c, "LPOP {cp}c", "\"1\"");
    EXPECT(c, "LRANGE {cp}c 0 -1", "[\"2\", \"3\"]");
    EXPECT(c, "DEL {cp}a {cp}c", ":2");
    EXPECT(c, "RPUSH {cp}e x", ":1");
    EXPECT(c, "PEXPIRE {cp}e 30", ":1");
    CHECK(WAIT_FOR(strcmp(cliCall(c, "EXISTS {cp}e"), ":0") == 0, 3000));
    EXPECT(c, "LLEN {cp}e", ":0");
    EXPECT(c, "RPUSH {cp}e y", ":1");            /* a fresh list, not the expired one */
    EXPECT(c, "LRANGE {cp}e 0 -1", "[\"y\"]");
    EXPECT(c, "TTL {cp}e", ":-1");
    EXPECT_MATCH(c, "MEMORY USAGE {cp}e", ":*");
}

TEST(big_elements_and_a_long_list) {
    redisContext *c = cliConnect(s);
    char *big = pattern(100000, 3);
    EXPECTF(c, ":1", "RPUSH bg:l %s", big);
    EXPECT(c, "RPUSH bg:l small", ":2");
    EXPECTF(c, ":3", "LPUSH bg:l %s", big);
    EXPECT(c, "LINDEX bg:l 1", tfmt("\"%s\"", big));
    EXPECT(c, "LINDEX bg:l 2", "\"small\"");
    EXPECTF(c, ":0", "LPOS bg:l %s", big);
    EXPECTF(c, ":2", "LREM bg:l 0 %s", big);
    EXPECT(c, "LRANGE bg:l 0 -1", "[\"small\"]");
    /* 20,000 elements in 100 pushes */
    for (int b = 0; b < 100; b++) {
        char *cmd = malloc(200 * 12 + 32);
        size_t off = (size_t)sprintf(cmd, "RPUSH bg:n");
        for (int i = 0; i < 200; i++) off += (size_t)sprintf(cmd + off, " %d", b * 200 + i);
        EXPECT(c, cmd, tfmt(":%d", (b + 1) * 200));
        free(cmd);
    }
    EXPECT(c, "LINDEX bg:n 12345", "\"12345\"");
    EXPECT(c, "LINDEX bg:n -1", "\"19999\"");
    EXPECT(c, "LRANGE bg:n 9998 10001", "[\"9998\", \"9999\", \"10000\", \"10001\"]");
    EXPECT(c, "LPOS bg:n 15000", ":15000");
    EXPECT(c, "LPOS bg:n 15000 RANK -1", ":15000");
    EXPECT(c, "LSET bg:n 10000 x", "+OK");
    EXPECT(c, "LINSERT bg:n BEFORE x y", ":20001");
    EXPECT(c, "LRANGE bg:n 9999 10002", "[\"9999\", \"y\", \"x\", \"10001\"]");
    EXPECT(c, "LREM bg:n 0 y", ":1");
    EXPECT(c, "LTRIM bg:n 100 -101", "+OK");
    EXPECT(c, "LLEN bg:n", ":19800");
    EXPECT(c, "LPOP bg:n 3", "[\"100\", \"101\", \"102\"]");
    EXPECT(c, "RPOP bg:n 2", "[\"19899\", \"19898\"]");
    EXPECT(c, "LRANGE bg:n 9897 9897", "[\"x\"]");
    free(big);
}

/* ---- RESP3 --------------------------------------------------------------------------------------- */

TEST(resp3_null_shapes_of_the_list_commands) {
    raw *r = rawConnect(s);
    EXPECT_RAW_MATCH(r, "HELLO 3", "{*\"proto\": :3*}");
    EXPECT_RAW(r, "LPOP r3:none", "(nil)");
    EXPECT_RAW(r, "LPOP r3:none 2", "(nil)");
    EXPECT_RAW(r, "RPOP r3:none 0", "(nil)");
    EXPECT_RAW(r, "LMPOP 1 r3:none LEFT", "(nil)");
    EXPECT_RAW(r, "LINDEX r3:none 0", "(nil)");
    EXPECT_RAW(r, "LPOS r3:none a", "(nil)");
    EXPECT_RAW(r, "LMOVE r3:none r3:d LEFT LEFT", "(nil)");
    EXPECT_RAW(r, "RPUSH r3:l a b", ":2");
    EXPECT_RAW(r, "LPOS r3:l z", "(nil)");
    EXPECT_RAW(r, "LPOS r3:l b COUNT 0", "[:1]");
    EXPECT_RAW(r, "LPOP r3:l 0", "[]");
    EXPECT_RAW(r, "LMPOP 1 r3:l RIGHT", "[\"r3:l\", [\"b\"]]");
    EXPECT_RAW(r, "LRANGE r3:l 0 -1", "[\"a\"]");
}

TEST(resp2_null_shapes_on_the_wire) {
    raw *r = rawConnect(s);
    EXPECT_RAW(r, "LPOP r2:none", "(nil)");
    EXPECT_RAW(r, "LPOP r2:none 1", "(nil-array)");
    EXPECT_RAW(r, "LMPOP 1 r2:none LEFT", "(nil-array)");
    EXPECT_RAW(r, "LPOS r2:none a", "(nil)");
    EXPECT_RAW(r, "RPOPLPUSH r2:none r2:d", "(nil)");
}

/* ---- a random run against a model ------------------------------------------------------------------ */

/* The model: a plain array of strings. */
typedef struct model {
    char **v;
    int n, cap;
} model;

static void mInsert(model *m, int at, const char *s) {
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->v = realloc(m->v, sizeof(char *) * (size_t)m->cap);
    }
    memmove(m->v + at + 1, m->v + at, sizeof(char *) * (size_t)(m->n - at));
    m->v[at] = strdup(s);
    m->n++;
}

static void mDelete(model *m, int at) {
    free(m->v[at]);
    memmove(m->v + at, m->v + at + 1, sizeof(char *) * (size_t)(m->n - at - 1));
    m->n--;
}

static char *mRange(model *m) {
    size_t cap = 16, len = 0;
    for (int i = 0; i < m->n; i++) cap += strlen(m->v[i]) + 4;
    char *out = malloc(cap);
    out[len++] = '[';
    for (int i = 0; i < m->n; i++)
        len += (size_t)sprintf(out + len, "%s\"%s\"", i ? ", " : "", m->v[i]);
    out[len++] = ']';
    out[len] = '\0';
    return out;
}

static unsigned rnd(unsigned *seed) {
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* randomElement: small ints, negative ints, words, and now and then a
 * 300-byte string (so size-limited nodes fill up). */
static const char *randomElement(unsigned *seed, char *buf) {
    switch (rnd(seed) % 6) {
    case 0: sprintf(buf, "%u", rnd(seed) % 20); break;
    case 1: sprintf(buf, "-%u", rnd(seed) % 70000); break;
    case 2: sprintf(buf, "w%u", rnd(seed) % 30); break;
    case 3: sprintf(buf, "%u%u", rnd(seed), rnd(seed)); break;
    case 4: sprintf(buf, "k%u", rnd(seed) % 5); break;
    default: {
        int n = 300 + (int)(rnd(seed) % 50);
        for (int i = 0; i < n; i++) buf[i] = (char)('a' + (rnd(seed) % 26));
        buf[n] = '\0';
    }
    }
    return buf;
}

static void randomRun(srv *sv, const char *key, unsigned seed, int ops) {
    redisContext *c = cliConnect(sv);
    model m = { 0 };
    char buf[512];
    cliCall(c, tfmt("DEL %s", key));
    for (int op = 0; op < ops; op++) {
        int len = m.n;
        unsigned k = rnd(&seed) % 12;
        if (len == 0 && k > 1) k = rnd(&seed) % 2;
        switch (k) {
        case 0: {                               /* LPUSH 1..3 */
            int n = 1 + (int)(rnd(&seed) % 3);
            for (int i = 0; i < n; i++) {
                const char *e = randomElement(&seed, buf);
                EXPECTF(c, tfmt(":%d", m.n + 1), "LPUSH %s %s", key, e);
                mInsert(&m, 0, e);
            }
            break;
        }
        case 1: {                               /* RPUSH 1..3 */
            int n = 1 + (int)(rnd(&seed) % 3);
            for (int i = 0; i < n; i++) {
                const char *e = randomElement(&seed, buf);
                EXPECTF(c, tfmt(":%d", m.n + 1), "RPUSH %s %s", key, e);
                mInsert(&m, m.n, e);
            }
            break;
        }
        case 2: {                               /* LPOP / RPOP with a count */
            int n = 1 + (int)(rnd(&seed) % 4);
            bool left = rnd(&seed) % 2;
            const char *got = cliCall(c, tfmt("%s %s %d", left ? "LPOP" : "RPOP", key, n));
            model want = { 0 };
            for (int i = 0; i < n && m.n; i++) {
                int at = left ? 0 : m.n - 1;
                mInsert(&want, want.n, m.v[at]);
                mDelete(&m, at);
            }
            char *w = mRange(&want);
            CHECK_STR(got, w);
            free(w);
            while (want.n) mDelete(&want, 0);
            free(want.v);
            break;
        }
        case 3: {                               /* LINSERT next to a random element */
            int at = (int)(rnd(&seed) % (unsigned)len);
            char pivot[512];
            strcpy(pivot, m.v[at]);
            int first = 0;
            while (strcmp(m.v[first], pivot) != 0) first++;
            bool after = rnd(&seed) % 2;
            const char *e = randomElement(&seed, buf);
            EXPECTF(c, tfmt(":%d", m.n + 1), "LINSERT %s %s %s %s", key, after ? "AFTER" : "BEFORE",
                    pivot, e);
            mInsert(&m, first + (after ? 1 : 0), e);
            break;
        }
        case 4: {                               /* LSET */
            int at = (int)(rnd(&seed) % (unsigned)len);
            const char *e = randomElement(&seed, buf);
            EXPECTF(c, "+OK", "LSET %s %d %s", key, at - (rnd(&seed) % 2 ? len : 0), e);
            free(m.v[at]);
            m.v[at] = strdup(e);
            break;
        }
        case 5: {                               /* LREM of a random element's value */
            char val[512];
            strcpy(val, m.v[rnd(&seed) % (unsigned)len]);
            int cnt = (int)(rnd(&seed) % 5) - 2;
            int removed = 0;
            if (cnt >= 0) {
                for (int i = 0; i < m.n && (cnt == 0 || removed < cnt);)
                    if (strcmp(m.v[i], val) == 0) { mDelete(&m, i); removed++; } else i++;
            } else {
                for (int i = m.n - 1; i >= 0 && removed < -cnt; i--)
                    if (strcmp(m.v[i], val) == 0) { mDelete(&m, i); removed++; }
            }
            EXPECTF(c, tfmt(":%d", removed), "LREM %s %d %s", key, cnt, val);
            break;
        }
        case 6: {                               /* LTRIM a little off either end */
            int a = (int)(rnd(&seed) % 3), b = (int)(rnd(&seed) % 3);
            EXPECTF(c, "+OK", "LTRIM %s %d %d", key, a, -1 - b);
            for (int i = 0; i < b && m.n; i++) mDelete(&m, m.n - 1);
            for (int i = 0; i < a && m.n; i++) mDelete(&m, 0);
            break;
        }
        case 7: {                               /* LMOVE onto itself */
            bool fromLeft = rnd(&seed) % 2, toLeft = rnd(&seed) % 2;
            int at = fromLeft ? 0 : len - 1;
            char val[512];
            strcpy(val, m.v[at]);
            EXPECTF(c, tfmt("\"%s\"", val), "LMOVE %s %s %s %s", key, key,
                    fromLeft ? "LEFT" : "RIGHT", toLeft ? "LEFT" : "RIGHT");
            mDelete(&m, at);
            mInsert(&m, toLeft ? 0 : m.n, val);
            break;
        }
        case 8: {                               /* LINDEX */
            int at = (int)(rnd(&seed) % (unsigned)len);
            EXPECTF(c, tfmt("\"%s\"", m.v[at]), "LINDEX %s %d", key, at);
            EXPECTF(c, tfmt("\"%s\"", m.v[at]), "LINDEX %s %d", key, at - len);
            break;
        }
        case 9: {                               /* LPOS from either end */
            char val[512];
            strcpy(val, m.v[rnd(&seed) % (unsigned)len]);
            int first = 0, last = m.n - 1;
            while (strcmp(m.v[first], val) != 0) first++;
            while (strcmp(m.v[last], val) != 0) last--;
            EXPECTF(c, tfmt(":%d", first), "LPOS %s %s", key, val);
            EXPECTF(c, tfmt(":%d", last), "LPOS %s %s RANK -1", key, val);
            break;
        }
        case 10: {                              /* LRANGE of a random window */
            int a = (int)(rnd(&seed) % (unsigned)len), b = a + (int)(rnd(&seed) % 8);
            model w = { 0 };
            for (int i = a; i <= b && i < m.n; i++) mInsert(&w, w.n, m.v[i]);
            char *want = mRange(&w);
            EXPECTF(c, want, "LRANGE %s %d %d", key, a, b);
            free(want);
            while (w.n) mDelete(&w, 0);
            free(w.v);
            break;
        }
        default: {                              /* the whole list */
            char *want = mRange(&m);
            EXPECTF(c, want, "LRANGE %s 0 -1", key);
            free(want);
            EXPECTF(c, tfmt(":%d", m.n), "LLEN %s", key);
        }
        }
    }
    char *want = mRange(&m);
    EXPECTF(c, want, "LRANGE %s 0 -1", key);
    free(want);
    EXPECTF(c, tfmt(":%d", m.n), "LLEN %s", key);
    while (m.n) mDelete(&m, 0);
    free(m.v);
}

TEST(random_operations_match_a_model_with_default_settings) {
    harnessSetTimeout(120);
    randomRun(s, "rr:default", 7, 3000);
}

TEST(random_operations_match_a_model_with_tiny_compressed_nodes) {
    harnessSetTimeout(120);
    randomRun(sSmall, "rr:small", 11, 3000);
    randomRun(sSmall, "rr:small2", 12345, 3000);
}

/* ---- encodings (roost follows Redis 7.2) -------------------------------------------------------------- */

#define EXPECT_ENC(c, key, want) EXPECT(c, "OBJECT ENCODING " key, "\"" want "\"")

TEST(a_small_list_is_a_listpack_until_it_passes_the_entry_limit) {
    ROOST_ONLY();
    redisContext *c = cliConnect(sEnc);
    EXPECT(c, "CONFIG SET list-max-listpack-size 4", "+OK");
    EXPECT(c, "RPUSH en:a 1 2 3 4", ":4");
    EXPECT_ENC(c, "en:a", "listpack");
    EXPECT(c, "RPUSH en:a 5", ":5");
    EXPECT_ENC(c, "en:a", "quicklist");
    /* shrinking converts back only at half the limit */
    EXPECT(c, "RPOP en:a", "\"5\"");
    EXPECT_ENC(c, "en:a", "quicklist");
    EXPECT(c, "LPOP en:a", "\"1\"");
    EXPECT_ENC(c, "en:a", "quicklist");
    EXPECT(c, "LPOP en:a", "\"2\"");
    EXPECT_ENC(c, "en:a", "listpack");
    EXPECT(c, "LRANGE en:a 0 -1", "[\"3\", \"4\"]");
    /* one push of several elements converts before it writes */
    EXPECT(c, "RPUSH en:b 1 2 3 4 5", ":5");
    EXPECT_ENC(c, "en:b", "quicklist");
    EXPECT(c, "LPUSH en:c 1", ":1");
    EXPECT_ENC(c, "en:c", "listpack");
    EXPECT(c, "RPUSHX en:c 2 3 4 5", ":5");            /* nodes [1 2 3 4] [5] */
    EXPECT_ENC(c, "en:c", "quicklist");
    EXPECT(c, "LTRIM en:c 0 1", "+OK");                /* one node of 2 left */
    EXPECT_ENC(c, "en:c", "listpack");
    EXPECT(c, "RPUSH en:d a b c d e f g h", ":8");
    EXPECT(c, "LREM en:d 0 a", ":1");
    EXPECT_ENC(c, "en:d", "quicklist");
    EXPECT(c, "LPOP en:d 5", "[\"b\", \"c\", \"d\", \"e\", \"f\"]");
    EXPECT_ENC(c, "en:d", "listpack");
    EXPECT(c, "RPUSH en:e a b c d", ":4");
    EXPECT(c, "LINSERT en:e BEFORE zz x", ":-1");    /* converts even without a pivot */
    EXPECT_ENC(c, "en:e", "quicklist");
    EXPECT(c, "RPUSH en:f a b c d", ":4");
    EXPECT(c, "LMOVE en:e en:f LEFT RIGHT", "\"a\"");
    EXPECT_ENC(c, "en:f", "quicklist");
    EXPECT(c, "LMPOP 1 en:f RIGHT COUNT 3", "[\"en:f\", [\"a\", \"d\", \"c\"]]");
    EXPECT_ENC(c, "en:f", "listpack");
    EXPECT(c, "CONFIG SET list-max-listpack-size 0", "+OK");   /* one entry per node */
    EXPECT(c, "RPUSH en:g a", ":1");
    EXPECT_ENC(c, "en:g", "listpack");
    EXPECT(c, "RPUSH en:g b", ":2");
    EXPECT_ENC(c, "en:g", "quicklist");
    EXPECT(c, "CONFIG SET list-max-listpack-size -2", "+OK");
}

TEST(a_small_list_is_a_listpack_until_it_passes_the_size_limit) {
    ROOST_ONLY();
    redisContext *c = cliConnect(sEnc);
    EXPECT(c, "CONFIG SET list-max-listpack-size -1", "+OK");   /* 4 KiB */
    char *k1 = pattern(1000, 1), *k5 = pattern(5000, 2);
    /* a 1000-byte element is 1004 bytes of listpack; the header and end 7 */
    for (int i = 1; i <= 4; i++) EXPECTF(c, tfmt(":%d", i), "RPUSH sz:a %s", k1);
    EXPECT_ENC(c, "sz:a", "listpack");
    EXPECTF(c, ":5", "RPUSH sz:a %s", k1);
    EXPECT_ENC(c, "sz:a", "quicklist");
    EXPECT(c, "RPOP sz:a 2", tfmt("[\"%s\", \"%s\"]", k1, k1));
    EXPECT_ENC(c, "sz:a", "quicklist");              /* 3019 bytes > half of 4096 */
    EXPECT(c, "RPOP sz:a", tfmt("\"%s\"", k1));
    EXPECT_ENC(c, "sz:a", "listpack");               /* 2015 bytes */
    /* LSET: a big value converts, a small one converts back */
    EXPECT(c, "RPUSH sz:b a", ":1");
    EXPECTF(c, "+OK", "LSET sz:b 0 %s", k5);
    EXPECT_ENC(c, "sz:b", "quicklist");
    EXPECT(c, "LSET sz:b -1 x", "+OK");
    EXPECT_ENC(c, "sz:b", "listpack");
    EXPECT(c, "LRANGE sz:b 0 -1", "[\"x\"]");
    /* an element bigger than the limit gets a node of its own */
    EXPECTF(c, ":1", "LPUSH sz:c %s", k5);
    EXPECT_ENC(c, "sz:c", "quicklist");
    EXPECT(c, "LINDEX sz:c 0", tfmt("\"%s\"", k5));
    EXPECT(c, "CONFIG SET list-max-listpack-size -2", "+OK");
    free(k1);
    free(k5);
}

TEST(copy_keeps_the_encoding_and_the_default_limit_is_8k) {
    ROOST_ONLY();
    redisContext *c = cliConnect(s);
    EXPECT(c, "RPUSH {ce}a x", ":1");
    EXPECT(c, "COPY {ce}a {ce}b", ":1");
    EXPECT_ENC(c, "{ce}b", "listpack");
    char *k1 = pattern(1000, 4);
    for (int i = 1; i <= 8; i++) EXPECTF(c, tfmt(":%d", i + 1), "RPUSH {ce}a %s", k1);
    EXPECT_ENC(c, "{ce}a", "listpack");              /* 7 + 1002 + 7 * 1004 + 1000 <= 8192 */
    EXPECTF(c, ":10", "RPUSH {ce}a %s", k1);
    EXPECT_ENC(c, "{ce}a", "quicklist");
    EXPECT(c, "COPY {ce}a {ce}c", ":1");
    EXPECT_ENC(c, "{ce}c", "quicklist");
    EXPECT(c, "LLEN {ce}c", ":10");
    free(k1);
}

/* ---- concurrency ------------------------------------------------------------------------------------- */

/* runWorkers forks n children running fn(i, port); true if all exit 0. */
static bool runWorkers(int n, int port, int (*fn)(int, int)) {
    pid_t pids[16];
    for (int i = 0; i < n; i++) {
        pids[i] = fork();
        if (pids[i] == 0) _exit(fn(i, port));
    }
    bool ok = true;
    for (int i = 0; i < n; i++) {
        int st;
        waitpid(pids[i], &st, 0);
        ok = ok && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    return ok;
}

static int pusher(int id, int port) {
    redisContext *c = redisConnect("127.0.0.1", port);
    if (!c || c->err) return 1;
    for (int i = 0; i < 2000; i++) {
        redisReply *r = redisCommand(c, i % 2 ? "RPUSH cc:l %d:%d" : "LPUSH cc:l %d:%d", id, i);
        if (!r || r->type != REDIS_REPLY_INTEGER) return 2;
        freeReplyObject(r);
    }
    redisFree(c);
    return 0;
}

TEST(concurrent_pushers_lose_no_element) {
    harnessSetTimeout(120);
    REQUIRE(runWorkers(6, srvPort(sThreads), pusher));
    redisContext *c = cliConnect(sThreads);
    EXPECT(c, "LLEN cc:l", ":12000");
    /* every element once; each pusher's LPUSHes read back newest first from
     * the head, its RPUSHes oldest first */
    redisReply *r = redisCommand(c, "LRANGE cc:l 0 -1");
    REQUIRE(r && r->type == REDIS_REPLY_ARRAY && r->elements == 12000);
    static char seen[6][2000];
    memset(seen, 0, sizeof seen);
    int lastEven[6], lastOdd[6];
    for (int i = 0; i < 6; i++) lastEven[i] = 2000, lastOdd[i] = -1;
    bool ok = true;
    for (size_t k = 0; k < r->elements; k++) {
        int id, i;
        if (sscanf(r->element[k]->str, "%d:%d", &id, &i) != 2 || id < 0 || id >= 6 || i < 0 ||
            i >= 2000 || seen[id][i]++) {
            ok = false;
            break;
        }
        if (i % 2 == 0) { ok = ok && i < lastEven[id]; lastEven[id] = i; }
        else { ok = ok && i > lastOdd[id]; lastOdd[id] = i; }
    }
    CHECK(ok, "the list is not the union of the pushes in order");
    freeReplyObject(r);
}

static int mover(int id, int port) {
    redisContext *c = redisConnect("127.0.0.1", port);
    if (!c || c->err) return 1;
    for (int i = 0; i < 3000; i++) {
        const char *a = (i + id) % 2 ? "{cm}a" : "{cm}b", *b = (i + id) % 2 ? "{cm}b" : "{cm}a";
        redisReply *r = redisCommand(c, "LMOVE %s %s %s RIGHT", a, i % 3 ? b : a,
                                     i % 5 ? "LEFT" : "RIGHT");
        if (!r || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_NIL)) return 2;
        freeReplyObject(r);
    }
    redisFree(c);
    return 0;
}

TEST(concurrent_movers_between_two_lists_keep_every_element) {
    harnessSetTimeout(120);
    redisContext *c = cliConnect(sThreads);
    char cmd[2048];
    size_t off = (size_t)sprintf(cmd, "RPUSH {cm}a");
    for (int i = 0; i < 100; i++) off += (size_t)sprintf(cmd + off, " e%d", i);
    EXPECT(c, cmd, ":100");
    REQUIRE(runWorkers(6, srvPort(sThreads), mover));
    long long la = 0, lb = 0;
    sscanf(cliCall(c, "LLEN {cm}a"), ":%lld", &la);
    sscanf(cliCall(c, "LLEN {cm}b"), ":%lld", &lb);
    CHECK(la + lb == 100, "%lld + %lld elements", la, lb);
    for (int i = 0; i < 100; i++) {
        const char *pa = cliCall(c, tfmt("LPOS {cm}a e%d", i));
        const char *pb = cliCall(c, tfmt("LPOS {cm}b e%d", i));
        CHECK((strcmp(pa, "(nil)") == 0) != (strcmp(pb, "(nil)") == 0), "e%d: %s / %s", i, pa, pb);
    }
}

/* ---- redis-benchmark ------------------------------------------------------------------------------------ */

TEST(redis_benchmark_list_tests_run_without_errors) {
    harnessSetTimeout(300);
    int old = runCmdSetTimeout(240000);
    static const char *tests[] = {
        "LPUSH", "RPUSH", "LPOP", "RPOP", "LRANGE_100 (first 100 elements)",
        "LRANGE_300 (first 300 elements)", "LRANGE_500 (first 500 elements)",
        "LRANGE_600 (first 600 elements)",
    };
    for (int pipeline = 1; pipeline <= 1; pipeline++) {
        char *out = NULL;
        int rc = runCmd(&out, "redis-benchmark -p %d -t lpush,rpush,lpop,rpop,lrange -n 100000 "
                        "-P %d --csv", srvPort(sThreads), pipeline);
        CHECK(rc == 0, "redis-benchmark exited with %d:\n%s", rc, out ? out : "");
        if (!out) continue;
        printf("  -P %d:", pipeline);
        for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
            const char *key = tfmt("\"%s\",\"", tests[i]);
            const char *line = strstr(out, key);
            double rate = line ? atof(line + strlen(key)) : 0;
            CHECK(rate > 0, "-P %d: no rate for %s", pipeline, tests[i]);
            printf(" %.*s %.0f", (int)strcspn(tests[i], " "), tests[i], rate);
        }
        printf("\n");
        CHECK(!strstr(out, "ERR") && !strstr(out, "rror"), "%s", out);
    }
    runCmdSetTimeout(old);
    redisContext *c = cliConnect(sThreads);
    EXPECT(c, "PING", "+PONG");
}

int main(int argc, char **argv) {
    s = srvStart(NULL);
    sSmall = srvStart("list-max-listpack-size 4\nlist-compress-depth 1");
    sEnc = srvStart(NULL);
    sThreads = srvStart(srvIsOracle() ? NULL : "threads 4");
    return harnessMain(argc, argv);
}
