/*
 * http.c: the incremental HTTP/1.1 response parser (http.h).
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
#include "http.h"

#include <string.h>

#include "chars.h"

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

/* a[0..n) is lower_s (lower case) in any case */
static int eq_lower(const char *a, const char *lower_s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (char_lower((unsigned char)a[i]) != (unsigned char)lower_s[i])
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
                p->num[n] = (char)char_lower(c);
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
        int d = char_hexval(c);

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
