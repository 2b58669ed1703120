/* response: writing a finished struct req out (core only). */
#ifndef HD_RESPONSE_H
#define HD_RESPONSE_H

#include "http.h"
#include "io.h"

void	resp_send(struct req *, const struct io *);

#endif
