/* response: writing a finished struct req out (core only). */
#ifndef HD_RESPONSE_H
#define HD_RESPONSE_H

#include "http.h"
#include "io.h"

/* Writes the response out to r->io, unless resp_begin has already. */
void	resp_send(struct req *);

#endif
