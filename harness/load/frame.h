/*
 * frame.h: raw TCP responses framed by a fixed length or a delimiter, and
 * the escapes (\r \n \t \\ \0 \xHH) a tcp:// payload and a delimiter are
 * written with.
 */
#ifndef PACER_FRAME_H
#define PACER_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "harness/lib/err.h"
#include "parse.h"

enum frame_kind { FRAME_LENGTH, FRAME_DELIM };
struct framer {
    enum frame_kind kind;
    uint64_t length;          /* FRAME_LENGTH: bytes per response */
    char delim[16];           /* FRAME_DELIM: the terminator, e.g. "\r\n" */
    uint8_t dlen;
    /* state */
    uint64_t seen;
    uint8_t matched;          /* bytes of delim matched so far */
    const char *error;
};

/* Parse a framing spec: "length:N" or "delim:TEXT" (TEXT with \r \n \t
 * \\ \0 and \xHH escapes, 1..16 bytes).  -1 with "framing 'x': cause". */
int framer_parse(const char *spec, struct framer *f, struct err *e);
/* Ready for the next response. */
void framer_reset(struct framer *f);
/* Feed len bytes: the contract of parse.h, the reason in f->error. */
enum parse_status framer_feed(struct framer *f, const char *buf, size_t len, size_t *used);

/* Decode the escapes above in s into a new buffer (*len bytes), NULL with
 * the cause in e. */
char *unescape_bytes(const char *s, size_t *len, struct err *e);

#endif
