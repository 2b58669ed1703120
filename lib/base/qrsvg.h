/*
 * qrsvg: a QR code as inline SVG, made here (libqrencode) so that no
 * third party ever sees what it encodes (an authenticator's secret).
 */
#ifndef HD_QRSVG_H
#define HD_QRSVG_H

/*
 * An <svg> element drawing text as a QR code (error correction M, a
 * quiet zone of 4 modules), labelled with title for screen readers;
 * caller frees. The SVG scales to its container (viewBox, no fixed
 * size). NULL when text does not fit a QR code.
 */
char	*qr_svg(const char *text, const char *title);

#endif
