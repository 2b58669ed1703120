#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "buf.h"
#include "escape.h"
#include "qrsvg.h"

#define QUIET	4	/* modules of white around the code (ISO 18004) */

char *
qr_svg(const char *text, const char *title)
{
	struct buf b = BUF_INIT;
	QRcode *q;
	int x, y, run, size;

	if ((q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1))
	    == NULL)
		return NULL;
	size = q->width + 2 * QUIET;
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\""
	    " viewBox=\"0 0 %d %d\" role=\"img\" shape-rendering=\"crispEdges\""
	    " class=\"qr\"><title>", size, size);
	html_escape(&b, title, strlen(title));
	buf_printf(&b, "</title><rect width=\"%d\" height=\"%d\""
	    " fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size);
	/* One path of horizontal runs: a few kilobytes, not one rect per
	 * module. Bit 0 of each byte is the module's colour. */
	for (y = 0; y < q->width; y++)
		for (x = 0; x < q->width; x += run) {
			run = 1;
			if (!(q->data[y * q->width + x] & 1))
				continue;
			while (x + run < q->width &&
			    (q->data[y * q->width + x + run] & 1))
				run++;
			buf_printf(&b, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET,
			    run, run);
		}
	buf_puts(&b, "\"/></svg>");
	QRcode_free(q);
	return buf_detach(&b);
}
