/*
 * parse.h: what a response parser says when it is fed bytes (the HTTP
 * parser of http.h, the raw TCP framer of frame.h).  A feed returns
 * PARSE_DONE when a response is complete (the bytes it took are counted in
 * *used: the rest belongs to the next response), PARSE_MORE when all the
 * bytes were taken and more are needed, PARSE_ERROR with a short static
 * reason in the parser.
 */
#ifndef PACER_PARSE_H
#define PACER_PARSE_H

enum parse_status { PARSE_MORE = 0, PARSE_DONE = 1, PARSE_ERROR = -1 };

#endif
