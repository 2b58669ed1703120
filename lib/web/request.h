/* request: reading a struct req from the web server (core only). */
#ifndef HD_REQUEST_H
#define HD_REQUEST_H

#include "http.h"
#include "io.h"

/* Returns 0, or the status to refuse the request with (400, 413). */
int	req_read(struct req *, const struct io *);
void	req_free(struct req *);

#endif
