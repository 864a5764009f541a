/*
 * proto.c: the load generator's wire protocol (proto.h): target URLs,
 * HTTP/1.1 requests, the incremental HTTP/1.1 response parser and raw TCP
 * response framing.
 *
 * The parser keeps no copy of the data.  A response may be cut at any byte,
 * so each state remembers only what it needs to go on with the next buffer
 * (bytes of the status line matched, a partial number, the start of a
 * header name or of a token).  Every byte is handled the same way wherever
 * the cuts fall, so a response gives the same result however it arrives.
 * Lines whose content does not matter (the reason phrase, other headers,
 * chunk extensions, trailers) are skipped eight bytes at a time, and a
 * header name is only compared when its length is that of a name that
 * matters: this is the generator's own work per response, and it is kept
 * small (suites/self/loadpath.c measures it).
 */
#include "proto.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- response parser --------------------------------------------------- */

enum {
    /* line states: their bytes count against max_header */
    S_STATUS = 0,   /* "HTTP/1.x NNN"; substate: bytes matched */
    S_REASON,       /* the rest of the status line */
    S_NAME,         /* a header name; namelen 0: at the start of a line */
    S_SKIP,         /* the rest of a header line of no interest */
    S_CLEN,         /* Content-Length; substate: 0 before, 1 in, 2 after digits */
    S_TOKENS,       /* a Connection or Transfer-Encoding list; substate: which */
    S_HEAD_LF,      /* the CR of the empty line ending the headers was seen */
    S_CHUNK_SIZE,   /* substate: 1 once a hex digit was seen */
    S_CHUNK_EXT,    /* the rest of a chunk size line */
    S_CHUNK_CRLF,   /* after chunk data; substate: 1 once the CR was seen */
    S_TRAILER,      /* at the start of a trailer line */
    S_TRAILER_SKIP, /* the rest of a trailer line */
    S_TRAILER_LF,   /* the CR of the empty line ending the trailers was seen */
    /* data states */
    S_BODY,         /* remaining bytes of a Content-Length body */
    S_CHUNK_DATA,   /* remaining bytes of a chunk */
    S_UNTIL_CLOSE,  /* body until the server closes */
    S_DONE,
    S_ERROR
};

enum { T_CONN, T_TE };

#define F_HEAD      0x01u /* the request was HEAD */
#define F_STARTED   0x02u /* a byte of the response arrived */
#define F_HTTP10    0x04u
#define F_CLEN      0x08u /* content_length is set */
#define F_TE        0x10u /* a transfer coding other than identity */
#define F_CHUNKED   0x20u /* ... and the last one is chunked */
#define F_CLOSE     0x40u /* Connection: close */
#define F_KEEPALIVE 0x80u /* Connection: keep-alive */

static int fail(struct http_parser *p, const char *why)
{
    p->state = S_ERROR;
    p->error = why;
    return -1;
}

static inline unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* a[0..n) is lower_s (lower case) in any case */
static int eq_lower(const char *a, const char *lower_s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != (unsigned char)lower_s[i])
            return 0;
    return 1;
}

/* ---- eight bytes at a time --------------------------------------------
 * A line is short (a header is 20 to 40 bytes), too short for memchr's
 * call to pay; these look at a word per step.  The lowest byte flagged by
 * zero_bytes is exact (a borrow can only flag bytes above a true zero). */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static inline uint64_t zero_bytes(uint64_t x)
{
    return (x - ONES) & ~x & HIGHS;
}

static inline uint64_t load8(const char *s)
{
    uint64_t x;

    memcpy(&x, s, sizeof x);
    return x;
}

/* The byte index of the lowest flag of m (little-endian words). */
static inline size_t first_flag(uint64_t m)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(m) >> 3;
#else
    return (size_t)__builtin_clzll(m) >> 3;
#endif
}

/* The first '\n' in [s, end), or NULL. */
static const char *find_lf(const char *s, const char *end)
{
    for (; end - s >= 8; s += 8) {
        uint64_t m = zero_bytes(load8(s) ^ ('\n' * ONES));
        if (m)
            return s + first_flag(m);
    }
    for (; s < end; s++)
        if (*s == '\n')
            return s;
    return NULL;
}

/* The first byte of [s, end) that ends a header name: its colon, or a
 * line end (an error); end when there is none. */
static const char *find_name_end(const char *s, const char *end)
{
    for (; end - s >= 8; s += 8) {
        uint64_t x = load8(s);
        uint64_t m = zero_bytes(x ^ (':' * ONES)) | zero_bytes(x ^ ('\r' * ONES)) |
                     zero_bytes(x ^ ('\n' * ONES));
        if (m)
            return s + first_flag(m);
    }
    for (; s < end; s++)
        if (*s == ':' || *s == '\r' || *s == '\n')
            return s;
    return end;
}

static inline int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static void line_start(struct http_parser *p)
{
    p->state = S_NAME;
    p->namelen = 0;
}

void http_parser_init(struct http_parser *p, int head, uint32_t max_header)
{
    /* field by field: name and num are read only up to namelen and numlen,
     * and this runs once per response */
    p->state = S_STATUS;
    p->substate = 0;
    p->header_bytes = 0;
    p->max_header = max_header ? max_header : 64 * 1024;
    p->remaining = 0;
    p->content_length = 0;
    p->flags = head ? F_HEAD : 0;
    p->namelen = 0;
    p->numlen = 0;
    p->status = 0;
    p->close = 0;
    p->body_bytes = 0;
    p->error = NULL;
}

/* The empty line after the headers: decide how the body is delimited
 * (RFC 9112 section 6.3).  Returns 1: a new phase begins. */
static int headers_done(struct http_parser *p)
{
    uint32_t f = p->flags;

    if (p->status < 200 && p->status != 101) {
        /* interim response (100 Continue, 103 Early Hints): the final one follows */
        p->flags = f & (F_HEAD | F_STARTED);
        p->state = S_STATUS;
        p->substate = 0;
        p->status = 0;
        p->content_length = 0;
        return 1;
    }
    p->close = (f & F_CLOSE) || ((f & F_HTTP10) && !(f & F_KEEPALIVE));
    if ((f & F_HEAD) || p->status == 204 || p->status == 304 || p->status == 101) {
        if (p->status == 101) /* the connection no longer speaks HTTP */
            p->close = 1;
        p->state = S_DONE;
    } else if ((f & F_TE) && (f & F_CHUNKED)) {
        p->state = S_CHUNK_SIZE;
        p->substate = 0;
        p->remaining = 0;
    } else if (!(f & F_TE) && (f & F_CLEN)) {
        p->remaining = p->content_length;
        p->state = p->remaining ? S_BODY : S_DONE;
    } else {
        /* no length, or a coding that does not end by itself */
        p->state = S_UNTIL_CLOSE;
        p->close = 1;
    }
    return 1;
}

static int st_status(struct http_parser *p, const char **sp, const char *end)
{
    static const char prefix[] = "HTTP/1.";
    const char *s = *sp;

    /* the whole "HTTP/1.x NNN" at once, when it is there */
    if (p->substate == 0 && end - s > 12 && memcmp(s, prefix, 7) == 0 && is_digit(s[7]) &&
        s[8] == ' ' && is_digit(s[9]) && is_digit(s[10]) && is_digit(s[11])) {
        if (s[7] == '0')
            p->flags |= F_HTTP10;
        p->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
        p->substate = 12;
        s += 12;
    }
    for (; s < end; s++) {
        unsigned char c = (unsigned char)*s;
        int k = p->substate++;

        if (k < 7) {
            if (c != (unsigned char)prefix[k])
                return fail(p, k < 5 ? "not an HTTP response" : "unsupported HTTP version");
        } else if (k == 7) {
            if (c < '0' || c > '9')
                return fail(p, "unsupported HTTP version");
            if (c == '0')
                p->flags |= F_HTTP10;
        } else if (k == 8) {
            if (c != ' ')
                return fail(p, "bad status line");
        } else if (k < 12) {
            if (c < '0' || c > '9')
                return fail(p, "bad status code");
            p->status = p->status * 10 + (c - '0');
        } else {
            if (p->status < 100)
                return fail(p, "bad status code");
            if (c == '\n')
                line_start(p);
            else if (c == ' ' || c == '\r')
                p->state = S_REASON;
            else
                return fail(p, "bad status code");
            *sp = s + 1;
            return 0;
        }
    }
    *sp = s;
    return 0;
}

/* Skip to the end of the line; then go to state next. */
static int st_skip(struct http_parser *p, const char **sp, const char *end, int next)
{
    const char *nl = find_lf(*sp, end);

    if (!nl) {
        *sp = end;
        return 0;
    }
    *sp = nl + 1;
    if (next == S_NAME)
        line_start(p);
    else
        p->state = next;
    return 0;
}

static int st_name(struct http_parser *p, const char **sp, const char *end)
{
    const char *s = *sp, *from, *name;
    size_t n = p->namelen, k, i;

    if (n == 0) {
        switch (*s) {
        case '\r':
            p->state = S_HEAD_LF;
            *sp = s + 1;
            return 0;
        case '\n':
            *sp = s + 1;
            return headers_done(p);
        case ' ':
        case '\t': /* obsolete line folding: a continuation, skipped */
            p->state = S_SKIP;
            *sp = s + 1;
            return 0;
        case ':':
            return fail(p, "bad header line");
        }
    }
    from = s;
    s = find_name_end(s, end);
    k = (size_t)(s - from);
    if (s == end || n) {
        /* cut by the end of a read: keep the start of the name; longer
         * names only need to be known as longer */
        for (i = 0; i < k && n + i < sizeof p->name; i++)
            p->name[n + i] = from[i];
        n = n + k > sizeof p->name ? sizeof p->name + 1 : n + k;
        name = p->name;
    } else {
        n = k;
        name = from;
    }
    if (s == end) {
        p->namelen = (uint8_t)n;
        *sp = s;
        return 0;
    }
    if (*s != ':')
        return fail(p, "bad header line");
    p->state = S_SKIP;
    if (n == 14 && eq_lower(name, "content-length", 14)) {
        p->state = S_CLEN;
        p->substate = 0;
    } else if (n == 17 && eq_lower(name, "transfer-encoding", 17)) {
        p->state = S_TOKENS;
        p->substate = T_TE;
        p->numlen = 0;
    } else if (n == 10 && eq_lower(name, "connection", 10)) {
        p->state = S_TOKENS;
        p->substate = T_CONN;
        p->numlen = 0;
    }
    *sp = s + 1;
    return 0;
}

/* One Content-Length value (in remaining) is complete. */
static int clen_value(struct http_parser *p)
{
    if ((p->flags & F_CLEN) && p->content_length != p->remaining)
        return fail(p, "conflicting Content-Length values");
    p->content_length = p->remaining;
    p->flags |= F_CLEN;
    return 0;
}

/* Digits only, with optional blanks, a comma-separated list of equal
 * values allowed (RFC 9110 section 8.6). */
static int st_clen(struct http_parser *p, const char **sp, const char *end)
{
    const char *s = *sp;

    while (s < end) {
        unsigned char c = (unsigned char)*s++;

        if (c >= '0' && c <= '9') {
            unsigned d = c - '0';
            if (p->substate == 2)
                return fail(p, "bad Content-Length");
            if (p->substate == 0) {
                p->remaining = 0;
                p->substate = 1;
            }
            if (p->remaining > (UINT64_MAX - d) / 10)
                return fail(p, "bad Content-Length");
            p->remaining = p->remaining * 10 + d;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            if (p->substate == 1)
                p->substate = 2;
        } else if (c == ',' || c == '\n') {
            if (p->substate == 0 || clen_value(p) < 0)
                return p->state == S_ERROR ? -1 : fail(p, "bad Content-Length");
            p->substate = 0;
            if (c == '\n') {
                line_start(p);
                break;
            }
        } else
            return fail(p, "bad Content-Length");
    }
    *sp = s;
    return 0;
}

static void token_done(struct http_parser *p)
{
    unsigned n = p->numlen;

    if (p->substate == T_CONN) {
        if (n == 5 && memcmp(p->num, "close", 5) == 0)
            p->flags |= F_CLOSE;
        else if (n == 10 && memcmp(p->num, "keep-alive", 10) == 0)
            p->flags |= F_KEEPALIVE;
    } else if (n == 7 && memcmp(p->num, "chunked", 7) == 0)
        p->flags |= F_TE | F_CHUNKED;
    else if (!(n == 8 && memcmp(p->num, "identity", 8) == 0)) {
        /* chunked must be the last coding to delimit the body */
        p->flags |= F_TE;
        p->flags &= ~F_CHUNKED;
    }
    p->numlen = 0;
}

/* A comma-separated token list; parameters (;q=...) are part of a token
 * and so never match. */
static int st_tokens(struct http_parser *p, const char **sp, const char *end)
{
    const char *s = *sp;
    unsigned n = p->numlen;

    while (s < end) {
        unsigned char c = (unsigned char)*s++;

        if (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (n) {
                p->numlen = (uint8_t)n;
                token_done(p);
                n = 0;
            }
            if (c == '\n') {
                line_start(p);
                break;
            }
        } else {
            if (n < sizeof p->num)
                p->num[n] = (char)lower(c);
            if (n <= sizeof p->num)
                n++;
        }
    }
    p->numlen = (uint8_t)n;
    *sp = s;
    return 0;
}

/* A chunk size line is complete.  Returns 1: a new phase begins. */
static int chunk_size_done(struct http_parser *p)
{
    if (p->remaining == 0) {
        p->state = S_TRAILER;
        return 1;
    }
    p->state = S_CHUNK_DATA;
    return 1;
}

static int st_chunk_size(struct http_parser *p, const char **sp, const char *end)
{
    const char *s = *sp;

    for (; s < end; s++) {
        unsigned char c = (unsigned char)*s;
        int d = hexval(c);

        if (d >= 0) {
            if (p->remaining >> 60)
                return fail(p, "bad chunk size");
            p->remaining = p->remaining << 4 | (unsigned)d;
            p->substate = 1;
        } else if (!p->substate) {
            return fail(p, "bad chunk size");
        } else if (c == '\n') {
            *sp = s + 1;
            return chunk_size_done(p);
        } else if (c == ';' || c == ' ' || c == '\t' || c == '\r') {
            p->state = S_CHUNK_EXT;
            *sp = s + 1;
            return 0;
        } else
            return fail(p, "bad chunk size");
    }
    *sp = s;
    return 0;
}

static int st_chunk_ext(struct http_parser *p, const char **sp, const char *end)
{
    const char *nl = memchr(*sp, '\n', (size_t)(end - *sp));

    if (!nl) {
        *sp = end;
        return 0;
    }
    *sp = nl + 1;
    return chunk_size_done(p);
}

static int st_chunk_crlf(struct http_parser *p, const char **sp)
{
    char c = **sp;

    if (c == '\r' && p->substate == 0) {
        p->substate = 1;
    } else if (c == '\n') {
        p->state = S_CHUNK_SIZE;
        p->substate = 0;
        p->remaining = 0;
    } else
        return fail(p, "bad chunk terminator");
    (*sp)++;
    return 0;
}

static int st_trailer(struct http_parser *p, const char **sp, int lf_seen)
{
    char c = *(*sp)++;

    if (c == '\n') {
        p->state = S_DONE;
        return 1;
    }
    if (lf_seen)
        return fail(p, "bad trailer section");
    p->state = c == '\r' ? S_TRAILER_LF : S_TRAILER_SKIP;
    return 0;
}

/* Run the line states over [*sp, end).  -1: error; 0: all bytes taken,
 * still in the same phase; 1: a phase ended (header section, chunk size
 * line, trailers) and the caller starts counting anew. */
static int lines(struct http_parser *p, const char **sp, const char *end)
{
    int r = 0;

    while (r == 0 && *sp < end) {
        /* header lines first, without the jump table: they are most of
         * the work, and the indirect jump between them mispredicts */
        if (p->state == S_SKIP || p->state == S_REASON) {
            r = st_skip(p, sp, end, S_NAME);
            continue;
        }
        if (p->state == S_NAME) {
            r = st_name(p, sp, end);
            continue;
        }
        switch (p->state) {
        case S_STATUS:
            r = st_status(p, sp, end);
            break;
        case S_REASON:
        case S_SKIP:
            r = st_skip(p, sp, end, S_NAME);
            break;
        case S_NAME:
            r = st_name(p, sp, end);
            break;
        case S_CLEN:
            r = st_clen(p, sp, end);
            break;
        case S_TOKENS:
            r = st_tokens(p, sp, end);
            break;
        case S_HEAD_LF:
            if (**sp != '\n')
                return fail(p, "bad header line");
            (*sp)++;
            r = headers_done(p);
            break;
        case S_CHUNK_SIZE:
            r = st_chunk_size(p, sp, end);
            break;
        case S_CHUNK_EXT:
            r = st_chunk_ext(p, sp, end);
            break;
        case S_CHUNK_CRLF:
            r = st_chunk_crlf(p, sp);
            break;
        case S_TRAILER:
        case S_TRAILER_LF:
            r = st_trailer(p, sp, p->state == S_TRAILER_LF);
            break;
        case S_TRAILER_SKIP:
            r = st_skip(p, sp, end, S_TRAILER);
            break;
        default:
            return 1;
        }
    }
    return r;
}

static const char *too_large(int state)
{
    if (state <= S_HEAD_LF)
        return "header section too large";
    if (state <= S_CHUNK_CRLF)
        return "chunk size line too long";
    return "trailer section too large";
}

enum parse_status http_parse(struct http_parser *p, const char *buf, size_t len, size_t *used)
{
    const char *s = buf, *end = buf + len;

    if (p->state == S_ERROR) {
        *used = 0;
        return PARSE_ERROR;
    }
    if (p->state == S_DONE) {
        *used = 0;
        p->error = "response already complete";
        return PARSE_ERROR;
    }
    if (!len) {
        *used = 0;
        return PARSE_MORE;
    }
    p->flags |= F_STARTED;
    while (s < end) {
        if (p->state < S_BODY) {
            /* never look further than the limit allows */
            uint32_t room = p->max_header - p->header_bytes;
            const char *lend = (size_t)(end - s) > room ? s + room : end;
            const char *from = s;
            int r = lines(p, &s, lend);

            if (r < 0)
                goto error;
            if (r == 0) {
                if (s < end) {
                    fail(p, too_large(p->state));
                    goto error;
                }
                p->header_bytes += (uint32_t)(s - from);
            } else
                p->header_bytes = 0;
        } else if (p->state == S_UNTIL_CLOSE) {
            p->body_bytes += (uint64_t)(end - s);
            s = end;
        } else {
            /* S_BODY or S_CHUNK_DATA */
            uint64_t n = (uint64_t)(end - s);

            if (n > p->remaining)
                n = p->remaining;
            s += n;
            p->body_bytes += n;
            p->remaining -= n;
            if (!p->remaining) {
                if (p->state == S_BODY) {
                    p->state = S_DONE;
                } else {
                    p->state = S_CHUNK_CRLF;
                    p->substate = 0;
                }
            }
        }
        if (p->state == S_DONE) {
            *used = (size_t)(s - buf);
            return PARSE_DONE;
        }
    }
    *used = len;
    return PARSE_MORE;
error:
    *used = (size_t)(s - buf);
    return PARSE_ERROR;
}

enum parse_status http_parse_eof(struct http_parser *p)
{
    if (p->state == S_UNTIL_CLOSE) {
        p->state = S_DONE;
        return PARSE_DONE;
    }
    if (p->state == S_ERROR)
        return PARSE_ERROR;
    if (p->state == S_DONE || !(p->flags & F_STARTED))
        return PARSE_MORE;
    fail(p, "closed mid-response");
    return PARSE_ERROR;
}

/* ---- raw TCP framing --------------------------------------------------- */

char *unescape_bytes(const char *s, size_t *len, struct err *e)
{
    char *out = malloc(strlen(s) + 1);
    size_t n = 0;

    if (!out) {
        err_set(e, "out of memory");
        return NULL;
    }
    while (*s) {
        int hi, lo;

        if (*s != '\\') {
            out[n++] = *s++;
            continue;
        }
        switch (s[1]) {
        case 'r':
            out[n++] = '\r';
            break;
        case 'n':
            out[n++] = '\n';
            break;
        case 't':
            out[n++] = '\t';
            break;
        case '\\':
            out[n++] = '\\';
            break;
        case '0':
            out[n++] = '\0';
            break;
        case 'x':
            hi = hexval((unsigned char)s[2]);
            lo = hi < 0 ? -1 : hexval((unsigned char)s[3]);
            if (lo < 0) {
                err_set(e, "bad escape '%.4s' (\\xHH)", s);
                goto fail;
            }
            out[n++] = (char)(hi << 4 | lo);
            s += 2;
            break;
        case '\0':
            err_set(e, "trailing backslash");
            goto fail;
        default:
            err_set(e, "bad escape '\\%c' (\\r \\n \\t \\\\ \\0 \\xHH)", s[1]);
            goto fail;
        }
        s += 2;
    }
    out[n] = '\0';
    *len = n;
    return out;
fail:
    free(out);
    return NULL;
}

int framer_parse(const char *spec, struct framer *f, struct err *e)
{
    memset(f, 0, sizeof *f);
    if (strncmp(spec, "length:", 7) == 0) {
        const char *d = spec + 7;
        uint64_t v = 0;

        if (!*d)
            return err_set(e, "framing '%s': missing length", spec);
        for (; *d; d++) {
            unsigned k = (unsigned char)*d - '0';
            if (k > 9 || v > (UINT64_MAX - k) / 10)
                return err_set(e, "framing '%s': bad length '%s'", spec, spec + 7);
            v = v * 10 + k;
        }
        if (v == 0)
            return err_set(e, "framing '%s': length must be above 0", spec);
        f->kind = FRAME_LENGTH;
        f->length = v;
        return 0;
    }
    if (strncmp(spec, "delim:", 6) == 0) {
        struct err ue = {0};
        size_t n;
        char *d = unescape_bytes(spec + 6, &n, &ue);

        if (!d)
            return err_set(e, "framing '%s': %s", spec, ue.msg);
        if (n == 0 || n > sizeof f->delim) {
            free(d);
            return err_set(e, "framing '%s': the delimiter must be 1 to %zu bytes", spec,
                           sizeof f->delim);
        }
        f->kind = FRAME_DELIM;
        memcpy(f->delim, d, n);
        f->dlen = (uint8_t)n;
        free(d);
        return 0;
    }
    return err_set(e, "framing '%s': expected length:N or delim:TEXT", spec);
}

void framer_reset(struct framer *f)
{
    f->seen = 0;
    f->matched = 0;
    f->error = NULL;
}

/* After k bytes of d matched, the next byte is c: the length of the longest
 * prefix of d that ends the text (the KMP failure step, computed directly:
 * d is at most 16 bytes and this runs only after a partial match). */
static unsigned delim_step(const char *d, unsigned k, char c)
{
    unsigned j;

    if (d[k] == c)
        return k + 1;
    for (j = k; j > 0; j--)
        if (d[j - 1] == c && memcmp(d, d + k - j + 1, j - 1) == 0)
            return j;
    return 0;
}

enum parse_status framer_feed(struct framer *f, const char *buf, size_t len, size_t *used)
{
    const char *s = buf, *end = buf + len;

    *used = 0;
    if (f->kind == FRAME_LENGTH) {
        uint64_t n;

        if (f->length == 0) {
            f->error = "framer not set up";
            return PARSE_ERROR;
        }
        if (f->seen == f->length) /* the previous response is done */
            f->seen = 0;
        n = f->length - f->seen;
        if (n > len)
            n = len;
        f->seen += n;
        *used = (size_t)n;
        return f->seen == f->length ? PARSE_DONE : PARSE_MORE;
    }
    if (f->kind != FRAME_DELIM || f->dlen == 0 || f->dlen > sizeof f->delim) {
        f->error = "framer not set up";
        return PARSE_ERROR;
    }
    if (f->matched == f->dlen) {
        f->seen = 0;
        f->matched = 0;
    }
    if (!len)
        return PARSE_MORE;
    {
        unsigned k = f->matched, m = f->dlen;

        while (s < end) {
            if (k == 0) {
                const char *hit = memchr(s, f->delim[0], (size_t)(end - s));
                if (!hit) {
                    s = end;
                    break;
                }
                s = hit + 1;
                k = 1;
            } else
                k = delim_step(f->delim, k, *s++);
            if (k == m) {
                f->matched = (uint8_t)k;
                f->seen += (uint64_t)(s - buf);
                *used = (size_t)(s - buf);
                return PARSE_DONE;
            }
        }
        f->matched = (uint8_t)k;
    }
    f->seen += len;
    *used = len;
    return PARSE_MORE;
}

/* ---- target URLs --------------------------------------------------------- */

static int is_token_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int resolve(const char *url, struct target_url *u, int literal, struct err *e)
{
    struct addrinfo hints, *res = NULL;
    int rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (literal ? AI_NUMERICHOST : 0);
    rc = getaddrinfo(u->host, u->port, &hints, &res);
    if (rc != 0)
        return err_set(e, "url '%s': cannot resolve '%s': %s", url, u->host,
                       rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
    if (!res || res->ai_addrlen > sizeof u->addr) {
        if (res)
            freeaddrinfo(res);
        return err_set(e, "url '%s': cannot resolve '%s': no address", url, u->host);
    }
    memcpy(&u->addr, res->ai_addr, res->ai_addrlen);
    u->addrlen = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

int target_url_parse(const char *url, struct target_url *u, struct err *e)
{
    const char *s = url, *host, *hend, *auth_end, *rest, *port = NULL;
    size_t hl, pl = 0, i;
    int bracket = 0;

    memset(u, 0, sizeof *u);
    while (*s && (is_token_char((unsigned char)*s)))
        s++;
    if (s == url || strncmp(s, "://", 3) != 0)
        return err_set(e, "url '%s': missing scheme (http:// or tcp://)", url);
    if (s - url == 4 && strncasecmp(url, "http", 4) == 0)
        u->scheme = SCHEME_HTTP;
    else if (s - url == 3 && strncasecmp(url, "tcp", 3) == 0)
        u->scheme = SCHEME_TCP;
    else
        return err_set(e, "url '%s': unknown scheme '%.*s' (http or tcp)", url, (int)(s - url),
                       url);

    host = s + 3;
    auth_end = host + strcspn(host, "/?#");
    if (*host == '[') {
        host++;
        hend = memchr(host, ']', (size_t)(auth_end - host));
        if (!hend)
            return err_set(e, "url '%s': missing ']' after the IPv6 address", url);
        rest = hend + 1;
        bracket = 1;
    } else {
        const char *colon = memchr(host, ':', (size_t)(auth_end - host));
        if (colon && memchr(colon + 1, ':', (size_t)(auth_end - colon - 1)))
            return err_set(e, "url '%s': an IPv6 address needs brackets: [addr]:port", url);
        hend = colon ? colon : auth_end;
        rest = hend;
    }
    hl = (size_t)(hend - host);
    if (hl == 0)
        return err_set(e, "url '%s': missing host", url);
    if (hl >= sizeof u->host)
        return err_set(e, "url '%s': host too long", url);
    for (i = 0; i < hl; i++) {
        unsigned char c = (unsigned char)host[i];
        if (c <= ' ' || c == 0x7f || c == '@' || c == '[' || c == ']' ||
            (c == ':' && !bracket))
            return err_set(e, "url '%s': bad host '%.*s'", url, (int)hl, host);
    }
    if (bracket && !memchr(host, ':', hl))
        return err_set(e, "url '%s': bad IPv6 address '%.*s'", url, (int)hl, host);
    memcpy(u->host, host, hl);

    if (*rest == ':') {
        unsigned long v = 0;
        port = rest + 1;
        pl = (size_t)(auth_end - port);
        for (i = 0; i < pl && v <= 65535; i++) {
            unsigned k = (unsigned char)port[i] - '0';
            if (k > 9)
                break;
            v = v * 10 + k;
        }
        if (pl == 0 || i < pl || v == 0 || v > 65535)
            return err_set(e, "url '%s': bad port '%.*s'", url, (int)pl, port);
        snprintf(u->port, sizeof u->port, "%lu", v);
        rest = auth_end;
    } else if (rest != auth_end) {
        return err_set(e, "url '%s': bad host '%.*s'", url, (int)(auth_end - s - 3), s + 3);
    }

    if (u->scheme == SCHEME_TCP) {
        if (!port)
            return err_set(e, "url '%s': tcp needs a port", url);
        if (*rest && strcmp(rest, "/") != 0)
            return err_set(e, "url '%s': tcp takes no path", url);
    } else {
        size_t rl = strcspn(rest, "#"); /* the fragment is not sent */
        size_t off = *rest == '/' ? 0 : 1;

        if (!port)
            memcpy(u->port, "80", 3);
        if (rl + off >= sizeof u->path)
            return err_set(e, "url '%s': path too long", url);
        for (i = 0; i < rl; i++) {
            unsigned char c = (unsigned char)rest[i];
            if (c <= ' ' || c == 0x7f)
                return err_set(e, "url '%s': bad character in the path", url);
        }
        u->path[0] = '/';
        memcpy(u->path + off, rest, rl);
        u->path[off + rl] = '\0';
    }
    snprintf(u->hostport, sizeof u->hostport, "%s%s%s%s%s", bracket ? "[" : "", u->host,
             bracket ? "]" : "", port ? ":" : "", port ? u->port : "");
    return resolve(url, u, bracket, e);
}

/* ---- requests ------------------------------------------------------------- */

struct out {
    char *p; /* NULL: only count */
    size_t n;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->p)
        memcpy(o->p + o->n, s, n);
    o->n += n;
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static int header_is(const char *h, size_t namelen, const char *name)
{
    return namelen == strlen(name) && strncasecmp(h, name, namelen) == 0;
}

char *http_request_build(const struct target_url *u, const char *method,
                         const char *const *headers, size_t nheaders, const char *body,
                         size_t bodylen, int keepalive, size_t *len, struct err *e)
{
    int has_host = 0, has_ua = 0, has_clen = 0, has_conn = 0, pass;
    const char *path = u->path[0] ? u->path : "/", *m;
    char clen[48];
    struct out o = {NULL, 0};
    size_t i;

    if (!method)
        method = body ? "POST" : "GET";
    for (m = method; *m; m++)
        if (!is_token_char((unsigned char)*m))
            break;
    if (m == method || *m) {
        err_set(e, "bad method '%s'", method);
        return NULL;
    }
    if (strpbrk(path, "\r\n")) {
        err_set(e, "path contains CR or LF");
        return NULL;
    }
    for (i = 0; i < nheaders; i++) {
        const char *h = headers[i], *colon = strchr(h, ':');
        size_t nl, k;

        if (strpbrk(h, "\r\n")) {
            err_set(e, "header '%.*s': contains CR or LF", (int)strcspn(h, ":\r\n"), h);
            return NULL;
        }
        if (!colon) {
            err_set(e, "header '%s': missing ':'", h);
            return NULL;
        }
        nl = (size_t)(colon - h);
        for (k = 0; k < nl; k++)
            if (!is_token_char((unsigned char)h[k]))
                break;
        if (nl == 0 || k < nl) {
            err_set(e, "header '%s': bad name", h);
            return NULL;
        }
        has_host |= header_is(h, nl, "host");
        has_ua |= header_is(h, nl, "user-agent");
        has_clen |= header_is(h, nl, "content-length");
        has_conn |= header_is(h, nl, "connection");
    }
    snprintf(clen, sizeof clen, "Content-Length: %zu\r\n", bodylen);

    /* pass 0 counts, pass 1 writes */
    for (pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            o.p = malloc(o.n + 1);
            if (!o.p) {
                err_set(e, "out of memory");
                return NULL;
            }
            o.n = 0;
        }
        puts_(&o, method);
        put(&o, " ", 1);
        puts_(&o, path);
        puts_(&o, " HTTP/1.1\r\n");
        if (!has_host) {
            puts_(&o, "Host: ");
            puts_(&o, u->hostport);
            put(&o, "\r\n", 2);
        }
        if (!has_ua)
            puts_(&o, "User-Agent: pacer\r\n");
        for (i = 0; i < nheaders; i++) {
            puts_(&o, headers[i]);
            put(&o, "\r\n", 2);
        }
        if (body && !has_clen)
            puts_(&o, clen);
        if (!keepalive && !has_conn)
            puts_(&o, "Connection: close\r\n");
        put(&o, "\r\n", 2);
        if (body)
            put(&o, body, bodylen);
    }
    o.p[o.n] = '\0';
    *len = o.n;
    return o.p;
}
